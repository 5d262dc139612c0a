// PostgreSQL only: the same backlog, spread over four destinations, drained by three worker processes and by
// one. The ratio says what extra workers buy on this machine; on a 2-core box they share the same CPU, so the
// figure reports contention rather than the gain of workers on separate machines.
import { measureDrain } from '../lib/delivery.mjs';
import { scoped, startSink } from '../lib/helpers.mjs';
import { resultRow } from '../lib/results.mjs';

export const name = 'scale-out';
const DESTINATIONS = ['/ok/0', '/ok/1', '/ok/2', '/ok/3'];

export async function run({ backend, seconds, log }) {
  // A SQLite file has exactly one worker process, so there is nothing to scale out.
  if (backend !== 'postgres') return [];
  return scoped(async (defer) => {
    const sink = await startSink();
    defer(sink.stop);
    const one = await measureDrain({ backend, sink, paths: DESTINATIONS, seconds, workers: 1, log });
    const three = await measureDrain({ backend, sink, paths: DESTINATIONS, seconds, workers: 3, log });
    log(`1 worker: ${one.perSecond.toFixed(0)} events/s; 3 workers: ${three.perSecond.toFixed(0)} events/s`);
    return [
      resultRow({
        name,
        backend,
        value: three.perSecond,
        unit: 'events/s',
        limit: one.perSecond,
        goal: 1,
        details: { oneWorker: Math.round(one.perSecond), threeWorkers: Math.round(three.perSecond), note: '3 workers / 1 worker, same database' },
      }),
    ];
  });
}
