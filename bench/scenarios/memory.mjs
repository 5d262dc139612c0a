// Resident memory of the server after it has served the whole catalog, and its growth over a steady load
// (ingest paced at half the pipeline's end-to-end rate, delivered to the sink): BENCH_MEMORY_WARMUP_SECONDS of
// warm-up (heap and pools reach their working size), then BENCH_MEMORY_SECONDS over which growth is measured.
import { createBenchDatabase } from '../lib/databases.mjs';
import { endToEndRate, WEBHOOK_BATCH_SIZE } from '../lib/delivery.mjs';
import { scoped, sleep, startSink } from '../lib/helpers.mjs';
import { pacedIngest } from '../lib/load.mjs';
import { residentBytes } from '../lib/processes.mjs';
import { median, resultRow, round } from '../lib/results.mjs';
import { createWebhookPipeline, startSwitchyard } from '../lib/switchyard.mjs';

export const name = 'memory';
export const MEMORY_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 120);
export const WARMUP_SECONDS = Number(process.env.BENCH_MEMORY_WARMUP_SECONDS ?? 30);
const EVENTS_PER_REQUEST = 100;
const MB = 2 ** 20;

/** Every page of the destination and source catalogs, then every destination entry on its own. */
async function loadWholeCatalog(server) {
  const ids = [];
  for (const list of ['destinations', 'sources']) {
    let cursor;
    for (let page = 0; page < 100; page++) {
      const query = `pagination.count=200${cursor ? `&pagination.cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { json } = await server.api(`/catalog/${list}?${query}`);
      if (list === 'destinations') ids.push(...json.data.destinationsCatalog.map((d) => d.id));
      cursor = json.data.pagination.next;
      if (!cursor) break;
    }
  }
  for (const id of ids) await server.api(`/catalog/destinations/${id}`);
  return ids.length;
}

async function steadyRss(pid, samples = 5) {
  const values = [];
  for (let i = 0; i < samples; i++) {
    values.push(residentBytes(pid));
    await sleep(300);
  }
  return median(values);
}

export async function run(ctx) {
  const { backend, log } = ctx;
  const max = await endToEndRate(ctx);
  const rate = Math.max(EVENTS_PER_REQUEST, max.perSecond / 2);
  return scoped(async (defer) => {
    const db = await createBenchDatabase(backend);
    defer(db.drop);
    const sink = await startSink();
    defer(sink.stop);
    const server = await startSwitchyard(db, { label: name });
    defer(server.stop);
    const entries = await loadWholeCatalog(server);
    const catalogRss = await steadyRss(server.pid);
    log(`RSS ${(catalogRss / MB).toFixed(0)} MB after serving ${entries} catalog entries`);

    const pipeline = await createWebhookPipeline(server, { slug: 'bench-memory', urls: [`${sink.url}/ok`], batchSize: WEBHOOK_BATCH_SIZE });
    log(`steady load: ${rate.toFixed(0)} events/s, ${WARMUP_SECONDS} s warm-up + ${MEMORY_SECONDS} s measured`);
    const samples = [];
    const sampler = setInterval(() => samples.push([Date.now(), residentBytes(server.pid)]), 1000);
    let ingest;
    try {
      ingest = await pacedIngest({
        url: server.url,
        writeKey: pipeline.writeKey,
        eventsPerSecond: rate,
        eventsPerBatch: EVENTS_PER_REQUEST,
        seconds: WARMUP_SECONDS + MEMORY_SECONDS,
      });
    } finally {
      clearInterval(sampler);
    }
    if (ingest.failures > 0) throw new Error(`${ingest.failures} ingest requests failed`);
    // RSS follows the GC sawtooth, so single samples depend on its phase. Growth compares the high-water marks
    // of the two halves of the measured window: a plateau gives ~0 %, a leak raises the second half's.
    const measuredFrom = samples[0][0] + WARMUP_SECONDS * 1000;
    const measured = samples.filter(([t]) => t >= measuredFrom).map(([, rss]) => rss);
    const half = Math.floor(measured.length / 2);
    const baseline = Math.max(...measured.slice(0, half));
    const end = Math.max(...measured.slice(half));
    const growth = (100 * (end - baseline)) / baseline;
    const startToEnd = (100 * (median(measured.slice(-10)) - median(measured.slice(0, 10)))) / median(measured.slice(0, 10));
    const peak = Math.max(...samples.map(([, rss]) => rss));
    const delivered = await sink.count();
    const common = { steadySeconds: MEMORY_SECONDS, eventsPerSecond: round(rate, 1), delivered, acknowledged: ingest.acks.length * EVENTS_PER_REQUEST, lateRequests: ingest.late };
    return [
      resultRow({
        name,
        backend,
        value: catalogRss / MB,
        unit: 'MB',
        goal: 350,
        kind: 'ceiling',
        details: { catalogEntries: entries, peakMB: round(peak / MB, 1), note: `peak ${(peak / MB).toFixed(0)} MB under load`, ...common },
      }),
      resultRow({
        name: 'memory-growth',
        backend,
        value: growth,
        unit: '%',
        goal: 10,
        kind: 'ceiling',
        details: {
          firstHalfPeakMB: round(baseline / MB, 1),
          secondHalfPeakMB: round(end / MB, 1),
          startToEndPercent: round(startToEnd, 1),
          warmupSeconds: WARMUP_SECONDS,
          rssEvery5sMB: samples.filter((_, i) => i % 5 === 0).map(([, rss]) => Math.round(rss / MB)),
          note: `peaks ${(baseline / MB).toFixed(0)} → ${(end / MB).toFixed(0)} MB over ${MEMORY_SECONDS} s`,
          ...common,
        },
      }),
    ];
  });
}
