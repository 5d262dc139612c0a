// GET /destinations/{id} against a bare Fastify route returning the same JSON text from memory.
import { createBenchDatabase } from '../lib/databases.mjs';
import { scoped, startBareFastify } from '../lib/helpers.mjs';
import { resultRow } from '../lib/results.mjs';
import { compareGets, ROUNDS } from '../lib/rounds.mjs';
import { createSource, createWebhookDestination, startSwitchyard } from '../lib/switchyard.mjs';

export const name = 'control-get';
const CONNECTIONS = 10;

export async function run({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const server = await startSwitchyard(db, { label: name });
    defer(server.stop);
    const source = await createSource(server, 'bench-control-get');
    const destinationId = await createWebhookDestination(server, source.sourceId, 'bench control-get');
    const { text } = await server.api(`/destinations/${destinationId}`);
    const bare = await startBareFastify([{ path: '/destinations/:destinationId', body: text }]);
    defer(bare.stop);

    log(`${CONNECTIONS} connections, ${seconds} s per side in ${ROUNDS} alternating slices, ${text.length} byte body`);
    const { system, limit } = await compareGets({
      systemUrl: `${server.url}/destinations/${destinationId}`,
      systemHeaders: { authorization: `Bearer ${server.token}` },
      limitUrl: `${bare.url}/destinations/${destinationId}`,
      connections: CONNECTIONS,
      seconds,
    });
    return [
      resultRow({
        name,
        backend,
        value: system.perSecond,
        unit: 'req/s',
        limit: limit.perSecond,
        goal: 0.6,
        details: {
          p50Ms: system.p50Ms,
          p99Ms: system.p99Ms,
          limitP50Ms: limit.p50Ms,
          limitP99Ms: limit.p99Ms,
          connections: CONNECTIONS,
          bodyBytes: text.length,
          slices: system.slices,
          limitSlices: limit.slices,
          note: `p99 ${system.p99Ms} ms (bare ${limit.p99Ms} ms)`,
        },
      }),
    ];
  });
}
