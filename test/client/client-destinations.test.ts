// switchyard/client against a real server: destinations, subscriptions and delivery metrics (the scenarios of
// test/sdk/typescript-sdk-destinations.test.ts and -subscriptions.test.ts), failed deliveries, source events,
// and the subscription write limit's 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardApiError, type SwitchyardClient } from '../../src/client/index.js';
import { expectDestination, expectPagination, expectSubscription } from './shapes.js';
import { BACKENDS } from '../support/backends.js';
import { sendTracks } from '../support/delivery-metrics.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { AMPLITUDE, JAVASCRIPT_SOURCE, MASKED, recordingClient, rejectionOf, WEBHOOK, type SentRequest } from './client-recorder.js';

const METRIC_NAMES = ['successes', 'expired', 'discarded', 'retried', 'time_to_success', 'time_to_first_attempt'];

async function sendActionId(client: SwitchyardClient): Promise<string> {
  const send = (await client.catalog.destination(WEBHOOK)).actions.find((action) => action.slug === 'send');
  if (!send) throw new Error('the Webhook catalog entry has no send action');
  return send.id;
}

describe.each(BACKENDS)('switchyard/client: destinations, subscriptions, metrics, events [%s]', (backend) => {
  let server: TestServer;
  let client: SwitchyardClient;
  let sent: SentRequest[];
  let sourceId: string;
  let writeKey: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    ({ client, sent } = recordingClient(server));
    const source = await client.sources.create({ slug: 'web', enabled: true, metadataId: JAVASCRIPT_SOURCE });
    sourceId = source.id;
    writeKey = source.writeKeys[0]!;
  });
  afterAll(() => server.destroy());

  it('walks the docs example: create, list, get, update, mask round trip, delete', async () => {
    const destination = await client.destinations.create({
      sourceId,
      metadataId: AMPLITUDE,
      name: 'Example Destination',
      enabled: true,
      settings: { apiKey: 'abc123def456', retarget: true },
    });
    expectDestination(destination, { name: 'Example Destination', enabled: true, sourceId, settings: { apiKey: MASKED, retarget: true } });
    const listed = await client.destinations.list({ count: 10 });
    expect(listed.items).toEqual([destination]);
    expectPagination(listed.pagination, 1);
    expect(await client.destinations.get(destination.id)).toEqual(destination);

    const updated = await client.destinations.update(destination.id, { enabled: false });
    expect(sent.at(-1)).toMatchObject({ method: 'PATCH', body: '{"enabled":false}' });
    expectDestination(updated, { id: destination.id, enabled: false, settings: { apiKey: MASKED, retarget: true } });
    const roundTrip = await client.destinations.update(destination.id, { name: 'Renamed', settings: updated.settings });
    expect(roundTrip).toMatchObject({ name: 'Renamed', settings: { apiKey: MASKED, retarget: true } });

    await expect(client.destinations.delete(destination.id)).resolves.toBeUndefined();
    expect(await rejectionOf(client.destinations.get(destination.id))).toMatchObject({
      status: 404,
      type: 'not-found',
      message: `Destination with id '${destination.id}' not found`,
    });
  });

  it('iterates 26 destinations with destinations.all and reports referenced-id errors with their field', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 26; i++) {
      ids.push((await client.destinations.create({ sourceId, metadataId: WEBHOOK, name: `hook ${i}`, enabled: false, settings: {} })).id);
    }
    const walked: string[] = [];
    for await (const destination of client.destinations.all({ count: 10 })) walked.push(destination.id);
    expect(walked).toEqual(ids);

    const invalid = (await rejectionOf(
      client.destinations.create({ sourceId, metadataId: AMPLITUDE, enabled: true, settings: { retarget: 'yes' } }),
    )) as SwitchyardApiError;
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((error) => [error.type, error.field])).toEqual(expect.arrayContaining([['input-validation', 'settings.apiKey']]));
    const unknownSource = await rejectionOf(client.destinations.create({ sourceId: 'missing', metadataId: AMPLITUDE, enabled: false, settings: {} }));
    expect(unknownSource).toMatchObject({ status: 404, type: 'not-found', message: "Source with id 'missing' not found", field: 'sourceId' });
    for (const id of ids) await client.destinations.delete(id);
  });

  it('walks the subscription lifecycle, keeps mappings as sent and replaces them on update', async () => {
    const actionId = await sendActionId(client);
    const { id: destinationId } = await client.destinations.create({ sourceId, metadataId: WEBHOOK, enabled: false, settings: {} });
    const created = await client.subscriptions.create(destinationId, { name: 'Example Subscription', actionId, trigger: 'type = "track"', enabled: false });
    expectSubscription(created, { name: 'Example Subscription', actionId, actionSlug: 'send', destinationId, trigger: 'type = "track"', enabled: false, settings: {} });
    expect(created.modelId).toBeUndefined();
    const listed = await client.subscriptions.list(destinationId, { count: 10 });
    expect(listed.items).toEqual([created]);
    expect(await client.subscriptions.get(destinationId, created.id)).toEqual(created);
    const renamed = await client.subscriptions.update(destinationId, created.id, { name: 'Updated name' });
    expect(sent.at(-1)!.body).toBe('{"input":{"name":"Updated name"}}');
    expect(renamed).toEqual({ ...created, name: 'Updated name' });

    const settings = { url: 'https://example.org/hook', method: 'POST', data: { '@path': '$.properties' } };
    const mapped = await client.subscriptions.create(destinationId, {
      name: 'Orders to hook',
      actionId,
      trigger: 'type = "track" and event = "Order Completed"',
      enabled: true,
      settings,
      modelId: 'model-1',
    });
    expectSubscription(mapped, { enabled: true, settings, modelId: 'model-1' });
    const replaced = await client.subscriptions.update(destinationId, mapped.id, { settings: { url: 'https://example.org/other', method: 'PUT' }, enabled: false });
    expect(replaced.settings).toEqual({ url: 'https://example.org/other', method: 'PUT' });

    const walked: string[] = [];
    for await (const subscription of client.subscriptions.all(destinationId, { count: 1 })) walked.push(subscription.id);
    expect(walked).toEqual([created.id, mapped.id]);

    const badTrigger = await rejectionOf(client.subscriptions.create(destinationId, { name: 'x', actionId, trigger: 'type == "track"', enabled: false }));
    expect(badTrigger).toMatchObject({ status: 422, type: 'input-validation', field: 'trigger' });
    const badEnabled = await rejectionOf(client.subscriptions.update(destinationId, created.id, { enabled: 'true' as unknown as boolean }));
    expect(badEnabled).toMatchObject({ status: 422, type: 'input-validation', field: 'input.enabled' });

    await expect(client.subscriptions.remove(destinationId, created.id)).resolves.toBeUndefined();
    expect(await rejectionOf(client.subscriptions.get(destinationId, created.id))).toMatchObject({
      status: 404,
      message: `Subscription with id '${created.id}' not found`,
    });
    expect(await rejectionOf(client.subscriptions.list('missing'))).toMatchObject({ status: 404, message: "Destination with id 'missing' not found" });
  });

  it('reads the delivery metrics summary with its window rules', async () => {
    const destination = await client.destinations.create({ sourceId, metadataId: WEBHOOK, enabled: false, settings: {} });
    const summary = await client.destinations.deliveryMetrics(destination.id, { sourceId, granularity: 'HOUR' });
    expect(sent.at(-1)!.path).toBe(`/destinations/${destination.id}/delivery-metrics?sourceId=${sourceId}&granularity=HOUR`);
    expect(summary).toMatchObject({ sourceId, destinationMetadataId: WEBHOOK });
    expect(summary.metrics.map((metric) => metric.metricName)).toEqual(METRIC_NAMES);
    expect(summary.metrics.every((metric) => metric.total === 0)).toBe(true);

    const now = Date.now();
    const windowed = await client.destinations.deliveryMetrics(destination.id, {
      sourceId,
      startTime: new Date(now - 2 * 3_600_000),
      endTime: new Date(now).toISOString(),
      granularity: 'MINUTE',
    });
    expect(windowed.metrics).toHaveLength(6);
    const tooWide = await rejectionOf(
      client.destinations.deliveryMetrics(destination.id, { sourceId, startTime: new Date(now - 6 * 3_600_000), endTime: new Date(now), granularity: 'MINUTE' }),
    );
    expect(tooWide).toMatchObject({ status: 422, type: 'input-validation', field: 'startTime' });
    expect(await rejectionOf(client.destinations.deliveryMetrics('missing', { sourceId }))).toMatchObject({ status: 404, type: 'not-found' });
  });

  it('lists failed deliveries and replays them (empty here), validating the filters', async () => {
    const destination = await client.destinations.create({ sourceId, metadataId: WEBHOOK, enabled: false, settings: {} });
    const page = await client.destinations.failedDeliveries(destination.id, { count: 10, reason: 'http-4xx' });
    expect(sent.at(-1)!.path).toBe(`/destinations/${destination.id}/failed-deliveries?pagination.count=10&reason=http-4xx`);
    expect(page.items).toEqual([]);
    expectPagination(page.pagination, 0);
    expect(await client.destinations.replay(destination.id)).toEqual({ replayed: 0 });
    expect(await client.destinations.replay(destination.id, { since: new Date(Date.now() - 60_000), reason: 'http-4xx' })).toEqual({ replayed: 0 });
    expect(await rejectionOf(client.destinations.replay(destination.id, { since: 'yesterday' }))).toMatchObject({ status: 422, field: 'since' });
    expect(await rejectionOf(client.destinations.failedDeliveries('missing'))).toMatchObject({ status: 404 });
  });

  it("reads a source's recent events and follows them with the cursor (Switchyard extension)", async () => {
    const empty = await client.sources.events(sourceId);
    expect(empty.events).toEqual([]);
    const first = await sendTracks(server, writeKey, { prefix: 'tail-a', count: 3 });
    const latest = await client.sources.events(sourceId, { limit: 2 });
    expect(latest.events).toHaveLength(2);
    expect(latest.events.every((e) => first.includes(e.messageId))).toBe(true);
    expect(latest.events[0]).toEqual({
      id: expect.any(String),
      type: 'track',
      event: 'Order Completed',
      messageId: expect.stringMatching(/^tail-a-\d$/),
      userId: expect.stringMatching(/^u\d$/),
      anonymousId: null,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const all = await client.sources.events(sourceId, { after: empty.cursor });
    expect(all.events.map((e) => e.messageId).sort()).toEqual([...first].sort());
    expect((await client.sources.events(sourceId, { after: all.cursor })).events).toEqual([]);

    const second = await sendTracks(server, writeKey, { prefix: 'tail-b', count: 2 });
    const next = await client.sources.events(sourceId, { after: all.cursor });
    expect(next.events.map((e) => e.messageId).sort()).toEqual(second.sort());

    expect(await rejectionOf(client.sources.events(sourceId, { after: 'not a cursor' }))).toMatchObject({ status: 422, field: 'after' });
    expect(await rejectionOf(client.sources.events(sourceId, { limit: 0 }))).toMatchObject({ status: 422, field: 'limit' });
    expect(await rejectionOf(client.sources.events('missing'))).toMatchObject({ status: 404, message: "Source with id 'missing' not found" });
  });
});

describe.each(BACKENDS)('switchyard/client: subscription write limit [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    // The default limit: 5 successful creates per minute per token.
    server = await startTestServer(backend);
  });
  afterAll(() => server.destroy());

  it('surfaces the sixth create as 429 RequestError with Retry-After, and waits only when allowed to', async () => {
    const retries: number[] = [];
    const { client, sent } = recordingClient(server, { maxRetryAfterMs: 0, onRetry: (info) => retries.push(info.delayMs) });
    const actionId = await sendActionId(client);
    const { id: destinationId } = await client.destinations.create({
      sourceId: (await client.sources.create({ slug: 'limited', enabled: true, metadataId: JAVASCRIPT_SOURCE })).id,
      metadataId: WEBHOOK,
      enabled: false,
      settings: {},
    });
    const input = { name: 'Example Subscription', actionId, trigger: 'type = "track"', enabled: false };
    // Windows are fixed 60 s slices of the clock; start well inside one so all six requests share it.
    const msLeftInWindow = 60_000 - (Date.now() % 60_000);
    if (msLeftInWindow < 5_000) await new Promise((resolve) => setTimeout(resolve, msLeftInWindow + 100));
    for (let i = 0; i < 5; i++) await client.subscriptions.create(destinationId, input);
    const limited = (await rejectionOf(client.subscriptions.create(destinationId, input))) as SwitchyardApiError;
    expect(limited).toBeInstanceOf(SwitchyardApiError);
    expect(limited).toMatchObject({ status: 429, type: 'RequestError', message: 'Too many requests' });
    expect(limited.errors[0]!.data).toMatchObject({ remainingPoints: 0, consumedPoints: 5 });
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(60_000);
    // A Retry-After beyond maxRetryAfterMs is not waited for: one request, no retry.
    expect(sent.filter((r) => r.status === 429)).toHaveLength(1);
    expect(retries).toEqual([]);
  });
});
