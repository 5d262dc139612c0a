// Destination subscriptions over raw HTTP (public-api.md §4.6–4.10, §5): the five endpoints, data keys,
// pagination, the 404 matrix, audit events and the destination cascade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  CLASSIC_AMPLITUDE_METADATA_ID,
  VENDOR_JSON,
  actionIdOf,
  createDestination,
  createSource,
  createSubscription,
  errorsOf,
  subscriptionBody,
  webhookSendActionId,
  type WireSubscription,
} from './subscription-fixtures.js';

interface AuditEvent {
  type: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
  actor: string;
}

describe.each(BACKENDS)('destination subscriptions [%s]', (backend) => {
  let server: TestServer;
  let sourceId: string;
  let destinationId: string;
  let actionId: string;

  beforeAll(async () => {
    // The write limit has its own suite; here it would only slow the set-up down.
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    sourceId = await createSource(server);
    destinationId = await createDestination(server, sourceId);
    actionId = webhookSendActionId(server);
  });
  afterAll(() => server.destroy());

  const base = () => `/destinations/${destinationId}/subscriptions`;

  async function auditFor(resourceId: string): Promise<AuditEvent[]> {
    const response = await server.api(`/audit-events?resourceId=${resourceId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: { events: AuditEvent[] } }).data.events;
  }

  it('creates with the vendor media type and answers under destinationSubscription', async () => {
    const trigger = 'type = "track"   and event = "Order Completed"';
    const response = await server.api(base(), {
      method: 'POST',
      headers: { 'content-type': VENDOR_JSON, accept: VENDOR_JSON },
      body: JSON.stringify(subscriptionBody(actionId, { trigger })),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { data: Record<string, WireSubscription> };
    expect(Object.keys(body.data)).toEqual(['destinationSubscription']);
    const created = body.data.destinationSubscription!;
    expect(created.id).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(created).toEqual({
      id: created.id,
      name: 'Orders to hook',
      actionId,
      actionSlug: 'send',
      destinationId,
      trigger, // stored exactly as given, spacing included
      enabled: true,
      settings: { url: 'https://example.org/hook', data: { '@path': '$.properties' } },
    });
    expect('modelId' in created).toBe(false);
  });

  it('creates with plain JSON and echoes modelId only when one was given', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { modelId: 'model-7' }));
    expect(created.modelId).toBe('model-7');
    const fetched = await server.api(`${base()}/${created.id}`);
    expect(((await fetched.json()) as { data: { subscription: WireSubscription } }).data.subscription.modelId).toBe('model-7');
  });

  it('defaults settings to {} and stores the mapping exactly as sent', async () => {
    const disabled = await createSubscription(server, destinationId, { ...subscriptionBody(actionId, { enabled: false }), settings: undefined });
    expect(disabled.settings).toEqual({});
    expect(disabled.enabled).toBe(false);
    const mapping = { url: { '@template': 'https://example.org/{{properties.id}}' }, method: 'PUT', headers: { 'x-a': '1' } };
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { settings: mapping }));
    expect(created.settings).toEqual(mapping);
  });

  it('gets a subscription under the subscription key, with vendor and plain Accept alike', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { name: 'to get' }));
    for (const accept of [VENDOR_JSON, 'application/json', '*/*']) {
      const response = await server.api(`${base()}/${created.id}`, { headers: { accept } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: Record<string, WireSubscription> };
      expect(Object.keys(body.data)).toEqual(['subscription']);
      expect(body.data.subscription).toEqual(created);
    }
  });

  it('updates through {"input": …} with the vendor media type and replaces settings whole', async () => {
    const created = await createSubscription(
      server,
      destinationId,
      subscriptionBody(actionId, { settings: { url: 'https://a.example', headers: { 'x-a': '1' }, method: 'PUT' } }),
    );
    const response = await server.api(`${base()}/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': VENDOR_JSON },
      body: JSON.stringify({ input: { name: 'renamed', trigger: 'event = "Signed Up"', enabled: false, settings: { url: 'https://b.example' } } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Record<string, WireSubscription> };
    expect(Object.keys(body.data)).toEqual(['subscription']);
    const expected = { ...created, name: 'renamed', trigger: 'event = "Signed Up"', enabled: false, settings: { url: 'https://b.example' } };
    expect(body.data.subscription).toEqual(expected);
    const fetched = (await (await server.api(`${base()}/${created.id}`)).json()) as { data: { subscription: WireSubscription } };
    expect(fetched.data.subscription).toEqual(expected);
  });

  it('updates with plain JSON, keeps fields not sent, and ignores actionId and v73 extras', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { modelId: 'm1' }));
    const response = await server.api(`${base()}/${created.id}`, {
      method: 'PATCH',
      json: { input: { enabled: false, actionId: 'something-else', reverseETLModelId: 'x', reverseETLSchedule: { strategy: 'MANUAL' } } },
    });
    expect(response.status).toBe(200);
    const { subscription } = ((await response.json()) as { data: { subscription: WireSubscription } }).data;
    expect(subscription).toEqual({ ...created, enabled: false });
  });

  it('removes a subscription; afterwards it is 404', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId));
    const response = await server.api(`${base()}/${created.id}`, { method: 'DELETE', headers: { 'content-type': VENDOR_JSON } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { status: 'SUCCESS' } });
    const again = await server.api(`${base()}/${created.id}`);
    expect(again.status).toBe(404);
    expect(await errorsOf(again)).toEqual([{ type: 'not-found', message: `Subscription with id '${created.id}' not found` }]);
  });

  it('lists under the subscriptions key', async () => {
    const response = await server.api(base(), { headers: { accept: VENDOR_JSON } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { subscriptions: WireSubscription[]; pagination: Record<string, unknown> } };
    expect(Object.keys(body.data).sort()).toEqual(['pagination', 'subscriptions']);
    expect(body.data.subscriptions.length).toBeGreaterThan(0);
    expect(body.data.subscriptions.every((s) => s.destinationId === destinationId && s.actionSlug === 'send')).toBe(true);
    expect(body.data.pagination.totalEntries).toBe(body.data.subscriptions.length);
  });

  it('pages 25 subscriptions by 10 through next cursors without duplicates', async () => {
    const target = await createDestination(server, sourceId);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push((await createSubscription(server, target, subscriptionBody(actionId, { name: `sub ${i}` }))).id);
    }
    const seen: string[] = [];
    let query = 'pagination.count=10';
    const pages: { current: string; next?: string; previous?: string; totalEntries: number }[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const response = await server.api(`/destinations/${target}/subscriptions?${query}`);
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: { subscriptions: WireSubscription[]; pagination: (typeof pages)[number] } };
      pages.push(data.pagination);
      seen.push(...data.subscriptions.map((s) => s.id));
      if (!data.pagination.next) break;
      query = `pagination[count]=10&pagination[cursor]=${encodeURIComponent(data.pagination.next)}`;
    }
    expect(pages.map((p) => p.totalEntries)).toEqual([25, 25, 25]);
    expect(pages[0]!.current).toBe('MA==');
    expect('previous' in pages[0]!).toBe(false);
    expect(pages[1]!.previous).toEqual(expect.any(String));
    expect('next' in pages[2]!).toBe(false);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('rejects an actionId of another catalog entry, an unknown one, and any on a classic destination', async () => {
    const amplitudeActions = actionIdOf(server, '5f7dd6d21ad74f3842b1fc47', 'logEvent');
    for (const foreign of [amplitudeActions, 'no-such-action']) {
      const response = await server.api(base(), { method: 'POST', json: subscriptionBody(foreign) });
      expect(response.status).toBe(422);
      const [error, ...rest] = await errorsOf(response);
      expect(rest).toEqual([]);
      expect(error).toMatchObject({ type: 'input-validation', field: 'actionId' });
      expect(error!.message).toContain(foreign);
    }
    const classic = await createDestination(server, sourceId, CLASSIC_AMPLITUDE_METADATA_ID);
    const response = await server.api(`/destinations/${classic}/subscriptions`, { method: 'POST', json: subscriptionBody(actionId) });
    expect(response.status).toBe(422);
    const [error] = await errorsOf(response);
    expect(error).toMatchObject({ type: 'input-validation', field: 'actionId' });
    expect(error!.message).toMatch(/classic|no actions/i);
  });

  it('audits create, update and remove as subscription events', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { name: 'audited' }));
    await server.api(`${base()}/${created.id}`, { method: 'PATCH', json: { input: { name: 'audited 2' } } });
    await server.api(`${base()}/${created.id}`, { method: 'DELETE' });
    const events = await auditFor(created.id);
    expect(events.map((e) => [e.type, e.resourceType, e.resourceName])).toEqual([
      ['Destination Subscription Deleted', 'subscription', 'audited 2'],
      ['Destination Subscription Modified', 'subscription', 'audited 2'],
      ['Destination Subscription Created', 'subscription', 'audited'],
    ]);
    expect(events.every((e) => e.actor.startsWith('public-api-token/'))).toBe(true);
    const filtered = await server.api(`/audit-events?resourceType=subscription&resourceId=${created.id}`);
    expect(((await filtered.json()) as { data: { events: AuditEvent[] } }).data.events).toHaveLength(3);
  });

  it('writes no audit event when an update changes nothing', async () => {
    const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { name: 'steady' }));
    const same = { name: created.name, trigger: created.trigger, enabled: created.enabled, settings: created.settings };
    for (const input of [{}, same, { enabled: true }]) {
      const response = await server.api(`${base()}/${created.id}`, { method: 'PATCH', json: { input } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: { subscription: WireSubscription } }).data.subscription).toEqual(created);
    }
    expect((await auditFor(created.id)).map((e) => e.type)).toEqual(['Destination Subscription Created']);
  });

  it('deleting the destination removes its subscriptions', async () => {
    const target = await createDestination(server, sourceId);
    const subs = [
      await createSubscription(server, target, subscriptionBody(actionId, { name: 'a' })),
      await createSubscription(server, target, subscriptionBody(actionId, { name: 'b' })),
    ];
    const db = server.running.storage.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('destination_subscriptions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('destination_id', '=', target)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(2);
    expect((await server.api(`/destinations/${target}`, { method: 'DELETE' })).status).toBe(200);
    expect(await count()).toBe(0);
    await expect(errorsOf(await server.api(`/destinations/${target}/subscriptions/${subs[0]!.id}`))).resolves.toEqual([
      { type: 'not-found', message: `Destination with id '${target}' not found` },
    ]);
    expect((await server.api(`/destinations/${target}/subscriptions`)).status).toBe(404);
  });
});
