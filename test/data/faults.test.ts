// Delivery under destination faults (data-plane.md §8, §8.1): outages, throttling, client errors, timeouts,
// and configuration changes while deliveries wait in the queue. Assertions read the sink and the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createWebhookPipeline, webhookActionId } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink, type SinkBehaviour, type SinkRequest } from '../support/sink.js';
import { deadLettersOf, idsWithPrefix, queuedDeliveries, sendTrackBatch, waitForDeadLetters, waitForEmptyQueue, waitUntil } from '../support/tracking.js';

const TIMEOUT_MS = 300;
const idOf = (request: SinkRequest) => (request.json as { messageId: string }).messageId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)('delivery faults [%s]', (backend) => {
  let server: TestServer;
  const sinks: Sink[] = [];
  const sink = async (respond: SinkBehaviour) => {
    const started = await startSink(respond);
    sinks.push(started);
    return started;
  };
  const deadLetters = (destinationId: string) => deadLettersOf(server, destinationId);

  beforeAll(async () => {
    server = await startTestServer(backend, {
      env: {
        SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
        SWITCHYARD_WORKER_POLL_MS: '20',
        SWITCHYARD_RETRY_BASE_MS: '50',
        SWITCHYARD_RETRY_MAX_MS: '500',
        SWITCHYARD_DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
  });
  afterAll(async () => {
    await server.destroy();
    await Promise.all(sinks.map((s) => s.close()));
  });

  it('retries through an outage until every event arrives', async () => {
    const ids = idsWithPrefix(`outage-${backend}`, 10);
    const failuresOf = new Map<string, number>();
    const delivered = new Set<string>();
    // The endpoint stays down until every event has failed at least twice, then recovers.
    let down = true;
    const outage = await sink((request) => {
      const id = idOf(request);
      if (down) {
        failuresOf.set(id, (failuresOf.get(id) ?? 0) + 1);
        down = !ids.every((each) => (failuresOf.get(each) ?? 0) >= 2);
        return { status: failuresOf.get(id)! % 2 ? 500 : 503, body: 'upstream down' };
      }
      delivered.add(id);
      return { status: 200 };
    });
    const pipeline = await createWebhookPipeline(server, { slug: 'outage', sinkUrl: outage.url });
    await sendTrackBatch(server, pipeline.writeKey, ids);
    await waitUntil(() => delivered.size === ids.length, 30_000, 'every event delivered after the outage');
    expect([...delivered].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(failuresOf.get(id)).toBeGreaterThanOrEqual(2);
    await waitForEmptyQueue(server, pipeline.destinationId);
    expect(await deadLetters(pipeline.destinationId)).toEqual([]);
  });

  it('honours Retry-After on a 429 before the next attempt', async () => {
    const seen: { at: number; status: number }[] = [];
    const throttled = await sink(() => {
      const status = seen.length === 0 ? 429 : 200;
      seen.push({ at: Date.now(), status });
      return status === 429 ? { status, headers: { 'retry-after': '1' }, body: 'slow down' } : { status };
    });
    const pipeline = await createWebhookPipeline(server, { slug: 'throttled', sinkUrl: throttled.url });
    await sendTrackBatch(server, pipeline.writeKey, [`throttled-${backend}`]);
    await waitUntil(() => seen.length >= 2, 10_000, 'retry after the 429');
    const [first, second] = seen;
    expect(first!.status).toBe(429);
    expect(second!.status).toBe(200);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
    await waitForEmptyQueue(server, pipeline.destinationId);
    await sleep(200);
    expect(seen).toHaveLength(2);
  });

  it('discards a delivery the destination answers with 400, keeping status and response excerpt', async () => {
    const rejecting = await sink(() => ({ status: 400, body: '{"error":"field user_id is invalid"}' }));
    const pipeline = await createWebhookPipeline(server, { slug: 'bad-request', sinkUrl: rejecting.url });
    const [id] = idsWithPrefix(`bad-request-${backend}`, 1);
    await sendTrackBatch(server, pipeline.writeKey, [id!]);
    const [row] = await waitForDeadLetters(server, pipeline.destinationId, 1);
    expect(row).toMatchObject({
      outcome: 'discarded',
      reason: 'http-4xx',
      status: 400,
      attempts: 1,
      subscription_id: pipeline.subscriptionId,
      source_id: pipeline.sourceId,
    });
    expect(row!.response_excerpt).toContain('field user_id is invalid');
    expect(row!.error.length).toBeGreaterThan(0);
    const event = await server.running.storage.db.selectFrom('events').select('message_id').where('id', '=', row!.event_id).executeTakeFirstOrThrow();
    expect(event.message_id).toBe(id);
    expect(await queuedDeliveries(server, pipeline.destinationId)).toBe(0);
    expect(rejecting.requests).toHaveLength(1);
  });

  it('retries requests that time out', async () => {
    let hung = 0;
    const delivered = new Set<string>();
    const slow = await sink((request) => {
      if (hung < 3) {
        hung += 1;
        return 'hang';
      }
      delivered.add(idOf(request));
      return { status: 200 };
    });
    const pipeline = await createWebhookPipeline(server, { slug: 'timeouts', sinkUrl: slow.url });
    const ids = idsWithPrefix(`timeouts-${backend}`, 3);
    const startedAt = Date.now();
    await sendTrackBatch(server, pipeline.writeKey, ids);
    await waitUntil(() => delivered.size === ids.length, 15_000, 'delivery after timeouts');
    expect(hung).toBe(3);
    // At least one attempt waited out the timeout before its retry succeeded.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TIMEOUT_MS);
    await waitForEmptyQueue(server, pipeline.destinationId);
    expect(await deadLetters(pipeline.destinationId)).toEqual([]);
  });

  it.each([
    ['destination', 'destination-disabled'],
    ['subscription', 'subscription-disabled'],
  ])('discards queued deliveries once the %s is disabled', async (what, reason) => {
    const failing = await sink(() => ({ status: 500, body: 'still down' }));
    const pipeline = await createWebhookPipeline(server, { slug: `${what}-disabled-later`, sinkUrl: failing.url });
    const ids = idsWithPrefix(`${what}-disabled-${backend}`, 5);
    await sendTrackBatch(server, pipeline.writeKey, ids);
    await failing.waitFor((requests) => new Set(requests.map(idOf)).size === ids.length, 10_000);
    const patched =
      what === 'destination'
        ? await server.api(`/destinations/${pipeline.destinationId}`, { method: 'PATCH', json: { enabled: false } })
        : await server.api(`/destinations/${pipeline.destinationId}/subscriptions/${pipeline.subscriptionId}`, { method: 'PATCH', json: { input: { enabled: false } } });
    expect(patched.status).toBe(200);
    const rows = await waitForDeadLetters(server, pipeline.destinationId, ids.length);
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      expect(row).toMatchObject({ outcome: 'discarded', reason, status: null });
      expect(row.attempts).toBeGreaterThanOrEqual(1);
    }
    expect(await queuedDeliveries(server, pipeline.destinationId)).toBe(0);
    const requestsAfter = failing.requests.length;
    await sleep(300);
    expect(failing.requests).toHaveLength(requestsAfter);
  });

  it('removes the queued deliveries of a deleted subscription and of a deleted destination', async () => {
    const failing = await sink(() => ({ status: 500 }));
    const healthy = await sink(() => ({ status: 200 }));
    const pipeline = await createWebhookPipeline(server, { slug: 'deleted-sub', sinkUrl: failing.url });
    const created = await server.api(`/destinations/${pipeline.destinationId}/subscriptions`, {
      method: 'POST',
      json: { name: 'healthy', actionId: await webhookActionId(server), trigger: 'type = "track"', enabled: true, settings: { url: healthy.url, method: 'POST', data: { '@path': '$.' } } },
    });
    expect(created.status).toBe(200);
    const ids = idsWithPrefix(`deleted-sub-${backend}`, 5);
    await sendTrackBatch(server, pipeline.writeKey, ids);
    await failing.waitFor((requests) => new Set(requests.map(idOf)).size === ids.length, 10_000);
    await healthy.waitFor((requests) => requests.length === ids.length, 10_000);

    const db = server.running.storage.db;
    const queuedFor = async (subscriptionId: string) =>
      (await db.selectFrom('deliveries').select('id').where('subscription_id', '=', subscriptionId).execute()).length;
    expect(await queuedFor(pipeline.subscriptionId)).toBe(ids.length);
    const removed = await server.api(`/destinations/${pipeline.destinationId}/subscriptions/${pipeline.subscriptionId}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await queuedFor(pipeline.subscriptionId)).toBe(0);
    // An attempt already past its configuration read may still land once; nothing after that.
    await sleep(TIMEOUT_MS + 200);
    const settled = failing.requests.length;
    await sleep(500);
    expect(failing.requests).toHaveLength(settled);
    expect(await deadLetters(pipeline.destinationId)).toEqual([]);
    expect(healthy.requests).toHaveLength(ids.length);

    const second = await createWebhookPipeline(server, { slug: 'deleted-dest', sinkUrl: failing.url });
    await sendTrackBatch(server, second.writeKey, idsWithPrefix(`deleted-dest-${backend}`, 3));
    await waitUntil(() => failing.requests.length >= settled + 3, 10_000, 'first attempts');
    expect(await queuedDeliveries(server, second.destinationId)).toBe(3);
    expect((await server.api(`/destinations/${second.destinationId}`, { method: 'DELETE' })).status).toBe(200);
    expect(await queuedDeliveries(server, second.destinationId)).toBe(0);
  });
});
