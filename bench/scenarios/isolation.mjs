// A healthy destination's delivery rate while a second destination on the same source times out, against the
// same destination draining the same backlog alone. Both sides run with the same short timeout and retry base so
// the failing destination keeps timing out, retrying and being paused within the measured window. Each side is
// drained twice, in the order shared, alone, alone, shared, so drifting background load hits both alike.
import { measureDrain } from '../lib/delivery.mjs';
import { scoped, startSink } from '../lib/helpers.mjs';
import { resultRow } from '../lib/results.mjs';
import { pooledRate, sideBySide, sliceSeconds } from '../lib/rounds.mjs';

export const name = 'isolation';
const SERVER_ENV = { SWITCHYARD_DELIVERY_TIMEOUT_MS: '1000', SWITCHYARD_RETRY_BASE_MS: '250' };

export async function run({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const sink = await startSink();
    defer(sink.stop);
    const drain = (paths) => () => measureDrain({ backend, sink, paths, seconds: sliceSeconds(seconds, 2), serverEnv: SERVER_ENV, log });
    const runs = await sideBySide({ rounds: 2, system: drain(['/ok', '/hang']), limit: drain(['/ok']) });
    const shared = { perSecond: pooledRate(runs.system, (r) => r.events), backlog: runs.system[0].backlog };
    const alone = { perSecond: pooledRate(runs.limit, (r) => r.events) };
    return [
      resultRow({
        name,
        backend,
        value: shared.perSecond,
        unit: 'events/s',
        limit: alone.perSecond,
        goal: 0.9,
        details: {
          backlogEvents: shared.backlog,
          timeoutMs: Number(SERVER_ENV.SWITCHYARD_DELIVERY_TIMEOUT_MS),
          retryBaseMs: Number(SERVER_ENV.SWITCHYARD_RETRY_BASE_MS),
          slices: runs.system.map((r) => Math.round(r.perSecond)),
          limitSlices: runs.limit.map((r) => Math.round(r.perSecond)),
          note: 'limit = the same destination alone',
        },
      }),
    ];
  });
}
