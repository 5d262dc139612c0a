import { describe, expect, it } from 'vitest';
import {
  BATCH_MAX_BYTES,
  EVENT_MAX_BYTES,
  MAX_BATCH_EVENTS,
  SINGLE_CALL_MAX_BYTES,
  defaultMessageId,
  normalizeBatch,
  normalizeSingle,
  type EventType,
  type NormalizeContext,
  type NormalizedEvent,
} from '../src/data/ingest/normalize.js';
import { INGEST_PATHS, resolveIngestRoute } from '../src/data/ingest/paths.js';
import { formatIsoTimestamp, parseIsoTimestamp } from '../src/data/ingest/timestamps.js';
import { extractWriteKey } from '../src/data/ingest/write-key.js';

const RECEIVED_AT = '2026-11-26T13:01:30.000Z';

function makeCtx(): NormalizeContext {
  let n = 0;
  return { receivedAt: new Date(RECEIVED_AT), clientIp: '203.0.113.7', newMessageId: () => `api-generated-${++n}` };
}

function accept(type: EventType, body: Record<string, unknown>): NormalizedEvent {
  const result = normalizeSingle(type, body, makeCtx());
  if (!result.ok) throw new Error(`unexpected rejection: ${JSON.stringify(result.errors)}`);
  return result.event;
}

const user = { userId: 'u1' };

describe('analytics-node batch (data-plane.md §7)', () => {
  it('normalises the captured body with batch-level sentAt and a skew-corrected timestamp', () => {
    const body = JSON.parse(`{"batch":[{"timestamp":"2026-11-26T13:01:26.520Z","integrations":{},
      "event":"Order Completed","type":"track","properties":{"total":25},
      "context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},"userId":"u1",
      "messageId":"node-next-1795698086520-2818538b","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}}],
      "writeKey":"WK123","sentAt":"2026-11-26T13:01:26.527Z"}`);
    const result = normalizeBatch(body, makeCtx());
    expect(result).toEqual({
      ok: true,
      rejected: [],
      events: [
        {
          messageId: 'node-next-1795698086520-2818538b',
          type: 'track',
          receivedAt: RECEIVED_AT,
          body: {
            type: 'track',
            event: 'Order Completed',
            userId: 'u1',
            messageId: 'node-next-1795698086520-2818538b',
            properties: { total: 25 },
            integrations: {},
            context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
            _metadata: { nodeVersion: 'v20.20.2', jsRuntime: 'node' },
            originalTimestamp: '2026-11-26T13:01:26.520Z',
            sentAt: '2026-11-26T13:01:26.527Z',
            // receivedAt − (sentAt − timestamp) = 13:01:30.000 − 7 ms
            timestamp: '2026-11-26T13:01:29.993Z',
            receivedAt: RECEIVED_AT,
          },
        },
      ],
    });
  });
});

describe('required fields (§3)', () => {
  it.each<[string, EventType, Record<string, unknown>, string, string]>([
    ['no identity', 'identify', {}, 'userId', '"userId" or "anonymousId" is required'],
    ['empty identities', 'page', { userId: '', anonymousId: '' }, 'userId', '"userId" or "anonymousId" is required'],
    ['null identities', 'screen', { userId: null, anonymousId: null }, 'userId', '"userId" or "anonymousId" is required'],
    ['object userId', 'identify', { userId: { id: 1 } }, 'userId', '"userId" must be a string or a number'],
    ['boolean anonymousId', 'identify', { anonymousId: true }, 'anonymousId', '"anonymousId" must be a string or a number'],
    ['track without event', 'track', { ...user }, 'event', '"event" is required for track'],
    ['track with empty event', 'track', { ...user, event: '' }, 'event', '"event" is required for track'],
    ['track with numeric event', 'track', { ...user, event: 5 }, 'event', '"event" must be a string'],
    ['group without groupId', 'group', { ...user }, 'groupId', '"groupId" is required for group'],
    ['group with empty groupId', 'group', { ...user, groupId: '' }, 'groupId', '"groupId" is required for group'],
    ['group with array groupId', 'group', { ...user, groupId: ['g'] }, 'groupId', '"groupId" must be a string or a number'],
    ['alias without previousId', 'alias', { ...user }, 'previousId', '"previousId" is required for alias'],
    ['alias with anonymousId only', 'alias', { anonymousId: 'a', previousId: 'p' }, 'userId', '"userId" is required for alias'],
    ['properties array', 'track', { ...user, event: 'E', properties: [1] }, 'properties', '"properties" must be an object'],
    ['traits string', 'identify', { ...user, traits: 'x' }, 'traits', '"traits" must be an object'],
    ['context number', 'page', { ...user, context: 3 }, 'context', '"context" must be an object'],
    ['integrations boolean', 'page', { ...user, integrations: true }, 'integrations', '"integrations" must be an object'],
    ['empty messageId', 'page', { ...user, messageId: '' }, 'messageId', '"messageId" must be a string of 1 to 100 characters'],
    ['101-char messageId', 'page', { ...user, messageId: 'm'.repeat(101) }, 'messageId', '"messageId" must be a string of 1 to 100 characters'],
    ['numeric messageId', 'page', { ...user, messageId: 7 }, 'messageId', '"messageId" must be a string of 1 to 100 characters'],
  ])('%s', (_name, type, body, field, message) => {
    expect(normalizeSingle(type, body, makeCtx())).toEqual({
      ok: false,
      errors: [{ type: 'input-validation', field, message }],
    });
  });

  it('reports every failing field of one event', () => {
    const result = normalizeSingle('track', { properties: 'x' }, makeCtx());
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['userId', 'event', 'properties']);
  });

  it('rejects a body that is not an object', () => {
    expect(normalizeSingle('track', [1], makeCtx())).toMatchObject({ ok: false, errors: [{ field: '$' }] });
  });

  it.each<[EventType, Record<string, unknown>]>([
    ['track', { anonymousId: 'a1', event: 'Clicked' }],
    ['identify', { userId: 'u1', traits: { plan: 'pro' } }],
    ['page', { anonymousId: 'a1', name: 'Home', category: 'Docs', properties: null }],
    ['screen', { userId: 'u1', name: 'Settings' }],
    ['group', { userId: 'u1', groupId: 'g1', traits: {} }],
    ['alias', { userId: 'u1', previousId: 'anon-1' }],
    ['track', { userId: 'u1', event: 'E', messageId: 'm'.repeat(100) }],
  ])('accepts a valid %s', (type, body) => {
    expect(normalizeSingle(type, body, makeCtx()).ok).toBe(true);
  });
});

describe('coercions and preserved fields', () => {
  it.each<[EventType, Record<string, unknown>, Record<string, unknown>]>([
    ['identify', { userId: 42 }, { userId: '42' }],
    ['identify', { anonymousId: 1.5 }, { anonymousId: '1.5' }],
    ['group', { userId: 'u', groupId: 0 }, { groupId: '0' }],
    ['alias', { userId: 7, previousId: 8 }, { userId: '7', previousId: '8' }],
  ])('%s %j → %j', (type, body, expected) => {
    expect(accept(type, body).body).toMatchObject(expected);
  });

  it('keeps unknown top-level keys verbatim and takes the type from the path', () => {
    const event = accept('page', { ...user, type: 'track', custom: { deep: [1, 2] }, name: 'Home' });
    expect(event.type).toBe('page');
    expect(event.body).toMatchObject({ type: 'page', custom: { deep: [1, 2] }, name: 'Home' });
  });

  it('removes writeKey from single-call bodies and batch items', () => {
    expect(accept('identify', { ...user, writeKey: 'WK' }).body).not.toHaveProperty('writeKey');
    const result = normalizeBatch(
      { writeKey: 'WK', batch: [{ type: 'identify', userId: 'u', writeKey: 'WK' }] },
      makeCtx(),
    );
    expect(result.ok && result.events[0]?.body).not.toHaveProperty('writeKey');
  });
});

describe('messageId', () => {
  it('keeps a given id and fills a missing or null one from the injected generator', () => {
    expect(accept('identify', { ...user, messageId: 'm-1' }).messageId).toBe('m-1');
    const filled = accept('identify', { ...user, messageId: null });
    expect(filled.messageId).toBe('api-generated-1');
    expect(filled.body['messageId']).toBe('api-generated-1');
  });

  it('defaults to api-<uuid v4>', () => {
    expect(defaultMessageId()).toMatch(/^api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(defaultMessageId()).not.toBe(defaultMessageId());
  });
});

describe('clock fields (§6)', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['neither clock → receivedAt', {}, { timestamp: RECEIVED_AT }],
    [
      'timestamp only → unchanged instant, normalised',
      { timestamp: '2026-11-26T14:00:00.123456+01:00' },
      { timestamp: '2026-11-26T13:00:00.123Z', originalTimestamp: '2026-11-26T14:00:00.123456+01:00' },
    ],
    [
      'timestamp + sentAt → skew-corrected',
      { timestamp: '2026-11-26T12:00:00Z', sentAt: '2026-11-26T12:00:10Z' },
      { timestamp: '2026-11-26T13:01:20.000Z', sentAt: '2026-11-26T12:00:10.000Z' },
    ],
    [
      'unparseable timestamp → receivedAt, raw kept',
      { timestamp: 'yesterday', sentAt: '2026-11-26T12:00:10Z' },
      { timestamp: RECEIVED_AT, originalTimestamp: 'yesterday', sentAt: '2026-11-26T12:00:10.000Z' },
    ],
    [
      'non-string timestamp → raw kept',
      { timestamp: 1764162000000 },
      { timestamp: RECEIVED_AT, originalTimestamp: 1764162000000 },
    ],
    [
      'unparseable sentAt → no correction, raw sentAt kept',
      { timestamp: '2026-11-26T12:00:00Z', sentAt: 'soon' },
      { timestamp: '2026-11-26T12:00:00.000Z', sentAt: 'soon' },
    ],
  ])('%s', (_name, clocks, expected) => {
    const event = accept('identify', { ...user, ...clocks });
    expect(event.body).toMatchObject({ ...expected, receivedAt: RECEIVED_AT });
    if (!('timestamp' in clocks)) expect(event.body).not.toHaveProperty('originalTimestamp');
  });

  it('prefers the item sentAt over the batch one, and falls back when the item one is unreadable', () => {
    const result = normalizeBatch(
      {
        sentAt: '2026-11-26T12:00:05Z',
        batch: [
          { type: 'identify', userId: 'u', timestamp: '2026-11-26T12:00:00Z', sentAt: '2026-11-26T12:00:10Z' },
          { type: 'identify', userId: 'u', timestamp: '2026-11-26T12:00:00Z', sentAt: 'garbage' },
        ],
      },
      makeCtx(),
    );
    expect(result.ok && result.events.map((e) => [e.body['sentAt'], e.body['timestamp']])).toEqual([
      ['2026-11-26T12:00:10.000Z', '2026-11-26T13:01:20.000Z'],
      ['2026-11-26T12:00:05.000Z', '2026-11-26T13:01:25.000Z'],
    ]);
  });

  it.each<[string, string | undefined]>([
    ['2026-11-26T13:01:26.527Z', '2026-11-26T13:01:26.527Z'],
    ['2026-11-26T13:01:26.527123+00:00', '2026-11-26T13:01:26.527Z'],
    ['2026-11-26T13:01:26.123456789-05:30', '2026-11-26T18:31:26.123Z'],
    ['2026-11-26T13:01:26+0200', '2026-11-26T11:01:26.000Z'],
    ['2026-11-26T13:01:26+02', '2026-11-26T11:01:26.000Z'],
    ['2026-11-26T13:01:26', '2026-11-26T13:01:26.000Z'],
    ['2026-11-26 13:01:26.5', '2026-11-26T13:01:26.500Z'],
    ['2026-1-5T3:4:5Z', '2026-01-05T03:04:05.000Z'],
    ['2026-11-26T13:01Z', '2026-11-26T13:01:00.000Z'],
    ['2026-11-26', '2026-11-26T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    [' 2026-11-26T13:01:26Z ', '2026-11-26T13:01:26.000Z'],
    ['2026-11-26T13:01:26.1234567890Z', undefined],
    ['2026-02-30T00:00:00Z', undefined],
    ['2026-13-01T00:00:00Z', undefined],
    ['2026-11-26T24:00:00Z', undefined],
    ['2026-11-26T13:01:26+25:00', undefined],
    ['26-11-26T13:01:26Z', undefined],
    ['1764162086527', undefined],
    ['', undefined],
  ])('parses %j leniently', (input, expected) => {
    const ms = parseIsoTimestamp(input);
    expect(ms === undefined ? undefined : formatIsoTimestamp(ms)).toBe(expected);
  });
});

describe('context and integrations', () => {
  it('deep-merges batch-level objects under each item, item values winning', () => {
    const result = normalizeBatch(
      {
        context: { library: { name: 'lib', version: '1' }, locale: 'en', tags: ['a'] },
        integrations: { All: true, Slack: false },
        batch: [
          { type: 'identify', userId: 'u', context: { library: { version: '2' }, tags: ['b'] }, integrations: { Slack: true } },
          { type: 'identify', userId: 'v' },
        ],
      },
      makeCtx(),
    );
    expect(result.ok && result.events.map((e) => [e.body['context'], e.body['integrations']])).toEqual([
      [{ library: { name: 'lib', version: '2' }, locale: 'en', tags: ['b'] }, { All: true, Slack: true }],
      [{ library: { name: 'lib', version: '1' }, locale: 'en', tags: ['a'] }, { All: true, Slack: false }],
    ]);
  });

  it('rejects a batch-level context that is not an object', () => {
    expect(normalizeBatch({ context: 'x', batch: [] }, makeCtx())).toMatchObject({ ok: false, code: 'bad-request' });
  });

  it('does not let a __proto__ key reach the prototype', () => {
    const body = JSON.parse('{"batch":[{"type":"identify","userId":"u","context":{"__proto__":{"polluted":1}}}],"context":{"a":1}}');
    const result = normalizeBatch(body, makeCtx());
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(result.ok && (result.events[0]?.body['context'] as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each<[string, unknown, unknown]>([
    ['direct without ip → client ip', { direct: true }, { direct: true, ip: '203.0.113.7' }],
    ['direct with ip → kept', { direct: true, ip: '10.0.0.1' }, { direct: true, ip: '10.0.0.1' }],
    ['not direct → untouched', { direct: 'true' }, { direct: 'true' }],
    ['no context → none added', undefined, undefined],
  ])('context.ip: %s', (_name, context, expected) => {
    expect(accept('identify', { ...user, context }).body['context']).toEqual(expected);
  });
});

describe('batch handling', () => {
  const item = (extra: Record<string, unknown> = {}) => ({ type: 'track', userId: 'u', event: 'E', ...extra });

  it('rejects an oversized item and accepts the rest', () => {
    const big = item({ messageId: 'big', properties: { blob: 'x'.repeat(EVENT_MAX_BYTES) } });
    const result = normalizeBatch({ batch: [item(), big, item()] }, makeCtx());
    expect(result).toMatchObject({ ok: true, rejected: [{ index: 1, messageId: 'big', errors: [{ field: '$' }] }] });
    expect(result.ok && result.events).toHaveLength(2);
  });

  it('rejects invalid items with per-field errors, echoing their messageId', () => {
    const result = normalizeBatch(
      { batch: [item(), item({ event: undefined, messageId: 'm-9' }), 'nope', { userId: 'u' }, item({ type: 'flush' })] },
      makeCtx(),
    );
    expect(result.ok && result.rejected).toEqual([
      { index: 1, messageId: 'm-9', errors: [{ type: 'input-validation', field: 'event', message: '"event" is required for track' }] },
      { index: 2, errors: [{ type: 'input-validation', field: '$', message: 'each batch item must be a JSON object' }] },
      { index: 3, errors: [{ type: 'input-validation', field: 'type', message: '"type" is required' }] },
      { index: 4, errors: [expect.objectContaining({ field: 'type' })] },
    ]);
    expect(result.ok && result.events).toHaveLength(1);
  });

  it('gives every event of a request the same receivedAt and its own generated messageId', () => {
    const result = normalizeBatch({ batch: [item(), item()] }, makeCtx());
    expect(result.ok && result.events.map((e) => [e.messageId, e.receivedAt])).toEqual([
      ['api-generated-1', RECEIVED_AT],
      ['api-generated-2', RECEIVED_AT],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['body not an object', [], 'bad-request'],
    ['batch missing', { sentAt: 'x' }, 'bad-request'],
    ['batch not an array', { batch: {} }, 'bad-request'],
    ['2,501 events', { batch: Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => item()) }, 'payload-too-large'],
  ])('fails the whole request: %s', (_name, body, code) => {
    expect(normalizeBatch(body, makeCtx())).toMatchObject({ ok: false, code });
  });

  it('accepts exactly 2,500 events and an empty batch', () => {
    const full = normalizeBatch({ batch: Array.from({ length: MAX_BATCH_EVENTS }, () => item()) }, makeCtx());
    expect(full.ok && full.events).toHaveLength(MAX_BATCH_EVENTS);
    expect(normalizeBatch({ batch: [] }, makeCtx())).toEqual({ ok: true, events: [], rejected: [] });
  });
});

describe('write key (§2)', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it.each<[string, string | undefined, unknown, string | undefined]>([
    ['Basic key:', basic('WK123:'), undefined, 'WK123'],
    ['captured analytics-node header', 'Basic V0sxMjM6', {}, 'WK123'],
    ['Basic key without colon', basic('WK123'), undefined, 'WK123'],
    ['Basic key:password', basic('WK123:secret'), undefined, 'WK123'],
    ['lower-case scheme', `basic ${Buffer.from('WK:').toString('base64')}`, undefined, 'WK'],
    ['header wins over body', basic('FROM-HEADER:'), { writeKey: 'FROM-BODY' }, 'FROM-HEADER'],
    ['Bearer ignored, body used', 'Bearer token-abc', { writeKey: 'FROM-BODY' }, 'FROM-BODY'],
    ['Bearer alone', 'Bearer token-abc', {}, undefined],
    ['empty Basic user falls back to body', basic(':'), { writeKey: 'FROM-BODY' }, 'FROM-BODY'],
    ['malformed Basic falls back to body', 'Basic !!!', { writeKey: 'FROM-BODY' }, 'FROM-BODY'],
    ['body only', undefined, { writeKey: 'FROM-BODY' }, 'FROM-BODY'],
    ['empty body key', undefined, { writeKey: '' }, undefined],
    ['non-string body key', undefined, { writeKey: 5 }, undefined],
    ['nothing', undefined, undefined, undefined],
  ])('%s', (_name, header, body, expected) => {
    expect(extractWriteKey(header, body)).toBe(expected);
  });
});

describe('endpoint table (§1)', () => {
  const expected: Record<string, EventType | 'batch'> = {
    '/v1/track': 'track', '/v1/identify': 'identify', '/v1/page': 'page',
    '/v1/screen': 'screen', '/v1/group': 'group', '/v1/alias': 'alias',
    '/v1/t': 'track', '/v1/i': 'identify', '/v1/p': 'page', '/v1/s': 'screen', '/v1/g': 'group', '/v1/a': 'alias',
    '/v1/batch': 'batch', '/v1/import': 'batch', '/v1/b': 'batch',
    '/v1/batch/': 'batch', '/v1/track?x=1': 'track',
  };
  it.each(Object.entries(expected))('%s → %s', (path, target) => {
    const maxBytes = target === 'batch' ? BATCH_MAX_BYTES : SINGLE_CALL_MAX_BYTES;
    expect(resolveIngestRoute(path)).toEqual({ target, maxBytes });
  });

  it('lists 15 paths and knows nothing else', () => {
    expect(INGEST_PATHS).toHaveLength(15);
    expect(resolveIngestRoute('/v1/unknown')).toBeUndefined();
    expect(resolveIngestRoute('/v1/toString')).toBeUndefined();
    expect(resolveIngestRoute('/v2/track')).toBeUndefined();
  });
});
