// The queue port on both backends: leases are exclusive while valid, settling is fenced by the lease token,
// expired leases are reclaimed, and every outcome feeds the per-minute counters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlQueue, type DeliveryQueue } from '../../src/data/queue/queue.js';
import { storeEvents } from '../../src/data/queue/enqueue.js';
import { sumMetrics } from '../../src/data/aggregation/metrics.repository.js';
import { BACKENDS } from '../support/backends.js';
import { createTestStorage, type TestStorage } from '../support/storage.js';

const WORKSPACE = 'w1';
const SOURCE = 's1';
const DESTINATION = 'd1';
const SUBSCRIPTION = 'sub1';

async function seedConfig(test: TestStorage) {
  const { db } = test.storage;
  const now = Date.now();
  await db.insertInto('workspaces').values({ id: WORKSPACE, name: 'w', slug: 'w', subscriptions_enabled: 1, created_at: now }).execute();
  await db
    .insertInto('sources')
    .values({ id: SOURCE, workspace_id: WORKSPACE, slug: 'src', name: 'src', enabled: 1, metadata_id: 'U9mT0bPcI6', settings: '{}', created_at: now })
    .execute();
  await db
    .insertInto('destinations')
    .values({ id: DESTINATION, workspace_id: WORKSPACE, source_id: SOURCE, metadata_id: '614a3c7d791c91c41bae7599', name: '', enabled: 1, settings: '{}', created_at: now })
    .execute();
  await db
    .insertInto('destination_subscriptions')
    .values({
      id: SUBSCRIPTION,
      workspace_id: WORKSPACE,
      destination_id: DESTINATION,
      name: 'n',
      action_id: 'a',
      action_slug: 'send',
      trigger: 'type = "track"',
      enabled: 1,
      settings: '{}',
      model_id: null,
      created_at: now,
    })
    .execute();
}

async function enqueue(test: TestStorage, count: number, receivedAt = Date.now()) {
  const events = Array.from({ length: count }, (_, i) => ({
    messageId: `m-${receivedAt}-${i}`,
    type: 'track',
    receivedAt,
    body: { type: 'track', event: 'E', userId: 'u' },
    deliveries: [{ destinationId: DESTINATION, subscriptionId: SUBSCRIPTION }],
  }));
  return storeEvents(test.storage.db, { sourceId: SOURCE, workspaceId: WORKSPACE }, events);
}

describe.each(BACKENDS)('delivery queue [%s]', (backend) => {
  let test: TestStorage;
  let queue: DeliveryQueue;
  beforeEach(async () => {
    test = await createTestStorage(backend);
    await seedConfig(test);
    queue = createSqlQueue(test.storage, { leaseMs: 60_000 });
  });
  afterEach(() => test.destroy());

  it('stores each messageId once per source and creates its deliveries in the same commit', async () => {
    const first = await enqueue(test, 5, 1_000);
    const again = await enqueue(test, 5, 1_000);
    expect(first).toMatchObject({ stored: 5, deduplicated: 0, deliveries: 5 });
    expect(again).toMatchObject({ stored: 0, deduplicated: 5, deliveries: 0 });
    expect(await queue.readyDestinations(Date.now())).toEqual([DESTINATION]);
  });

  it('never hands the same delivery to two claimers while the lease is valid', async () => {
    await enqueue(test, 200);
    const other = createSqlQueue(await test.openAnother(), { leaseMs: 60_000 });
    const now = Date.now();
    const rounds = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? queue : other).claim(DESTINATION, 40, now)),
    );
    const ids = rounds.flat().map((c) => c.id);
    expect(ids.length).toBe(200);
    expect(new Set(ids).size).toBe(200);
    expect(await queue.claim(DESTINATION, 10, now + 1000)).toEqual([]);
  });

  it('ignores a settle from a worker whose lease was taken over, and reclaims expired leases', async () => {
    await enqueue(test, 1);
    const start = Date.now();
    const [stale] = await queue.claim(DESTINATION, 1, start);
    expect(stale).toBeDefined();
    // The lease runs out (the worker is presumed dead) and another worker claims the delivery.
    const [fresh] = await queue.claim(DESTINATION, 1, start + 61_000);
    expect(fresh?.id).toBe(stale!.id);
    expect(fresh?.leaseToken).not.toBe(stale!.leaseToken);
    const timing = { startedAt: start, finishedAt: start + 5, attempted: true };
    expect(await queue.settle(stale!, { kind: 'delivered' }, timing)).toBe(false);
    expect(await queue.settle(fresh!, { kind: 'delivered' }, timing)).toBe(true);
    const counts = await sumMetrics(test.storage.db, { destinationId: DESTINATION, sourceId: SOURCE, from: 0, to: Date.now() + 60_000 });
    expect(counts.successes_first).toBe(1);
  });

  it('reschedules retries, dead-letters discards and counts each outcome once', async () => {
    await enqueue(test, 3);
    const now = Date.now();
    const claims = await queue.claim(DESTINATION, 3, now);
    const timing = { startedAt: now, finishedAt: now + 10, attempted: true };
    await queue.settle(claims[0]!, { kind: 'retry', nextAttemptAt: now + 5_000, error: 'HTTP 500' }, timing);
    await queue.settle(claims[1]!, { kind: 'dead', outcome: 'discarded', reason: 'http-4xx', status: 400, error: 'HTTP 400' }, timing);
    await queue.settle(claims[2]!, { kind: 'delivered' }, timing);
    expect(await queue.claim(DESTINATION, 3, now + 1_000)).toEqual([]);
    const [retry] = await queue.claim(DESTINATION, 3, now + 5_000);
    expect(retry).toMatchObject({ id: claims[0]!.id, attempts: 1, firstAttemptAt: now });
    const dead = await test.storage.db.selectFrom('dead_letters').selectAll().execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ reason: 'http-4xx', status: 400, outcome: 'discarded', attempts: 1 });
    const counts = await sumMetrics(test.storage.db, { destinationId: DESTINATION, sourceId: SOURCE, from: 0, to: now + 120_000 });
    expect(counts).toMatchObject({ retried: 1, discarded: 1, successes_first: 1, first_attempt_count: 3 });
  });

  it('removes queued deliveries with their subscription', async () => {
    await enqueue(test, 4);
    await test.storage.db.deleteFrom('destination_subscriptions').where('id', '=', SUBSCRIPTION).execute();
    expect(await queue.claim(DESTINATION, 10, Date.now())).toEqual([]);
  });
});
