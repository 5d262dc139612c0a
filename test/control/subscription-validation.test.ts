// 422s of subscription create and update over HTTP: malformed FQL triggers, malformed mappings and body types,
// each reported on the exact field with a message a person can act on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  VENDOR_JSON,
  createDestination,
  createSource,
  createSubscription,
  errorsOf,
  subscriptionBody,
  webhookSendActionId,
  type WireSubscription,
} from './subscription-fixtures.js';

// [trigger, the part of the message that names the specific problem]
const MALFORMED_TRIGGERS: [string, string][] = [
  ['   ', 'is empty'],
  ['type = "track" and', 'ends with "and"'],
  ['type = "track" or', 'ends with "or"'],
  ['type = "track" and event = "A" or event = "B"', 'mixes and/or without parentheses'],
  ['type = "identify" or type = "group" and traits.x = "y"', 'mixes and/or without parentheses'],
  ['event == "Order Completed"', 'uses "=="'],
  ["type = 'track'", 'single quotes'],
  ['type in ["track", "page"]', 'uses a list'],
  ['(type = "track"', 'a "(" is never closed'],
  ['type = "track")', 'a ")" has no matching "("'],
  ['messageId = "abc"', '"messageId", which triggers cannot test'],
  ['type =', 'missing a value after "type ="'],
  ['type', 'no comparison after "type"'],
  ['type = "track" OR event = "x"', '"or" in upper case'],
  ['and type = "track"', 'starts with "and"'],
  ['type = "track" and and event = "x"', '"and" directly after "and"'],
  ['((type = "track"))', 'nests parentheses'],
  ['()', 'empty parentheses'],
  ['properties = "x"', '"properties" without a path'],
  ['type > "track"', 'only works on numbers'],
  ['properties.price > "3"', 'use a number without quotes'],
  ['event = 42', 'put the value in double quotes'],
  ['type = null', 'write type exists'],
  ['contains(type, "tr")', 'contains() on "type"'],
  ['match(event, "Order")', 'one "*" at its start or end'],
  ['contains event "x"', 'must call contains with parentheses'],
  ['properties.price>3', 'put spaces around operators'],
  ['type = "track" event = "x"', 'missing "and" or "or" before "event"'],
  ['!event = "x"', 'use != to negate'],
  ['type = "unterminated', 'unterminated string'],
  ['type = "track" and\r event = "x"', 'carriage return'],
  ['event exists or type = "track"', 'write event != null instead'],
  ['type = "track" and (event = "A" or)', '"or" right before ")"'],
  ['userId like "x"', '"like", which FQL does not support'],
  ['"track"', 'where a condition should start'],
  ['context.ip = 1.2.3', 'multiple decimal points'],
];

// [field on create, settings, the specific part of the message]; the subscription is enabled.
const MALFORMED_MAPPINGS: [string, Record<string, unknown>, string][] = [
  ['settings.url', { url: 42 }, 'must be a string'],
  ['settings.url', { url: null }, 'must be a string'],
  ['settings.url', {}, 'is required when the subscription is enabled'],
  ['settings.url', { url: '' }, 'is required when the subscription is enabled'],
  ['settings.method', { url: 'https://x.example', method: 'GET' }, 'must be one of "POST", "PUT", "PATCH"'],
  ['settings.batch_size', { url: 'https://x.example', batch_size: '10' }, 'must be a number'],
  ['settings.headers', { url: 'https://x.example', headers: [] }, 'must be an object'],
  ['settings.nope', { url: 'https://x.example', nope: 1 }, 'is not a field of this action'],
  ['settings.url.@path', { url: { '@path': 3 } }, 'must be a string or a directive'],
  ['settings.url.@path', { url: { '@path': '$properties.url' } }, 'write "$.properties.url"'],
  ['settings.url.@template', { url: { '@template': ['x'] } }, 'must be a string or a directive'],
  ['settings.url', { url: { '@pathh': '$.x' } }, 'unknown directive "@pathh"'],
  ['settings.url', { url: { '@path': '$.x', '@template': 'y' } }, 'combines @path, @template'],
  ['settings.url', { url: { '@path': '$.x', fallback: 'y' } }, 'mixes the directive @path with other keys (fallback)'],
  ['settings.url.@if', { url: { '@if': { then: 'x' } } }, 'needs an "exists" (or "blank") value'],
  ['settings.url.@case.operator', { url: { '@case': { operator: 'title', value: 'x' } } }, 'must be one of "lower", "upper"'],
  ['settings.url.@liquid', { url: { '@liquid': 3 } }, 'must be a string'],
  ['settings.data.@arrayPath', { url: 'https://x.example', data: { '@arrayPath': '$.x' } }, 'must be an array of a path'],
  ['settings.data.@merge.direction', { url: 'https://x.example', data: { '@merge': { direction: 'up', objects: [] } } }, '"left", "right"'],
  ['settings.batch_size.@literal', { url: 'https://x.example', batch_size: { '@literal': 'ten' } }, 'must be a number'],
  ['settings.data.nested.@json.mode', { url: 'https://x.example', data: { nested: { '@json': { mode: 'x', value: 1 } } } }, '"encode", "decode"'],
];

describe.each(BACKENDS)('subscription validation [%s]', (backend) => {
  let server: TestServer;
  let destinationId: string;
  let actionId: string;
  let existing: WireSubscription;

  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    destinationId = await createDestination(server, await createSource(server));
    actionId = webhookSendActionId(server);
    existing = await createSubscription(server, destinationId, subscriptionBody(actionId));
  });
  afterAll(() => server.destroy());

  const create = (body: unknown, contentType = 'application/json') =>
    server.api(`/destinations/${destinationId}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });
  const update = (body: unknown) => server.api(`/destinations/${destinationId}/subscriptions/${existing.id}`, { method: 'PATCH', json: body });

  async function expectOneIssue(response: Response, field: string, specific: string) {
    expect(response.status).toBe(422);
    const errors = await errorsOf(response);
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    expect(errors[0]!.type).toBe('input-validation');
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toContain(`"${field}"`);
    expect(errors[0]!.message).toContain(specific);
  }

  it('covers at least 20 malformed triggers and 10 malformed mappings', () => {
    expect(MALFORMED_TRIGGERS.length).toBeGreaterThanOrEqual(20);
    expect(MALFORMED_MAPPINGS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(MALFORMED_TRIGGERS)('create rejects trigger %j on "trigger"', async (trigger, specific) => {
    await expectOneIssue(await create(subscriptionBody(actionId, { trigger }), VENDOR_JSON), 'trigger', specific);
  });

  it.each(MALFORMED_TRIGGERS)('update rejects trigger %j on "input.trigger"', async (trigger, specific) => {
    await expectOneIssue(await update({ input: { trigger } }), 'input.trigger', specific);
  });

  it.each(MALFORMED_MAPPINGS)('create rejects malformed mapping #%# on %s', async (field, settings, specific) => {
    await expectOneIssue(await create(subscriptionBody(actionId, { settings }), VENDOR_JSON), field, specific);
  });

  it.each(MALFORMED_MAPPINGS)('update rejects malformed mapping #%# on input.%s', async (field, settings, specific) => {
    await expectOneIssue(await update({ input: { settings } }), `input.${field}`, specific);
  });

  it('leaves the stored subscription unchanged after the rejected updates', async () => {
    const response = await server.api(`/destinations/${destinationId}/subscriptions/${existing.id}`);
    expect(((await response.json()) as { data: { subscription: WireSubscription } }).data.subscription).toEqual(existing);
  });

  it('accepts well-formed triggers and stores them exactly as given', async () => {
    for (const trigger of [
      'type = "track" AND event = "x"',
      'type = "track" and (event = "a" or event = "b")',
      'event exists',
      'properties.total >= 10 and traits.plan != null',
      'match(event, "Order*")',
      'properties.a.b = "x"',
    ]) {
      const created = await createSubscription(server, destinationId, subscriptionBody(actionId, { trigger }));
      expect(created.trigger).toBe(trigger);
    }
  });

  it('accepts relative paths inside @arrayPath items and paths without "$.", as the catalog presets use', async () => {
    const settings = {
      url: { '@path': 'properties.url' },
      data: { '@arrayPath': ['$.properties.products', { price: { '@path': 'price' } }] },
    };
    expect((await create(subscriptionBody(actionId, { settings }))).status).toBe(200);
  });

  it('lets a disabled subscription omit required fields, but not enabling it later', async () => {
    const draft = await createSubscription(server, destinationId, subscriptionBody(actionId, { enabled: false, settings: {} }));
    const response = await server.api(`/destinations/${destinationId}/subscriptions/${draft.id}`, {
      method: 'PATCH',
      json: { input: { enabled: true } },
    });
    await expectOneIssue(response, 'input.settings.url', 'is required when the subscription is enabled');
  });

  it('reports every failing field in one response', async () => {
    const response = await create({ ...subscriptionBody(actionId, { trigger: 'type == "x"' }), settings: { url: 1, method: 'GET' } });
    expect(response.status).toBe(422);
    expect((await errorsOf(response)).map((e) => e.field).sort()).toEqual(['settings.method', 'settings.url', 'trigger']);
    const unknownAction = await create(subscriptionBody('nope', { trigger: 'type = "track" or' }));
    expect((await errorsOf(unknownAction)).map((e) => e.field)).toEqual(['trigger', 'actionId']);
    const schema = await create({ actionId, trigger: 5, enabled: 'yes', settings: [] });
    expect(schema.status).toBe(422);
    expect(await errorsOf(schema)).toEqual(
      expect.arrayContaining([
        { type: 'input-validation', field: 'name', message: '"name" is required' },
        { type: 'input-validation', field: 'trigger', message: '"trigger" must be a string' },
        { type: 'input-validation', field: 'enabled', message: '"enabled" must be a boolean' },
        { type: 'input-validation', field: 'settings', message: '"settings" must be an object' },
      ]),
    );
  });

  it.each([
    [{ name: '', actionId: 'x', trigger: 'type = "track"', enabled: true }, 'name', 'must not be empty'],
    [{ name: 'n', trigger: 'type = "track"', enabled: true }, 'actionId', 'is required'],
    [{ name: 'n', actionId: 'x', trigger: '', enabled: true }, 'trigger', 'must not be empty'],
    [{ name: 'n', actionId: 'x', trigger: 'type = "track"' }, 'enabled', 'is required'],
    [{ name: 'n', actionId: 'x', trigger: 'type = "track"', enabled: 1 }, 'enabled', 'must be a boolean'],
    [{ name: 'n', actionId: 'x', trigger: 'type = "track"', enabled: true, modelId: 7 }, 'modelId', 'must be a string'],
  ])('create body %j → 422 on %s', async (body, field, specific) => {
    await expectOneIssue(await create(body), field, specific);
  });

  it.each([
    [{}, 'input', 'is required'],
    [{ input: 'x' }, 'input', 'must be an object'],
    [{ input: null }, 'input', 'must be an object'],
    [{ input: { enabled: 'yes' } }, 'input.enabled', 'must be a boolean'],
    [{ input: { enabled: 'true' } }, 'input.enabled', 'must be a boolean'],
    [{ input: { name: '' } }, 'input.name', 'must not be empty'],
    [{ input: { trigger: 5 } }, 'input.trigger', 'must be a string'],
    [{ input: { settings: 'x' } }, 'input.settings', 'must be an object'],
  ])('update body %j → 422 on %s', async (body, field, specific) => {
    await expectOneIssue(await update(body), field, specific);
  });
});
