// A webhook aimed at cloud metadata endpoints is discarded by the SSRF guard without any connection attempt,
// while deliveries to the loopback sink keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { refuseNonLoopbackConnects, type ConnectRecorder } from '../support/loopback-only.js';
import { createWebhookPipeline, webhookActionId } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';
import { basicAuth, waitForDeadLetters, waitForEmptyQueue } from '../support/tracking.js';

const METADATA_URLS = [
  'http://169.254.169.254/latest/meta-data',
  'http://[fd00:ec2::254]/latest/meta-data',
  'http://metadata.google.internal/computeMetadata/v1/',
];

describe.each(BACKENDS)('SSRF guard on destination requests [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  let connects: ConnectRecorder;
  beforeAll(async () => {
    connects = refuseNonLoopbackConnects();
    sink = await startSink();
    server = await startTestServer(backend, {
      env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20', SWITCHYARD_RETRY_BASE_MS: '50' },
    });
  });
  afterAll(async () => {
    await server.destroy();
    await sink.close();
    connects.restore();
  });

  it('discards deliveries to metadata addresses with destination-address-refused and no socket', async () => {
    const healthy = await createWebhookPipeline(server, { slug: 'ssrf-healthy', sinkUrl: sink.url });
    const [firstUrl, ...otherUrls] = METADATA_URLS;
    const guarded = await createWebhookPipeline(server, {
      slug: 'ssrf-metadata',
      sinkUrl: firstUrl!,
      source: { sourceId: healthy.sourceId, writeKey: healthy.writeKey },
    });
    const actionId = await webhookActionId(server);
    for (const [i, url] of otherUrls.entries()) {
      const response = await server.api(`/destinations/${guarded.destinationId}/subscriptions`, {
        method: 'POST',
        json: { name: `metadata ${i}`, actionId, trigger: 'type = "track"', enabled: true, settings: { url, method: 'POST', data: { '@path': '$.' } } },
      });
      expect(response.status, await response.text()).toBe(200);
    }

    const response = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(healthy.writeKey) },
      body: JSON.stringify({ userId: 'u1', event: 'Probe', messageId: 'ssrf-1' }),
    });
    expect(response.status).toBe(200);

    await sink.waitFor((requests) => requests.length >= 1);
    const dead = await waitForDeadLetters(server, guarded.destinationId, METADATA_URLS.length);
    expect(dead).toHaveLength(METADATA_URLS.length);
    for (const row of dead) {
      expect(row).toMatchObject({ outcome: 'discarded', reason: 'destination-address-refused', attempts: 1, status: null });
      expect(row.error).toMatch(/refused by the address policy/);
    }
    expect(dead.map((r) => r.error).join('\n')).toMatch(/169\.254\.169\.254/);
    expect(dead.map((r) => r.error).join('\n')).toMatch(/metadata\.google\.internal/);
    await waitForEmptyQueue(server);

    // Nothing reached the socket layer with a non-loopback target: the guard refused first.
    expect(connects.blocked).toEqual([]);
    expect(sink.requests.map((r) => (r.json as { messageId: string }).messageId)).toEqual(['ssrf-1']);
  });

  it('refuses a redirect from an allowed endpoint to a metadata address', async () => {
    const redirector = await startSink(() => ({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/iam' } }));
    try {
      const pipeline = await createWebhookPipeline(server, { slug: 'ssrf-redirect', sinkUrl: redirector.url });
      const response = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth(pipeline.writeKey) },
        body: JSON.stringify({ userId: 'u1', event: 'Probe', messageId: 'ssrf-redirect-1' }),
      });
      expect(response.status).toBe(200);
      const dead = await waitForDeadLetters(server, pipeline.destinationId, 1);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ reason: 'destination-address-refused', attempts: 1 });
      expect(redirector.requests).toHaveLength(1);
      expect(connects.blocked).toEqual([]);
    } finally {
      await redirector.close();
    }
  });
});
