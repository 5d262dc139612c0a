// The official TypeScript SDK (47.x) against Switchyard: the Alpha destination subscription endpoints and
// their 5-per-minute write limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { page, PublicAPI, sdkCall, sdkClient, sdkFailure, type SdkApis } from './sdk-client.js';
import { expectPagination, expectSubscription } from './sdk-shapes.js';

const WEBHOOK = '614a3c7d791c91c41bae7599';

/** A source, a disabled Webhook (Actions) destination on it, and the catalog id of its `send` action. */
async function webhookDestination(sdk: SdkApis): Promise<{ destinationId: string; sendActionId: string }> {
  const { destinationMetadata } = await PublicAPI.unwrap(sdk.catalog.getDestinationMetadata(WEBHOOK));
  const send = destinationMetadata.actions.find((action) => action.slug === 'send');
  if (!send) throw new Error('the Webhook catalog entry has no send action');
  const { source } = await PublicAPI.unwrap(sdk.sources.createSource({ slug: 'web', enabled: true, metadataId: 'IqDTy1TpoU' }));
  const { destination } = await PublicAPI.unwrap(
    sdk.destinations.createDestination({ sourceId: source.id, metadataId: WEBHOOK, enabled: false, settings: {} }),
  );
  return { destinationId: destination.id, sendActionId: send.id };
}

// The docs' example body, with the action id read from the catalog.
function exampleSubscription(actionId: string): PublicAPI.CreateDestinationSubscriptionAlphaInput {
  return { name: 'Example Subscription', actionId, trigger: 'type = "track"', enabled: false };
}

describe.each(BACKENDS)('TypeScript SDK: destination subscriptions [%s]', (backend) => {
  let server: TestServer;
  let sdk: SdkApis;
  let destinationId: string;
  let sendActionId: string;
  beforeAll(async () => {
    // Several create/update/remove cycles run within one minute here; the limit has its own test below.
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    sdk = sdkClient(server);
    ({ destinationId, sendActionId } = await webhookDestination(sdk));
  });
  afterAll(() => server.destroy());

  it('walks the docs example: create, list, get, update {input:{name}}, remove', async () => {
    const created = await sdkCall(sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription(sendActionId)));
    expect(created.status).toBe(200);
    // The TS SDK sends plain JSON even for the Alpha operations (Python and Go send the vendor type).
    expect(created.sentHeaders['content-type']).toBe('application/json');
    const subscription = created.data.destinationSubscription;
    expectSubscription(subscription, {
      name: 'Example Subscription',
      actionId: sendActionId,
      actionSlug: 'send',
      destinationId,
      trigger: 'type = "track"',
      enabled: false,
      settings: {},
    });
    expect(subscription.modelId).toBeUndefined();
    expect(created.raw).toEqual({ data: { destinationSubscription: expect.not.objectContaining({ modelId: expect.anything() }) } });

    const listed = await sdkCall(sdk.destinations.listSubscriptionsFromDestination(destinationId, page(10)));
    expect(listed.sentPath).toBe(`/destinations/${destinationId}/subscriptions?pagination%5Bcount%5D=10`);
    expect(listed.data.subscriptions).toEqual([subscription]);
    expectPagination(listed.data.pagination, 1);

    const fetched = await sdkCall(sdk.destinations.getSubscriptionFromDestination(destinationId, subscription.id));
    expect(fetched.data.subscription).toEqual(subscription);

    const updated = await sdkCall(
      sdk.destinations.updateSubscriptionForDestination(destinationId, subscription.id, { input: { name: 'Updated name' } }),
    );
    expectSubscription(updated.data.subscription, { ...subscription, name: 'Updated name' });

    const removed = await sdkCall(sdk.destinations.removeSubscriptionFromDestination(destinationId, subscription.id));
    expect(removed.data).toEqual({ status: 'SUCCESS' });
    const gone = await sdkFailure(sdk.destinations.getSubscriptionFromDestination(destinationId, subscription.id));
    expect(gone.status).toBe(404);
    expect(gone.body.errors).toEqual([{ type: 'not-found', message: `Subscription with id '${subscription.id}' not found` }]);
  });

  it('keeps mappings and model ids as sent, and replaces the mapping on update', async () => {
    const settings = { url: 'https://example.org/hook', method: 'POST', data: { '@path': '$.properties' } };
    const created = await PublicAPI.unwrap(
      sdk.destinations.createDestinationSubscription(destinationId, {
        ...exampleSubscription(sendActionId),
        name: 'Orders to hook',
        trigger: 'type = "track" and event = "Order Completed"',
        enabled: true,
        settings,
        modelId: 'model-1',
      }),
    );
    expectSubscription(created.destinationSubscription, { enabled: true, settings, modelId: 'model-1' });
    const { subscription } = await PublicAPI.unwrap(
      sdk.destinations.updateSubscriptionForDestination(destinationId, created.destinationSubscription.id, {
        input: { settings: { url: 'https://example.org/other', method: 'PUT' }, enabled: false },
      }),
    );
    expect(subscription).toMatchObject({ enabled: false, settings: { url: 'https://example.org/other', method: 'PUT' } });
    expect(subscription.settings).not.toHaveProperty('data');
    await PublicAPI.unwrap(sdk.destinations.removeSubscriptionFromDestination(destinationId, subscription.id));
  });

  it('surfaces 422 with the field for a bad action id, trigger or input type', async () => {
    const badAction = await sdkFailure(
      sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription('notAnActionOfThisEntry')),
    );
    expect(badAction.status).toBe(422);
    expect(badAction.body.errors[0]).toMatchObject({ type: 'input-validation', field: 'actionId' });
    const badTrigger = await sdkFailure(
      sdk.destinations.createDestinationSubscription(destinationId, { ...exampleSubscription(sendActionId), trigger: 'type == "track"' }),
    );
    expect(badTrigger.body.errors[0]).toMatchObject({ type: 'input-validation', field: 'trigger' });

    const { destinationSubscription } = await PublicAPI.unwrap(
      sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription(sendActionId)),
    );
    const badEnabled = await sdkFailure(
      sdk.destinations.updateSubscriptionForDestination(destinationId, destinationSubscription.id, {
        input: { enabled: 'true' as unknown as boolean },
      }),
    );
    expect(badEnabled.status).toBe(422);
    expect(badEnabled.body.errors[0]).toMatchObject({ type: 'input-validation', field: 'input.enabled' });
  });

  it('answers 404 for subscriptions of an unknown destination', async () => {
    const failure = await sdkFailure(sdk.destinations.listSubscriptionsFromDestination('missing', page(10)));
    expect(failure.status).toBe(404);
    expect(failure.body.errors).toEqual([{ type: 'not-found', message: "Destination with id 'missing' not found" }]);
  });
});

describe.each(BACKENDS)('TypeScript SDK: subscription write limit [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.destroy());

  it('rejects the sixth successful create in a minute with 429 and the RequestError envelope', async () => {
    const sdk = sdkClient(server);
    const { destinationId, sendActionId } = await webhookDestination(sdk);
    // Windows are fixed 60 s slices of the clock; start well inside one so all six requests share it.
    const msLeftInWindow = 60_000 - (Date.now() % 60_000);
    if (msLeftInWindow < 5_000) await new Promise((resolve) => setTimeout(resolve, msLeftInWindow + 100));
    for (let i = 0; i < 5; i++) {
      await sdkCall(sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription(sendActionId)));
    }
    const limited = await sdkFailure(sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription(sendActionId)));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({
      errors: [
        {
          type: 'RequestError',
          message: 'Too many requests',
          data: { remainingPoints: 0, msBeforeNext: expect.any(Number), consumedPoints: 5 },
        },
      ],
    });
    // unwrap() hands the caller errors[0], so the type is what SDK users see.
    await expect(PublicAPI.unwrap(sdk.destinations.createDestinationSubscription(destinationId, exampleSubscription(sendActionId)))).rejects.toMatchObject({
      type: 'RequestError',
    });
    // Reads and other operations have their own budgets.
    const listed = await sdkCall(sdk.destinations.listSubscriptionsFromDestination(destinationId, page(10)));
    expect(listed.data.subscriptions).toHaveLength(5);
  });
});
