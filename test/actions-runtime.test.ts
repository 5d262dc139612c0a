import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActionsRuntime, requireDestinationDefinition, type DeliverRequest } from '../src/actions/runtime.js';
import { classifyError, classifyStatus, exhaustedUnclassified, nextRetryDelayMs, type RetryResult } from '../src/actions/outcome.js';

const require = createRequire(import.meta.url);
/** actions-core's error classes and Destination, loaded the way the runtime loads them (CJS). */
const core = require('@segment/actions-core') as Record<string, new (...args: unknown[]) => Error> & {
  Destination: new (definition: unknown) => { responses: unknown[]; onEvent(...args: unknown[]): Promise<unknown> };
};

type Received = { method: string; headers: IncomingMessage['headers']; body: unknown };
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let sinkUrl: string;
let received: Received[] = [];
/** Requests the sink is deliberately leaving unanswered; released after each test. */
let hanging: ServerResponse[] = [];
const ok: Handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
let handler = ok;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterEach(() => {
  received = [];
  handler = ok;
  // Only drop the sockets we stalled: closing idle keep-alive sockets would make the next test's
  // request fail with ECONNRESET when the client reuses one.
  for (const res of hanging) res.destroy();
  hanging = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const respond = (status: number, body = '', headers: Record<string, string> = {}): Handler =>
  (_req, res) => res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);

const runtime = createActionsRuntime({ timeoutMs: 5_000 });

function trackEvent(i = 0): Record<string, unknown> {
  return { type: 'track', event: 'Order Completed', messageId: `m-${i}`, userId: 'u1', properties: { n: i } };
}

function request(overrides: Partial<DeliverRequest> = {}): DeliverRequest {
  return {
    runtimeDirectory: 'webhook',
    settings: {},
    actionSlug: 'send',
    trigger: 'type = "track"',
    mapping: { url: sinkUrl, method: 'POST', data: { '@path': '$.' } },
    event: trackEvent(),
    ...overrides,
  };
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

describe('deliver (webhook send against a local sink)', () => {
  it('delivers on 200 and sends the mapped event', async () => {
    const result = await runtime.deliver(request());
    expect(result).toEqual({ kind: 'delivered' });
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({ messageId: 'm-0', event: 'Order Completed' });
  });

  it('invokes with a copy of the settings (core deletes unknown keys in place)', async () => {
    const settings = { sharedSecret: 's3cret', notASetting: 1 };
    const result = await runtime.deliver(request({ settings }));
    expect(result.kind).toBe('delivered');
    expect(settings).toEqual({ sharedSecret: 's3cret', notASetting: 1 });
    expect(received[0]?.headers['x-signature']).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each([
    [500, {}, { kind: 'retry', reason: 'http-5xx', status: 500, unclassified: false }],
    [503, { 'retry-after': '7' }, { kind: 'retry', reason: 'http-5xx', status: 503, retryAfterMs: 7000 }],
    [429, {}, { kind: 'retry', reason: 'http-transient-4xx', status: 429 }],
    [501, {}, { kind: 'discard', reason: 'http-501', status: 501 }],
  ])('sink answers %i %j', async (status, headers, expected) => {
    handler = respond(status, 'sink says no', headers);
    expect(await runtime.deliver(request())).toMatchObject(expected);
  });

  it('discards a 400 with an excerpt of the response body', async () => {
    handler = respond(400, 'field "email" is required');
    const result = await runtime.deliver(request());
    expect(result).toMatchObject({ kind: 'discard', reason: 'http-4xx', status: 400 });
    expect(result.kind === 'discard' && result.responseExcerpt).toContain('field "email" is required');
  });

  it('caps the response excerpt at 2 KB', async () => {
    handler = respond(404, 'x'.repeat(10_000));
    const result = await runtime.deliver(request());
    expect(result).toMatchObject({ kind: 'discard', reason: 'http-4xx', status: 404 });
    expect(result.kind === 'discard' && Buffer.byteLength(result.responseExcerpt ?? '')).toBe(2048);
  });

  it('retries when the sink never answers, within the configured timeout', async () => {
    handler = (_req, res) => void hanging.push(res);
    const fast = createActionsRuntime({ timeoutMs: 300 });
    const started = Date.now();
    const result = await fast.deliver(request());
    expect(result).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries a refused connection', async () => {
    const url = await closedPortUrl();
    const result = await runtime.deliver(request({ mapping: { url, method: 'POST', data: { '@path': '$.' } } }));
    expect(result).toMatchObject({ kind: 'retry', reason: 'network' });
    expect(result.kind === 'retry' && result.error).toContain('ECONNREFUSED');
  });

  it('discards an unknown action', async () => {
    expect(await runtime.deliver(request({ actionSlug: 'noSuchAction' }))).toMatchObject({
      kind: 'discard',
      reason: 'unknown-action',
    });
    expect(received).toHaveLength(0);
  });

  it('discards an event that does not match the trigger', async () => {
    const result = await runtime.deliver(request({ trigger: 'type = "identify"' }));
    expect(result).toMatchObject({ kind: 'discard', reason: 'not-subscribed' });
  });

  it('discards an unparseable trigger', async () => {
    const result = await runtime.deliver(request({ trigger: 'type = "track' }));
    expect(result).toMatchObject({ kind: 'discard', reason: 'invalid-trigger' });
  });

  it('discards an invalid payload', async () => {
    const result = await runtime.deliver(request({ mapping: { url: 'not a url', method: 'POST', data: {} } }));
    expect(result).toMatchObject({ kind: 'discard', reason: 'payload-invalid', status: 400 });
    expect(received).toHaveLength(0);
  });

  it('discards invalid settings, distinguishing them from an invalid payload', async () => {
    const result = await runtime.deliver(request({ settings: { sharedSecret: { nested: true } } }));
    expect(result).toMatchObject({ kind: 'discard', reason: 'settings-invalid' });
    expect(received).toHaveLength(0);
  });

  it('retries (unclassified) when the destination directory cannot be loaded', async () => {
    const result = await runtime.deliver(request({ runtimeDirectory: 'no-such-destination' }));
    expect(result).toMatchObject({ kind: 'retry', reason: 'unclassified', unclassified: true });
  });

  it('leaves no responses on the cached Destination after 200 deliveries', async () => {
    // Guard against a vacuous test: core does record responses on the instance.
    const fresh = new core.Destination(requireDestinationDefinition('webhook'));
    await fresh.onEvent(trackEvent(), { subscriptions: [{ partnerAction: 'send', subscribe: 'type = "track"', mapping: request().mapping }] });
    expect(fresh.responses.length).toBe(1);

    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runtime.deliver(request({ event: trackEvent(i) }))));
      expect(results.every((r) => r.kind === 'delivered')).toBe(true);
    }
    expect(runtime.loadedDestination('webhook')?.responses).toHaveLength(0);
  });
});

describe('batching', () => {
  const events = Array.from({ length: 5 }, (_, i) => trackEvent(i));

  it('reports which actions support performBatch', () => {
    expect(runtime.supportsBatching('webhook', 'send')).toBe(true);
    expect(runtime.supportsBatching('webhook', 'noSuchAction')).toBe(false);
    expect(runtime.supportsBatching('no-such-destination', 'send')).toBe(false);
  });

  it('resolves batch settings from the mapping or field defaults', () => {
    expect(runtime.batchSettings('webhook', 'send', {})).toEqual({ enabled: false, size: 1, keys: ['url', 'method', 'headers'] });
    expect(runtime.batchSettings('webhook', 'send', { batch_size: 50 })).toMatchObject({ enabled: true, size: 50 });
    expect(runtime.batchSettings('webhook', 'send', { batch_size: 5000 })).toMatchObject({ enabled: true, size: 1000 });
    expect(runtime.batchSettings('webhook', 'send', { batch_keys: ['url'], batch_size: 2 }).keys).toEqual(['url']);
  });

  it('delivers 5 events in one request', async () => {
    const results = await runtime.deliverBatch({ ...request(), events });
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ kind: 'delivered', status: 200 })));
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toHaveLength(5);
    expect((received[0]?.body as { messageId: string }[]).map((e) => e.messageId)).toEqual(['m-0', 'm-1', 'm-2', 'm-3', 'm-4']);
  });

  it('classifies a thrown batch error for every event', async () => {
    handler = respond(500, 'down');
    const results = await runtime.deliverBatch({ ...request(), events });
    expect(results).toHaveLength(5);
    for (const r of results) expect(r).toMatchObject({ kind: 'retry', reason: 'http-5xx', status: 500 });
  });

  it('reports per-event payload and trigger failures from the multistatus', async () => {
    const mixed = [
      { ...trackEvent(0), properties: { url: sinkUrl } },
      { ...trackEvent(1), properties: { url: 'not a url' } },
      { ...trackEvent(2), type: 'identify', properties: { url: sinkUrl } },
      { ...trackEvent(3), properties: { url: sinkUrl } },
    ];
    const mapping = { url: { '@path': '$.properties.url' }, method: 'POST', data: { id: { '@path': '$.messageId' } } };
    const results = await runtime.deliverBatch({ ...request({ mapping }), events: mixed });
    const outcomes = results.map((r) => (r.kind === 'delivered' ? r.kind : r.reason));
    expect(outcomes).toEqual(['delivered', 'payload-invalid', 'not-subscribed', 'delivered']);
    expect(received[0]?.body).toEqual([{ id: 'm-0' }, { id: 'm-3' }]);
  });

  it('falls back to single deliveries for an action without performBatch', async () => {
    const results = await runtime.deliverBatch({ ...request({ actionSlug: 'noSuchAction' }), events });
    expect(results.map((r) => r.kind === 'discard' && r.reason)).toEqual(Array(5).fill('unknown-action'));
  });
});

describe('classifyStatus', () => {
  const table: [number[], string, string | undefined][] = [
    [[200, 201, 204], 'delivered', undefined],
    [[408, 423, 429], 'retry', 'http-transient-4xx'],
    [[500, 502, 503, 504, 505, 511, 599], 'retry', 'http-5xx'],
    [[501], 'discard', 'http-501'],
    [[400, 401, 403, 404, 409, 413, 422, 451], 'discard', 'http-4xx'],
  ];
  it.each(table)('%j → %s %s', (statuses, kind, reason) => {
    for (const status of statuses) {
      const result = classifyStatus(status);
      expect(result.kind).toBe(kind);
      if (result.kind !== 'delivered') expect(result.reason).toBe(reason);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(classifyStatus(429, { 'Retry-After': '3' })).toMatchObject({ retryAfterMs: 3000 });
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const result = classifyStatus(429, new Headers({ 'retry-after': inOneMinute })) as RetryResult;
    expect(result.retryAfterMs).toBeGreaterThan(55_000); // HTTP dates have one-second resolution
    expect(classifyStatus(429, { 'retry-after': 'soon' })).not.toHaveProperty('retryAfterMs');
  });
});

describe('classifyError', () => {
  it('maps actions-core error classes', () => {
    expect(classifyError(new core.RetryableError!('try again'))).toMatchObject({ kind: 'retry', reason: 'retryable-error', status: 500 });
    expect(classifyError(new core.PayloadValidationError!('bad'))).toMatchObject({ kind: 'discard', reason: 'payload-invalid' });
    expect(classifyError(new core.SelfTimeoutError!('slow'))).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyError(new core.RequestTimeoutError!())).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyError(new core.InvalidAuthenticationError!('no'))).toMatchObject({ kind: 'discard', reason: 'http-4xx', status: 401 });
    expect(classifyError(new core.APIError!('gone', 410))).toMatchObject({ kind: 'discard', reason: 'http-4xx', status: 410 });
    expect(classifyError(new core.APIError!('busy', 503))).toMatchObject({ kind: 'retry', reason: 'http-5xx' });
    expect(classifyError(new core.IntegrationError!('odd', 'SOMETHING'))).toMatchObject({ kind: 'retry', reason: 'unclassified', unclassified: true });
  });

  it('maps network, timeout and unknown errors', () => {
    const fetchError = Object.assign(new Error('connect ECONNRESET'), { name: 'FetchError', code: 'ECONNRESET' });
    expect(classifyError(fetchError)).toMatchObject({ kind: 'retry', reason: 'network' });
    const undici = Object.assign(new TypeError('fetch failed'), { cause: { code: 'EAI_AGAIN' } });
    expect(classifyError(undici)).toMatchObject({ kind: 'retry', reason: 'network' });
    expect(classifyError(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }))).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyError(new Error('x'.repeat(5_000)))).toMatchObject({ kind: 'retry', unclassified: true });
    expect(Buffer.byteLength((classifyError(new Error('é'.repeat(5_000))) as RetryResult).error)).toBeLessThanOrEqual(1024);
    expect(classifyError('a string')).toMatchObject({ kind: 'retry', reason: 'unclassified' });
  });

  it('turns an exhausted unclassified retry into a discard', () => {
    const retry = classifyError(new Error('weird')) as RetryResult;
    expect(exhaustedUnclassified(retry)).toEqual({ kind: 'discard', reason: 'unclassified-error', error: 'Error: weird' });
  });
});

describe('nextRetryDelayMs', () => {
  it('doubles from 10 s, capped at 10 min, jittered in [½, 1]', () => {
    expect(nextRetryDelayMs(1, undefined, () => 0)).toBe(5_000);
    expect(nextRetryDelayMs(1, undefined, () => 0.999999)).toBe(10_000);
    expect(nextRetryDelayMs(2, undefined, () => 0)).toBe(10_000);
    expect(nextRetryDelayMs(7, undefined, () => 0)).toBe(300_000);
    expect(nextRetryDelayMs(7, undefined, () => 1)).toBe(600_000);
    expect(nextRetryDelayMs(50, undefined, () => 1)).toBe(600_000);
    expect(nextRetryDelayMs(5_000, undefined, () => 0.5)).toBe(450_000);
    for (let n = 1; n <= 12; n++) {
      const ceiling = Math.min(600_000, 10_000 * 2 ** (n - 1));
      for (let i = 0; i < 50; i++) {
        const d = nextRetryDelayMs(n);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('waits at least Retry-After', () => {
    expect(nextRetryDelayMs(1, 60_000, () => 0)).toBe(60_000);
    expect(nextRetryDelayMs(1, 1_000, () => 0)).toBe(5_000);
    expect(nextRetryDelayMs(10, 3_600_000, () => 1)).toBe(3_600_000);
  });
});
