// What ingest stores and routes (data-plane.md §6, §8): dedup by messageId, unmatched events, the
// `integrations` object, and the stored event rows. Wire-level behaviour is in ingest-http.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createWebhookPipeline, type Pipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';
import { messageIdsOf, postTracking, waitForEmptyQueue, type Json } from '../support/tracking.js';

// The catalog name of 614a3c7d791c91c41bae7599 (the action definition's name), which `integrations` keys match.
const WEBHOOK_NAME = 'Webhook';

describe.each(BACKENDS)('ingest routing and storage [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  let pipeline: Pipeline;
  let counter = 0;
  const messageId = (prefix: string) => `${prefix}-${backend}-${++counter}`;
  const track = (extra: Json = {}): Json => ({ type: 'track', userId: 'u1', event: 'Routed', messageId: messageId('r'), ...extra });
  const counters = () => ({ ...server.running.dataPlane.ingest.counters });
  const delta = (before: Record<string, number>) => {
    const now = counters() as unknown as Record<string, number>;
    return Object.fromEntries(Object.keys(now).map((k) => [k, now[k]! - before[k]!]));
  };
  const send = async (body: Json, path = '/v1/batch') => {
    const result = await postTracking(server, path, body, { writeKey: pipeline.writeKey });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return result.body;
  };
  const deliveredCount = (id: string) => messageIdsOf(sink.requests).filter((m) => m === id).length;
  const storedRows = (ids: string[]) =>
    server.running.storage.db.selectFrom('events').selectAll().where('message_id', 'in', ids).where('source_id', '=', pipeline.sourceId).execute();

  beforeAll(async () => {
    sink = await startSink();
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20' } });
    pipeline = await createWebhookPipeline(server, { slug: 'ingest-routing', sinkUrl: sink.url, trigger: 'type = "track"' });
  });
  afterAll(async () => {
    await server.destroy();
    await sink.close();
  });

  it('stores and delivers a repeated messageId once, across requests and within one batch', async () => {
    const before = counters();
    const repeated = track();
    const twiceInBatch = track();
    expect(await send(repeated, '/v1/track')).toEqual({ success: true });
    expect(await send({ batch: [repeated, twiceInBatch, { ...twiceInBatch, properties: { second: true } }] })).toEqual({ success: true });
    expect(delta(before)).toMatchObject({ received: 2, deduplicated: 2, deliveriesCreated: 2, unrouted: 0 });

    await waitForEmptyQueue(server, pipeline.destinationId);
    expect(deliveredCount(repeated.messageId)).toBe(1);
    expect(deliveredCount(twiceInBatch.messageId)).toBe(1);
    // The first occurrence wins.
    const delivered = sink.requests.find((r) => (r.json as Json).messageId === twiceInBatch.messageId)!.json as Json;
    expect(delivered.properties).toBeUndefined();
    expect(await storedRows([repeated.messageId, twiceInBatch.messageId])).toHaveLength(2);
  });

  it('acknowledges concurrent batches that share messageIds in different orders', async () => {
    const before = counters();
    const statuses: number[] = [];
    for (let round = 0; round < 15; round++) {
      const ids = Array.from({ length: 100 }, (_, i) => messageId(`overlap-${round}-${i}`));
      const batchOf = (list: string[]) => ({ batch: list.map((id) => ({ type: 'identify', userId: 'u1', messageId: id })) });
      const results = await Promise.all([
        postTracking(server, '/v1/batch', batchOf(ids), { writeKey: pipeline.writeKey }),
        postTracking(server, '/v1/batch', batchOf([...ids].reverse()), { writeKey: pipeline.writeKey }),
      ]);
      statuses.push(...results.map((r) => r.status));
    }
    // Without a consistent lock order PostgreSQL aborts some of these as deadlocks (503).
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(delta(before)).toMatchObject({ received: 1_500, deduplicated: 1_500 });
  });

  it('stores events no subscription matches without creating deliveries', async () => {
    const before = counters();
    const identify = { type: 'identify', userId: 'u1', traits: { plan: 'pro' }, messageId: messageId('unmatched') };
    await send({ batch: [identify] });
    expect(delta(before)).toMatchObject({ received: 1, unrouted: 1, deliveriesCreated: 0 });
    const [row] = await storedRows([identify.messageId]);
    expect(row).toMatchObject({ type: 'identify', source_id: pipeline.sourceId });
    expect(await server.running.storage.db.selectFrom('deliveries').select('id').where('event_id', '=', row!.id).execute()).toEqual([]);
  });

  it('honours the integrations object by the destination catalog name', async () => {
    const skippedByName = track({ integrations: { [WEBHOOK_NAME]: false } });
    const skippedByAll = track({ integrations: { All: false } });
    const namedDespiteAll = track({ integrations: { All: false, [WEBHOOK_NAME]: true } });
    const otherNameOff = track({ integrations: { Amplitude: false } });
    const itemOverridesBatch = track({ integrations: { [WEBHOOK_NAME]: { someOption: true } } });
    const inheritsBatch = track();
    const before = counters();
    await send({ batch: [skippedByName, skippedByAll, namedDespiteAll, otherNameOff] });
    await send({ batch: [itemOverridesBatch, inheritsBatch], integrations: { All: false, [WEBHOOK_NAME]: false } });
    expect(delta(before)).toMatchObject({ received: 6, unrouted: 3, deliveriesCreated: 3 });

    await waitForEmptyQueue(server, pipeline.destinationId);
    for (const skipped of [skippedByName, skippedByAll, inheritsBatch]) expect(deliveredCount(skipped.messageId), skipped.messageId).toBe(0);
    for (const routed of [namedDespiteAll, otherNameOff, itemOverridesBatch]) expect(deliveredCount(routed.messageId), routed.messageId).toBe(1);
    // Skipped events are still stored.
    expect(await storedRows([skippedByName.messageId, skippedByAll.messageId, inheritsBatch.messageId])).toHaveLength(3);
  });

  it('stores the normalised event durably, without the write key', async () => {
    const sentAt = new Date(Date.now() - 1_000).toISOString();
    const item = track({ timestamp: '2026-01-05T10:00:00Z', context: { page: { path: '/a' } } });
    const requestStart = Date.now();
    await send({ batch: [item], writeKey: pipeline.writeKey, sentAt, context: { library: { name: 'test' }, page: { title: 'T' } } });
    const [row] = await storedRows([item.messageId]);
    expect(row).toMatchObject({ workspace_id: expect.any(String), type: 'track', message_id: item.messageId });
    expect(row!.received_at).toBeGreaterThanOrEqual(requestStart - 5);
    const body = JSON.parse(row!.body) as Json;
    expect(body).not.toHaveProperty('writeKey');
    expect(body).toMatchObject({
      type: 'track',
      event: 'Routed',
      messageId: item.messageId,
      originalTimestamp: '2026-01-05T10:00:00Z',
      sentAt,
      receivedAt: new Date(row!.received_at).toISOString(),
      context: { library: { name: 'test' }, page: { path: '/a', title: 'T' } },
    });
    expect(typeof body.timestamp).toBe('string');

    // A restart over the same database still has it.
    server = await server.restart();
    expect(await storedRows([item.messageId])).toHaveLength(1);
  });
});
