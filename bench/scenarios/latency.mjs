// Time from the ingest acknowledgement (the 200 of /v1/batch) to the event's arrival at the sink, with ingest
// paced at half the pipeline's end-to-end rate (ingest and delivery running together) measured in this run.
import { createBenchDatabase } from '../lib/databases.mjs';
import { endToEndRate, WEBHOOK_BATCH_SIZE } from '../lib/delivery.mjs';
import { scoped, startSink, waitUntil } from '../lib/helpers.mjs';
import { pacedIngest } from '../lib/load.mjs';
import { percentile, resultRow, round } from '../lib/results.mjs';
import { createWebhookPipeline, startSwitchyard } from '../lib/switchyard.mjs';

export const name = 'latency';
// The same 100-event batches the end-to-end rate was measured with.
const EVENTS_PER_REQUEST = 100;
const WARMUP_MS = 1000;
const ARRIVAL_TIMEOUT_MS = 30_000;

/** Latency of every acknowledged event after the warm-up; events that never arrived count as Infinity. */
function latencies(acks, arrivals, startedAt, eventsPerRequest) {
  const ackOf = new Map(acks.filter((a) => a.sentAt >= startedAt + WARMUP_MS).map((a) => [a.prefix, a.ackAt]));
  const values = [];
  const seen = new Map();
  for (const [messageId, at] of arrivals) {
    const prefix = String(messageId).split('-')[0];
    const ackAt = ackOf.get(prefix);
    if (ackAt === undefined) continue;
    // The sink can see an event before its 200 reaches the client; that counts as zero, not negative.
    values.push(Math.max(0, at - ackAt));
    seen.set(prefix, (seen.get(prefix) ?? 0) + 1);
  }
  let missing = 0;
  for (const prefix of ackOf.keys()) missing += eventsPerRequest - Math.min(eventsPerRequest, seen.get(prefix) ?? 0);
  for (let i = 0; i < missing; i++) values.push(Infinity);
  return { values, missing };
}

export async function run(ctx) {
  const { backend, seconds, log } = ctx;
  const max = await endToEndRate(ctx);
  const rate = Math.max(EVENTS_PER_REQUEST, max.perSecond / 2);
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const sink = await startSink();
    defer(sink.stop);
    const server = await startSwitchyard(db, { label: name });
    defer(server.stop);
    const pipeline = await createWebhookPipeline(server, { slug: 'bench-latency', urls: [`${sink.url}/record`], batchSize: WEBHOOK_BATCH_SIZE });

    log(`${rate.toFixed(0)} events/s (half of ${max.perSecond.toFixed(0)}) in requests of ${EVENTS_PER_REQUEST}, ${seconds} s`);
    const startedAt = Date.now();
    const ingest = await pacedIngest({ url: server.url, writeKey: pipeline.writeKey, eventsPerSecond: rate, eventsPerBatch: EVENTS_PER_REQUEST, seconds });
    if (ingest.failures > 0) throw new Error(`${ingest.failures} ingest requests failed`);
    const expected = ingest.acks.length * EVENTS_PER_REQUEST;
    await waitUntil(async () => (await sink.count()) >= expected, { timeoutMs: ARRIVAL_TIMEOUT_MS, everyMs: 200 });
    const { values, missing } = latencies(ingest.acks, await sink.arrivals(), startedAt, EVENTS_PER_REQUEST);
    const p50 = percentile(values, 50);
    const p99 = percentile(values, 99);
    return [
      resultRow({
        name,
        backend,
        value: p99,
        unit: 'ms',
        goal: 1000,
        kind: 'ceiling',
        details: {
          p50Ms: p50,
          p99Ms: p99,
          eventsPerSecond: round(rate, 1),
          events: values.length,
          missing,
          lateRequests: ingest.late,
          note: `p50 ${p50} ms at ${rate.toFixed(0)} events/s${missing ? `, ${missing} never arrived` : ''}`,
        },
      }),
    ];
  });
}
