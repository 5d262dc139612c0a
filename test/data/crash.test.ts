// Crash safety (data-plane.md §8): a real `switchyard serve` process is SIGKILLed while events stream in and
// while deliveries are in flight, then restarted over the same database. Every acknowledged event must reach
// the sink at least once. Needs the build in dist/ (`npm test` builds first).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { BACKENDS, type Backend } from '../support/backends.js';
import { createWebhookPipeline, type Pipeline } from '../support/pipeline.js';
import { createPostgresDatabase, freePort, spawnSwitchyard, type SwitchyardProcess } from '../support/processes.js';
import { startSink, type Sink } from '../support/sink.js';
import { basicAuth, waitUntil } from '../support/tracking.js';

const BATCH = 50;
const SENDERS = 2;
/** Pause between a sender's batches, so ingest does not outrun delivery by too much. */
const SEND_PAUSE_MS = 100;

/** Streams batches over raw HTTP and remembers which messageIds were acknowledged with a 200. */
function startStreaming(baseUrl: string, writeKey: string, prefix: string) {
  const state = { acked: new Set<string>(), failedRequests: 0, inFlight: 0, running: true, sequence: 0 };
  const sendOne = async () => {
    const ids = Array.from({ length: BATCH }, () => `${prefix}-${state.sequence++}`);
    state.inFlight += 1;
    try {
      const response = await fetch(`${baseUrl}/v1/batch`, {
        method: 'POST',
        headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
        body: JSON.stringify({ batch: ids.map((messageId) => ({ type: 'track', event: 'Crash Test', userId: 'u1', messageId })) }),
      });
      await response.text();
      state.inFlight -= 1;
      if (response.status === 200) for (const id of ids) state.acked.add(id);
      else state.failedRequests += 1;
      await new Promise((resolve) => setTimeout(resolve, SEND_PAUSE_MS));
    } catch {
      state.inFlight -= 1;
      state.failedRequests += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const loops = Array.from({ length: SENDERS }, async () => {
    while (state.running) await sendOne();
  });
  return Object.assign(state, {
    stop: async () => {
      state.running = false;
      await Promise.all(loops);
    },
  });
}

interface Database {
  env: Record<string, string>;
  count(table: 'deliveries' | 'dead_letters'): Promise<number>;
  drop(): Promise<void>;
}

async function freshDatabase(backend: Backend): Promise<Database> {
  if (backend === 'postgres') {
    const database = await createPostgresDatabase();
    return {
      env: { DATABASE_URL: database.url },
      async count(table) {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          return Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
        } finally {
          await client.end();
        }
      },
      drop: () => database.drop(),
    };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-crash-'));
  return {
    env: { SWITCHYARD_DATA_DIR: dataDir },
    async count(table) {
      const file = new SqliteDatabase(path.join(dataDir, 'switchyard.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return (file.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      } finally {
        file.close();
      }
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

describe.each(BACKENDS)('crash and restart [%s]', (backend) => {
  let database: Database;
  let sink: Sink;
  let env: Record<string, string>;
  let baseUrl: string;
  let current: SwitchyardProcess | undefined;
  const token = `sy_crash_${randomBytes(12).toString('hex')}`;
  const received = () => new Set(sink.requests.map((r) => (r.json as { messageId: string }).messageId));

  beforeAll(async () => {
    database = await freshDatabase(backend);
    sink = await startSink();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ...database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SWITCHYARD_BOOTSTRAP_TOKEN: token,
      SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
      SWITCHYARD_LEASE_SECONDS: '4',
      SWITCHYARD_DELIVERY_TIMEOUT_MS: '1000',
      SWITCHYARD_WORKER_POLL_MS: '20',
      SWITCHYARD_RETRY_BASE_MS: '100',
      SWITCHYARD_RETRY_MAX_MS: '1000',
    };
    current = await spawnSwitchyard('all', env);
  }, 60_000);
  afterAll(async () => {
    await current?.kill();
    await sink?.close();
    await database?.drop();
  });

  it('delivers every acknowledged event after SIGKILLs mid-ingest and mid-delivery', async () => {
    const pipeline: Pipeline = await createWebhookPipeline(apiClient(baseUrl, token), { slug: 'crash', sinkUrl: sink.url });
    const stream = startStreaming(baseUrl, pipeline.writeKey, `crash-${backend}`);

    // First kill: a batch is being posted and deliveries are running.
    await waitUntil(() => stream.acked.size >= 500 && sink.requests.length >= 50, 30_000, 'traffic before the first kill');
    while (stream.inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    const postsInFlightAtKill = stream.inFlight;
    await current!.kill('SIGKILL');
    const ackedAtFirstKill = stream.acked.size;
    expect(received().size).toBeLessThan(ackedAtFirstKill);

    current = await spawnSwitchyard('all', env);
    await waitUntil(() => stream.acked.size >= ackedAtFirstKill + 200, 30_000, 'ingest after the restart');
    await stream.stop();

    // Second kill: ingest has stopped and acknowledged events are still waiting for delivery.
    const deliveredBefore = received().size;
    await waitUntil(() => received().size >= deliveredBefore + 50, 30_000, 'deliveries before the second kill');
    await current.kill('SIGKILL');
    const acked = [...stream.acked];
    const pendingAtSecondKill = acked.filter((id) => !received().has(id)).length;

    current = await spawnSwitchyard('all', env);
    await waitUntil(() => acked.every((id) => received().has(id)), 60_000, 'every acknowledged event delivered');
    expect(acked.filter((id) => !received().has(id))).toEqual([]);
    await waitUntil(async () => (await database.count('deliveries')) === 0, 20_000, 'queue drained');
    expect(await database.count('dead_letters')).toBe(0);

    const duplicates = sink.requests.length - received().size;
    console.info(
      `crash [${backend}]: ${acked.length} acknowledged, ${received().size} distinct delivered, ${duplicates} redelivered, ` +
        `${postsInFlightAtKill} posts in flight at the first kill, ${stream.failedRequests} posts failed, ` +
        `${pendingAtSecondKill} acknowledged but undelivered at the second kill`,
    );
    expect(postsInFlightAtKill).toBeGreaterThan(0);
    expect(pendingAtSecondKill).toBeGreaterThan(0);
  }, 180_000);
});
