import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createWebhookPipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';

describe.each(BACKENDS)('events flow from analytics-node to a webhook [%s]', (backend) => {
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

  it('delivers every track event and no identify event', async () => {
    const pipeline = await createWebhookPipeline(server, { slug: 'node-app', sinkUrl: sink.url });
    const analytics = new Analytics({ writeKey: pipeline.writeKey, host: server.url, flushAt: 50, flushInterval: 100 });
    const total = 300;
    for (let i = 0; i < total; i++) {
      analytics.track({ userId: `u${i % 7}`, event: 'Order Completed', properties: { n: i } });
      if (i % 10 === 0) analytics.identify({ userId: `u${i}`, traits: { n: i } });
    }
    await analytics.closeAndFlush();
    await sink.waitFor((requests) => new Set(requests.map((r) => (r.json as { messageId: string }).messageId)).size >= total);
    const bodies = sink.requests.map((r) => r.json as { type: string; properties: { n: number } });
    expect(bodies.every((b) => b.type === 'track')).toBe(true);
    expect(new Set(bodies.map((b) => b.properties.n)).size).toBe(total);
  });

  it('batches through onBatch, one request per batch key, and delivers every event', async () => {
    sink.requests.length = 0;
    const pipeline = await createWebhookPipeline(server, {
      slug: 'batched',
      sinkUrl: sink.url,
      mapping: {
        url: { '@template': `${sink.url}/tenant/{{properties.tenant}}` },
        method: 'POST',
        data: { '@path': '$.' },
        batch_size: 50,
      },
    });
    const auth = `Basic ${Buffer.from(`${pipeline.writeKey}:`).toString('base64')}`;
    const batch = Array.from({ length: 200 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'Batched',
      messageId: `batched-${i}`,
      properties: { n: i, tenant: i % 2 === 0 ? 'even' : 'odd' },
    }));
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    });
    expect(response.status).toBe(200);
    const items = () => sink.requests.flatMap((r) => (Array.isArray(r.json) ? (r.json as { properties: { n: number; tenant: string } }[]) : []));
    await sink.waitFor(() => new Set(items().map((e) => e.properties.n)).size >= 200);
    // Every request carried a batch, and each went to the URL of its own events.
    expect(sink.requests.every((r) => Array.isArray(r.json))).toBe(true);
    expect(sink.requests.length).toBeLessThan(200);
    for (const request of sink.requests) {
      const tenants = new Set((request.json as { properties: { tenant: string } }[]).map((e) => e.properties.tenant));
      expect([...tenants]).toEqual([request.url.split('/').pop()]);
    }
  });
});
