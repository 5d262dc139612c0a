// Load generators. Every loop is bounded both in time and in count, and only ever talks to 127.0.0.1.
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { basicAuth, batchBodyFactory, idPrefixes } from './events.mjs';

const MAX_REQUESTS_PER_RUN = 5_000_000;
const MAX_PACED_IN_FLIGHT = 64;

function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`bench load must stay on loopback, got ${url}`);
}

async function cannon(options) {
  assertLoopback(options.url);
  // Bounded by `duration` and by maxOverallRequests (an `amount` would make autocannon ignore the duration).
  const result = await autocannon({ maxOverallRequests: MAX_REQUESTS_PER_RUN, ...options });
  const ok = result['2xx'];
  return {
    ok,
    count: ok,
    perSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    seconds: result.duration,
  };
}

/** Closed-loop GET load for `seconds`, after an optional warm-up whose results are discarded. */
export async function measureGet({ url, headers = {}, connections = 10, seconds, warmupSeconds = 0 }) {
  const common = { url, headers, connections, timeout: 10 };
  if (warmupSeconds > 0) await cannon({ ...common, duration: warmupSeconds });
  return cannon({ ...common, duration: seconds });
}

/**
 * Closed-loop `/v1/batch` load with unique messageIds per request. Returns a runner: each call measures for
 * `seconds` and reports acknowledged events (`count`) and events/s.
 */
export function ingestLoad({ url, writeKey, eventsPerBatch, connections = 8 }) {
  const body = batchBodyFactory(eventsPerBatch);
  const nextPrefix = idPrefixes();
  return async (seconds) => {
    const run = await cannon({
      url,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/v1/batch',
          headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: body(nextPrefix()) }),
        },
      ],
    });
    return { ...run, count: run.ok * eventsPerBatch, perSecond: run.perSecond * eventsPerBatch };
  };
}

function ingestPool(url) {
  assertLoopback(url);
  return new Pool(url, { connections: 16, keepAliveTimeout: 60_000 });
}

async function postBatch(pool, writeKey, body) {
  const response = await pool.request({
    method: 'POST',
    path: '/v1/batch',
    headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
    body,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`/v1/batch → ${response.statusCode}: ${text.slice(0, 200)}`);
}

/** Sends `batches` batches as fast as `concurrency` allows (building a backlog); stops at `timeoutMs`. */
export async function sendBatches({ url, writeKey, batches, eventsPerBatch, concurrency = 4, timeoutMs = 120_000 }) {
  const pool = ingestPool(url);
  const body = batchBodyFactory(eventsPerBatch);
  const nextPrefix = idPrefixes();
  const deadline = Date.now() + timeoutMs;
  let sent = 0;
  const worker = async () => {
    while (sent < batches && Date.now() < deadline) {
      sent += 1;
      await postBatch(pool, writeKey, body(nextPrefix()));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool.close();
  }
  return sent * eventsPerBatch;
}

/**
 * Open-loop ingest at a fixed event rate: one batch every `eventsPerBatch / eventsPerSecond` seconds, whether or
 * not earlier ones were answered, with at most MAX_PACED_IN_FLIGHT outstanding (beyond that the schedule slips
 * and `late` counts it). Returns each batch's id prefix with the time its 200 arrived.
 */
export async function pacedIngest({ url, writeKey, eventsPerSecond, eventsPerBatch, seconds }) {
  const pool = ingestPool(url);
  const body = batchBodyFactory(eventsPerBatch);
  const nextPrefix = idPrefixes();
  const intervalMs = (1000 * eventsPerBatch) / eventsPerSecond;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const total = Math.floor((seconds * 1000) / intervalMs);
  const acks = [];
  const inFlight = new Set();
  let failures = 0;
  let late = 0;
  for (let i = 0; i < total && Date.now() < deadline; i++) {
    const wait = started + i * intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= MAX_PACED_IN_FLIGHT) {
      late += 1;
      await Promise.race(inFlight);
    }
    const prefix = nextPrefix();
    const sentAt = Date.now();
    const call = postBatch(pool, writeKey, body(prefix)).then(
      () => acks.push({ prefix, sentAt, ackAt: Date.now() }),
      () => (failures += 1),
    );
    inFlight.add(call);
    call.finally(() => inFlight.delete(call));
  }
  await Promise.all(inFlight);
  await pool.close();
  return { acks, failures, late, eventsPerBatch, seconds: (Date.now() - started) / 1000 };
}

/** A bare undici loop: `concurrency` requests in flight, each POSTing `bodyFor(n)`, for `seconds`. */
export async function postLoop({ url, path, bodyFor, concurrency = 1, seconds }) {
  assertLoopback(url);
  const pool = new Pool(url, { connections: concurrency, keepAliveTimeout: 60_000 });
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;
  let failures = 0;
  const worker = async () => {
    while (Date.now() < deadline && requests < MAX_REQUESTS_PER_RUN) {
      const n = requests++;
      const response = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: bodyFor(n) });
      await response.body.text();
      if (response.statusCode !== 200) failures += 1;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.close();
  return { requests, failures, seconds: elapsed };
}
