// The issue's own end-to-end check, at full size: 10,000 events from analytics-node through a
// Webhooks (Actions) subscription on `type = "track"`; identify events must not be delivered, and the
// delivery metrics must count exactly what the sink received.
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { flattenMetrics, getMetrics } from '../support/delivery-metrics.js';
import { createWebhookPipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';

const TRACKS = 10_000;
const IDENTIFIES = 500;

describe.each(BACKENDS)('10,000 events end to end [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20' } });
  });
  afterAll(async () => {
    await server.destroy();
    await sink.close();
  });

  it('delivers every track event, no identify event, and counts each delivery once', async () => {
    const pipeline = await createWebhookPipeline(server, { slug: 'ten-k', sinkUrl: sink.url });
    const analytics = new Analytics({ writeKey: pipeline.writeKey, host: server.url, flushAt: 200, flushInterval: 200 });
    for (let i = 0; i < TRACKS; i++) {
      analytics.track({ userId: `u${i % 97}`, event: 'Order Completed', properties: { n: i } });
      if (i % (TRACKS / IDENTIFIES) === 0) analytics.identify({ userId: `u${i}`, traits: { n: i } });
    }
    await analytics.closeAndFlush();

    const delivered = () => new Set(sink.requests.map((r) => (r.json as { properties: { n: number } }).properties.n));
    await sink.waitFor(() => delivered().size >= TRACKS, 240_000);
    expect(sink.requests.every((r) => (r.json as { type: string }).type === 'track')).toBe(true);
    expect(delivered().size).toBe(TRACKS);

    // Outcomes are counted when they settle, which may trail the sink's receipt by a moment.
    let successes = -1;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { status, body } = await getMetrics(server, pipeline.destinationId, `sourceId=${pipeline.sourceId}`);
      expect(status).toBe(200);
      successes = flattenMetrics(body.data.deliveryMetricsSummary).successes ?? -1;
      if (successes === sink.requests.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(successes).toBe(sink.requests.length);
  }, 300_000);
});
