// Events/s from ingest to a local webhook sink through actions-core (a drained backlog, batched webhook), against
// a bare undici loop posting batches of the same size and content to the same sink with as many requests in
// flight as the engine may have for one destination (SWITCHYARD_DESTINATION_CONCURRENCY, default 10).
import { measureDrain, WEBHOOK_BATCH_SIZE } from '../lib/delivery.mjs';
import { scoped, startSink } from '../lib/helpers.mjs';
import { postLoop } from '../lib/load.mjs';
import { resultRow } from '../lib/results.mjs';

export const name = 'deliver';
const LIMIT_CONCURRENCY = Number(process.env.SWITCHYARD_DESTINATION_CONCURRENCY ?? 10);

/** The same events the engine posted, `size` per request (the sample request's events, repeated as needed). */
function limitBody(sample, size) {
  const events = JSON.parse(sample);
  const list = Array.isArray(events) ? events : [events];
  return JSON.stringify(Array.from({ length: size }, (_, i) => list[i % list.length]));
}

export async function run({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const sink = await startSink();
    defer(sink.stop);
    const drain = await measureDrain({ backend, sink, paths: ['/ok'], seconds, log });
    if (!drain.sample) throw new Error('the sink received nothing');
    const size = Math.max(1, Math.round(drain.meanBatch));
    const body = limitBody(drain.sample, size);
    log(
      `engine: ${drain.events} events in ${drain.seconds.toFixed(1)} s, ${drain.meanBatch.toFixed(1)} events per request; ` +
        `limit posts ${size} per request, ${LIMIT_CONCURRENCY} in flight`,
    );
    await sink.reset();
    const limit = await postLoop({ url: sink.url, path: '/ok', bodyFor: () => body, concurrency: LIMIT_CONCURRENCY, seconds });
    if (limit.failures > 0) throw new Error(`the limit loop saw ${limit.failures} failed requests`);
    const limitRate = (limit.requests * size) / limit.seconds;
    return [
      resultRow({
        name,
        backend,
        value: drain.perSecond,
        unit: 'events/s',
        limit: limitRate,
        goal: 0.4,
        details: {
          backlogEvents: drain.backlog,
          eventsPerRequest: Math.round(drain.meanBatch * 10) / 10,
          webhookBatchSize: WEBHOOK_BATCH_SIZE,
          measuredSeconds: drain.seconds,
          limitConcurrency: LIMIT_CONCURRENCY,
          note: `${Math.round(drain.meanBatch)} events per webhook request`,
        },
      }),
    ];
  });
}
