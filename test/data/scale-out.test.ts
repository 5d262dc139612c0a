// PostgreSQL with one API process and three worker processes sharing the database: every event is delivered,
// including when a worker is killed in the middle of delivering.
import { randomBytes } from 'node:crypto';
import { Analytics } from '@segment/analytics-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { BACKENDS } from '../support/backends.js';
import { createWebhookPipeline } from '../support/pipeline.js';
import { createPostgresDatabase, freePort, spawnSwitchyard, type SwitchyardProcess } from '../support/processes.js';
import { startSink, type Sink } from '../support/sink.js';

const EVENTS = 3000;

describe.skipIf(!BACKENDS.includes('postgres'))('scale-out on PostgreSQL: 1 API + 3 workers', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sink: Sink;
  const processes: SwitchyardProcess[] = [];
  const token = `sy_scale_${randomBytes(12).toString('hex')}`;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // A little latency per request keeps deliveries in flight when the worker is killed.
    sink = await startSink();
    sink.respond = () => ({ status: 200 });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: database.url,
      SWITCHYARD_BOOTSTRAP_TOKEN: token,
      SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
      SWITCHYARD_LEASE_SECONDS: '4',
      SWITCHYARD_DELIVERY_TIMEOUT_MS: '1000',
      SWITCHYARD_WORKER_POLL_MS: '20',
      SWITCHYARD_RETRY_BASE_MS: '100',
      PORT: String(port),
    };
    processes.push(await spawnSwitchyard('api', env));
    for (let i = 0; i < 3; i++) processes.push(await spawnSwitchyard('worker', { ...env, PORT: '0' }));
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await sink?.close();
    await database?.drop();
  });

  it('delivers every acknowledged event although a worker is killed mid-delivery', async () => {
    const api = apiClient(baseUrl, token);
    const pipeline = await createWebhookPipeline(api, { slug: 'scale', sinkUrl: sink.url });
    const analytics = new Analytics({ writeKey: pipeline.writeKey, host: baseUrl, flushAt: 100, flushInterval: 50 });
    for (let i = 0; i < EVENTS; i++) analytics.track({ userId: `u${i}`, event: 'Scaled', properties: { n: i } });
    await analytics.closeAndFlush();

    await sink.waitFor((requests) => requests.length >= 300, 60_000);
    await processes[1]!.kill('SIGKILL');

    const delivered = () => new Set(sink.requests.map((r) => (r.json as { properties: { n: number } }).properties.n));
    await sink.waitFor(() => delivered().size >= EVENTS, 120_000);
    expect(delivered().size).toBe(EVENTS);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // Everything settled: no live deliveries and no dead letters remain.
      const deadline = Date.now() + 20_000;
      let remaining = -1;
      while (Date.now() < deadline) {
        remaining = Number((await client.query('select count(*) as n from deliveries')).rows[0].n);
        if (remaining === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(remaining).toBe(0);
      expect(Number((await client.query('select count(*) as n from dead_letters')).rows[0].n)).toBe(0);
    } finally {
      await client.end();
    }
  }, 240_000);
});
