// GET /destinations with pagination.count=200 over 10,000 destinations, against a bare Fastify route serving
// the same page from memory. The rows are created through the Public API, like any client would.
import { Pool } from 'undici';
import { createBenchDatabase } from '../lib/databases.mjs';
import { scoped, startBareFastify } from '../lib/helpers.mjs';
import { resultRow } from '../lib/results.mjs';
import { compareGets, ROUNDS } from '../lib/rounds.mjs';
import { createSource, startSwitchyard, WEBHOOK_METADATA_ID } from '../lib/switchyard.mjs';

export const name = 'control-list';
const ROWS = Number(process.env.BENCH_LIST_ROWS ?? 10_000);
const PAGE = 200;
const CONNECTIONS = 10;
const SEED_CONCURRENCY = 8;
const SEED_TIMEOUT_MS = 240_000;

/** Creates `rows` destinations over HTTP with a few requests in flight; bounded by count and by time. */
async function seedDestinations(server, sourceId, rows) {
  const pool = new Pool(server.url, { connections: SEED_CONCURRENCY });
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  let next = 0;
  const worker = async () => {
    while (next < rows) {
      if (Date.now() > deadline) throw new Error(`seeding ${rows} destinations took longer than ${SEED_TIMEOUT_MS} ms`);
      const i = next++;
      const response = await pool.request({
        method: 'POST',
        path: '/destinations',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sourceId, metadataId: WEBHOOK_METADATA_ID, name: `bench list ${i}`, settings: {} }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`POST /destinations → ${response.statusCode}: ${text.slice(0, 200)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  } finally {
    await pool.close();
  }
}

export async function run({ backend, seconds, log }) {
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const server = await startSwitchyard(db, { label: name });
    defer(server.stop);
    const source = await createSource(server, 'bench-control-list');
    const seedStarted = Date.now();
    await seedDestinations(server, source.sourceId, ROWS);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`seeded ${ROWS} destinations in ${seedSeconds.toFixed(1)} s`);

    const pathAndQuery = `/destinations?pagination.count=${PAGE}`;
    const { text, json } = await server.api(pathAndQuery);
    if (json.data.destinations.length !== PAGE || json.data.pagination.totalEntries !== ROWS) {
      throw new Error(`unexpected page: ${json.data.destinations.length} items, ${JSON.stringify(json.data.pagination)}`);
    }
    const bare = await startBareFastify([{ path: '/destinations', body: text }]);
    defer(bare.stop);

    log(`${CONNECTIONS} connections, ${seconds} s per side in ${ROUNDS} alternating slices, ${(text.length / 1024).toFixed(0)} KB page`);
    const { system, limit } = await compareGets({
      systemUrl: `${server.url}${pathAndQuery}`,
      systemHeaders: { authorization: `Bearer ${server.token}` },
      limitUrl: `${bare.url}${pathAndQuery}`,
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
        goal: 0.4,
        details: {
          rows: ROWS,
          pageSize: PAGE,
          pageBytes: text.length,
          p99Ms: system.p99Ms,
          limitP99Ms: limit.p99Ms,
          seedSeconds,
          slices: system.slices,
          limitSlices: limit.slices,
          note: `p99 ${system.p99Ms} ms (bare ${limit.p99Ms} ms)`,
        },
      }),
    ];
  });
}
