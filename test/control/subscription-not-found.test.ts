// The 404 matrix of the subscription endpoints (public-api.md §1.2, §1.5, §4.7–4.10): unknown destination,
// unknown subscription, a subscription of another destination, another workspace, and 404 before 422.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  createDestination,
  createSource,
  createSubscription,
  errorsOf,
  subscriptionBody,
  webhookSendActionId,
  type WireSubscription,
} from './subscription-fixtures.js';

describe.each(BACKENDS)('subscription 404s [%s]', (backend) => {
  let server: TestServer;
  let sourceId: string;
  let destinationId: string;
  let actionId: string;
  let otherDestination: string;
  let foreignToken: string;
  let foreignDestination: string;
  let mine: WireSubscription;
  let foreignSubscription: WireSubscription;

  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    sourceId = await createSource(server);
    destinationId = await createDestination(server, sourceId);
    actionId = webhookSendActionId(server);
    otherDestination = await createDestination(server, sourceId);
    mine = await createSubscription(server, destinationId, subscriptionBody(actionId, { name: 'mine' }));
    const { token } = await server.running.controlPlane.workspaces.create('Other Co');
    foreignToken = token.token;
    foreignDestination = await createDestination(server, await createSource(server, foreignToken), undefined, foreignToken);
    foreignSubscription = await createSubscription(server, foreignDestination, subscriptionBody(actionId), foreignToken);
  });
  afterAll(() => server.destroy());

  const base = () => `/destinations/${destinationId}/subscriptions`;

  const valid = () => ({ create: subscriptionBody(actionId), update: { input: { name: 'x' } } });

  async function expectNotFound(response: Response, kind: 'Destination' | 'Subscription', id: string) {
    expect(response.status).toBe(404);
    expect(await errorsOf(response)).toEqual([{ type: 'not-found', message: `${kind} with id '${id}' not found` }]);
  }

  async function allFive(destination: string, subscription: string, token?: string) {
    const path = `/destinations/${destination}/subscriptions`;
    const auth = token ? { token } : {};
    return [
      await server.api(path, { method: 'POST', json: valid().create, ...auth }),
      await server.api(path, auth),
      await server.api(`${path}/${subscription}`, auth),
      await server.api(`${path}/${subscription}`, { method: 'PATCH', json: valid().update, ...auth }),
      await server.api(`${path}/${subscription}`, { method: 'DELETE', ...auth }),
    ];
  }

  it('unknown destination → Destination not found on all five endpoints', async () => {
    for (const response of await allFive('nOtAdEsTiNaTiOn', mine.id)) await expectNotFound(response, 'Destination', 'nOtAdEsTiNaTiOn');
  });

  it('percent-encoded unknown destination ids are decoded before lookup', async () => {
    const response = await server.api('/destinations/a%2Fb/subscriptions');
    await expectNotFound(response, 'Destination', 'a/b');
  });

  it('unknown subscription → Subscription not found on get, update and remove', async () => {
    const [, , get, update, remove] = await allFive(destinationId, 'nOtAsUbScRiPtIoN');
    for (const response of [get!, update!, remove!]) await expectNotFound(response, 'Subscription', 'nOtAsUbScRiPtIoN');
  });

  it('a subscription of another destination is not found under this one', async () => {
    const [, , get, update, remove] = await allFive(otherDestination, mine.id);
    for (const response of [get!, update!, remove!]) await expectNotFound(response, 'Subscription', mine.id);
    expect((await server.api(`${base()}/${mine.id}`)).status).toBe(200);
  });

  it('another workspace: its destination and its subscription look absent', async () => {
    for (const response of await allFive(foreignDestination, foreignSubscription.id)) {
      await expectNotFound(response, 'Destination', foreignDestination);
    }
    for (const response of await allFive(destinationId, mine.id, foreignToken)) await expectNotFound(response, 'Destination', destinationId);
    const [, , get, update, remove] = await allFive(destinationId, foreignSubscription.id);
    for (const response of [get!, update!, remove!]) await expectNotFound(response, 'Subscription', foreignSubscription.id);
    expect((await server.api(`/destinations/${foreignDestination}/subscriptions/${foreignSubscription.id}`, { token: foreignToken })).status).toBe(200);
  });

  it('a 404 wins over an invalid body (validation order)', async () => {
    const bad = await server.api('/destinations/missing/subscriptions', { method: 'POST', json: { name: 5, trigger: '((' } });
    await expectNotFound(bad, 'Destination', 'missing');
    const badUpdate = await server.api(`/destinations/missing/subscriptions/${mine.id}`, { method: 'PATCH', json: { input: 'x' } });
    await expectNotFound(badUpdate, 'Destination', 'missing');
    const unknownSub = await server.api(`${base()}/missing`, { method: 'PATCH', json: { nope: true } });
    await expectNotFound(unknownSub, 'Subscription', 'missing');
  });
});
