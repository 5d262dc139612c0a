// Per-destination isolation (data-plane.md §8): a destination whose endpoint hangs holds at most its own
// in-flight cap, so a healthy destination on another source keeps its throughput. The precise goal (within 10 %)
// is measured by the benchmark suite; this timed test asserts a generous floor because CI machines are noisy,
// and alternates the two conditions so drift in machine load hits both alike.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createWebhookPipeline, type Pipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';
import { idsWithPrefix, sendTrackBatch, waitUntil } from '../support/tracking.js';

const EVENTS = 300;
const BACKLOG = 100;
const ROUNDS = 2;
const CAP = 10;
const MIN_RATIO = 0.5;

/** An endpoint that accepts every request and never answers; counts the requests still open. */
async function startHangingEndpoint() {
  const state = { open: 0, peak: 0, url: '' };
  const server = http.createServer((request, response) => {
    state.open += 1;
    state.peak = Math.max(state.peak, state.open);
    request.resume();
    response.on('close', () => (state.open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return Object.assign(state, { close });
}

describe.each(BACKENDS)('per-destination isolation [%s]', (backend) => {
  let server: TestServer;
  let healthySink: Sink;
  let hangingEndpoint: Awaited<ReturnType<typeof startHangingEndpoint>>;
  let healthy: Pipeline;
  const delivered = new Set<string>();

  beforeAll(async () => {
    healthySink = await startSink((request) => {
      delivered.add((request.json as { messageId: string }).messageId);
      return { status: 200 };
    });
    hangingEndpoint = await startHangingEndpoint();
    server = await startTestServer(backend, {
      env: {
        SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
        SWITCHYARD_WORKER_POLL_MS: '20',
        SWITCHYARD_DELIVERY_TIMEOUT_MS: '2000',
        SWITCHYARD_DESTINATION_CONCURRENCY: String(CAP),
      },
    });
    healthy = await createWebhookPipeline(server, { slug: 'isolation-healthy', sinkUrl: healthySink.url });
  });
  afterAll(async () => {
    // Closing the hanging endpoint first releases stuck requests, so the server stops promptly.
    await hangingEndpoint.close();
    await server.destroy();
    await healthySink.close();
  });

  /** Milliseconds from the acknowledged ingest to the last of `count` events at the healthy sink. */
  async function healthyRun(prefix: string, count: number): Promise<number> {
    const ids = idsWithPrefix(`${prefix}-${backend}`, count);
    const before = delivered.size;
    await sendTrackBatch(server, healthy.writeKey, ids);
    const startedAt = performance.now();
    await waitUntil(() => delivered.size - before >= count, 60_000, `${prefix}: ${count} deliveries`);
    const elapsed = performance.now() - startedAt;
    expect(ids.every((id) => delivered.has(id))).toBe(true);
    return elapsed;
  }

  it('keeps the healthy destination delivering while another one hangs at its cap', async () => {
    await healthyRun('warm-up', 100);
    let aloneMs = 0;
    let contendedMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      aloneMs += await healthyRun(`alone-${round}`, EVENTS);

      const hanging = await createWebhookPipeline(server, { slug: `isolation-hanging-${round}`, sinkUrl: hangingEndpoint.url });
      await sendTrackBatch(server, hanging.writeKey, idsWithPrefix(`backlog-${round}-${backend}`, BACKLOG));
      await waitUntil(() => hangingEndpoint.open >= CAP, 10_000, 'hanging destination saturated');
      contendedMs += await healthyRun(`contended-${round}`, EVENTS);

      // Remove the hanging destination and let its stuck requests time out before the next "alone" run.
      expect((await server.api(`/destinations/${hanging.destinationId}`, { method: 'DELETE' })).status).toBe(200);
      await waitUntil(() => hangingEndpoint.open === 0, 10_000, 'hanging requests timed out');
    }

    const rate = (ms: number) => (EVENTS * ROUNDS) / (ms / 1000);
    const ratio = rate(contendedMs) / rate(aloneMs);
    console.info(
      `isolation [${backend}]: alone ${rate(aloneMs).toFixed(0)} ev/s, beside a hanging destination ${rate(contendedMs).toFixed(0)} ev/s, ` +
        `ratio ${ratio.toFixed(2)}; hanging requests peaked at ${hangingEndpoint.peak} (cap ${CAP})`,
    );
    // The hanging destination never held more than its own cap of slots.
    expect(hangingEndpoint.peak).toBeLessThanOrEqual(CAP);
    expect(ratio).toBeGreaterThanOrEqual(MIN_RATIO);
  });
});
