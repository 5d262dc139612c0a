// /v1/batch (100 events of ~1 KB) acknowledged events/s, against raw batched inserts of the same rows into the
// same database. The server runs as `--role api`: no delivery worker competes with ingest, just as the raw
// inserts do no delivery work; the deliveries it creates simply stay queued. The raw inserts run in their own
// process while the server sits idle, in slices alternating with the server's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase } from '../lib/databases.mjs';
import { scoped } from '../lib/helpers.mjs';
import { ingestLoad } from '../lib/load.mjs';
import { startNode } from '../lib/processes.mjs';
import { percentile, resultRow } from '../lib/results.mjs';
import { pooledRate, ROUNDS, sideBySide, sliceSeconds } from '../lib/rounds.mjs';
import { createWebhookPipeline, startSwitchyard } from '../lib/switchyard.mjs';

export const name = 'ingest';
const EVENTS_PER_BATCH = 100;
const CONNECTIONS = 8;
const RAW_INSERT = fileURLToPath(new URL('../servers/raw-insert.mjs', import.meta.url));

export async function run({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const server = await startSwitchyard(db, { role: 'api', label: name });
    defer(server.stop);
    // Nothing is delivered (no worker); the subscription only makes ingest create one delivery per event.
    const pipeline = await createWebhookPipeline(server, { slug: 'bench-ingest', urls: ['http://127.0.0.1:9/unused'], batchSize: 100 });
    const { destinationId, subscriptionId } = pipeline.destinations[0];

    const rawSpec = {
      backend,
      sqliteFile: db.sqliteFile,
      postgresUrl: db.postgresUrl,
      sourceId: pipeline.sourceId,
      destinationId,
      subscriptionId,
      eventsPerBatch: EVENTS_PER_BATCH,
      concurrency: CONNECTIONS,
      maxEvents: 50_000_000,
    };
    const slice = sliceSeconds(seconds);
    const rawInserts = async () => {
      const raw = startNode([RAW_INSERT, JSON.stringify({ ...rawSpec, seconds: slice })], { label: 'raw inserts' });
      const result = await raw.ready;
      await raw.stop();
      return { ...result, count: result.events };
    };
    const load = ingestLoad({ url: server.url, writeKey: pipeline.writeKey, eventsPerBatch: EVENTS_PER_BATCH, connections: CONNECTIONS });

    log(`${CONNECTIONS} connections × ${EVENTS_PER_BATCH}-event batches, ${seconds} s per side in ${ROUNDS} alternating slices`);
    await load(1);
    const runs = await sideBySide({ system: () => load(slice), limit: rawInserts });
    const failed = runs.system.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    if (failed > 0) throw new Error(`server answered ${failed} non-2xx or failed requests`);
    const system = { perSecond: pooledRate(runs.system), p99Ms: percentile(runs.system.map((r) => r.p99Ms), 50), p50Ms: percentile(runs.system.map((r) => r.p50Ms), 50) };
    const limit = { perSecond: pooledRate(runs.limit), concurrency: runs.limit[0].concurrency };
    return [
      resultRow({
        name,
        backend,
        value: system.perSecond,
        unit: 'events/s',
        limit: limit.perSecond,
        goal: 0.5,
        details: {
          eventsPerBatch: EVENTS_PER_BATCH,
          connections: CONNECTIONS,
          p50Ms: system.p50Ms,
          p99Ms: system.p99Ms,
          rawConcurrency: limit.concurrency,
          slices: runs.system.map((r) => Math.round(r.perSecond)),
          limitSlices: runs.limit.map((r) => Math.round(r.perSecond)),
          note: `batch p99 ${system.p99Ms} ms`,
        },
      }),
    ];
  });
}
