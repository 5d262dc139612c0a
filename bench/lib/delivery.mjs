// Delivery throughput as the sink sees it: a backlog is ingested first (server in `--role api`, so nothing is
// delivered yet), then a full server starts over the same database and drains it through actions-core.
import { createBenchDatabase } from './databases.mjs';
import { scoped, sleep, startSink } from './helpers.mjs';
import { ingestLoad, sendBatches } from './load.mjs';
import { createWebhookPipeline, startSwitchyard } from './switchyard.mjs';

export const WEBHOOK_BATCH_SIZE = 100;
export const BACKLOG_EVENTS = Number(process.env.BENCH_BACKLOG_EVENTS ?? 40_000);
const INGEST_BATCH = 100;
const FIRST_ARRIVAL_TIMEOUT_MS = 30_000;

/**
 * Events/s over the sink's timeline: from the first request (time zero, its events not counted) until the
 * window closes or the backlog is drained, whichever comes first.
 */
export function rateOf(timeline, windowMs) {
  if (timeline.length < 2) return { perSecond: 0, events: 0, seconds: 0 };
  const sorted = [...timeline].sort((a, b) => a[0] - b[0]);
  const t0 = sorted[0][0];
  const inWindow = sorted.slice(1).filter(([t]) => t <= t0 + windowMs);
  const events = inWindow.reduce((sum, [, n]) => sum + n, 0);
  const drainedEarly = inWindow.length === sorted.length - 1;
  const seconds = (drainedEarly ? Math.max(1, sorted.at(-1)[0] - t0) : windowMs) / 1000;
  return { perSecond: events / seconds, events, seconds };
}

/**
 * @param {{ backend: string, sink: object, paths: string[], seconds: number, serverEnv?: Record<string,string>, workers?: number, log: Function }} options
 *   paths: one webhook destination per sink path; the sink counts every path but those under /hang.
 */
export async function measureDrain({ backend, sink, paths, seconds, serverEnv = {}, workers = 0, log }) {
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    await sink.reset();
    const loader = await startSwitchyard(db, { role: 'api', label: 'backlog', env: serverEnv });
    const pipeline = await createWebhookPipeline(loader, {
      slug: 'bench-deliver',
      urls: paths.map((p) => `${sink.url}${p}`),
      batchSize: WEBHOOK_BATCH_SIZE,
    });
    const started = Date.now();
    const backlog = await sendBatches({ url: loader.url, writeKey: pipeline.writeKey, batches: BACKLOG_EVENTS / INGEST_BATCH, eventsPerBatch: INGEST_BATCH });
    log(`backlog of ${backlog} events × ${paths.length} destination(s) ingested in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await loader.stop();

    // workers = 0: one full server drains (the default); otherwise that many worker-only processes share it.
    const drainers = workers > 0 ? Array.from({ length: workers }, (_, i) => ({ role: 'worker', label: `worker ${i + 1}` })) : [{ role: 'all', label: 'drain' }];
    const servers = await Promise.all(drainers.map((d) => startSwitchyard(db, { ...d, env: serverEnv })));
    for (const s of servers) defer(s.stop);
    const server = servers[0];
    const firstBy = Date.now() + FIRST_ARRIVAL_TIMEOUT_MS;
    while ((await sink.count()) === 0) {
      if (Date.now() > firstBy) throw new Error(`nothing arrived at the sink within ${FIRST_ARRIVAL_TIMEOUT_MS} ms\n${server.output()}`);
      await sleep(50);
    }
    const windowEnd = Date.now() + seconds * 1000;
    while (Date.now() < windowEnd && (await sink.count()) < backlog) await sleep(100);
    const timeline = await sink.timeline();
    const rate = rateOf(timeline, seconds * 1000);
    const requests = timeline.length;
    const delivered = timeline.reduce((sum, [, n]) => sum + n, 0);
    return {
      ...rate,
      backlog,
      meanBatch: delivered / Math.max(1, requests),
      sample: await sink.sample(),
    };
  });
}

/**
 * The pipeline's sustainable end-to-end rate: closed-loop ingest into a full server while it delivers, counting
 * what was acknowledged and what reached the sink in the same window; the smaller of the two is the rate the
 * whole path keeps up with.
 */
export async function measureFlow({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const sink = await startSink();
    defer(sink.stop);
    const server = await startSwitchyard(db, { label: 'flow' });
    defer(server.stop);
    const pipeline = await createWebhookPipeline(server, { slug: 'bench-flow', urls: [`${sink.url}/ok`], batchSize: WEBHOOK_BATCH_SIZE });
    const load = ingestLoad({ url: server.url, writeKey: pipeline.writeKey, eventsPerBatch: INGEST_BATCH, connections: 4 });
    await load(1);
    const from = Date.now();
    const ingest = await load(seconds);
    const to = Date.now();
    const delivered = (await sink.timeline()).filter(([t]) => t >= from && t <= to).reduce((sum, [, n]) => sum + n, 0);
    const acknowledged = ingest.count / ((to - from) / 1000);
    const arrived = delivered / ((to - from) / 1000);
    log(`end to end: ${acknowledged.toFixed(0)} events/s acknowledged, ${arrived.toFixed(0)} events/s delivered`);
    return { perSecond: Math.min(acknowledged, arrived), acknowledged, delivered: arrived };
  });
}

/** measureFlow once per backend and bench run; latency and memory load the pipeline at half of it. */
export async function endToEndRate(ctx) {
  ctx.shared.flow ??= {};
  ctx.shared.flow[ctx.backend] ??= await measureFlow(ctx);
  return ctx.shared.flow[ctx.backend];
}
