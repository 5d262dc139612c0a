// The client's transport, deterministic: retries of 429/5xx honouring Retry-After (against a local stub server
// and a scripted fetch), backoff, timeouts, aborts, and what errors carry when the body is not an envelope.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, parseRetryAfter, SwitchyardApiError, SwitchyardNetworkError, type FetchLike, type RetryInfo } from '../../src/client/index.js';
import { rejectionOf } from './client-recorder.js';

const WORKSPACE = { id: 'w1', name: 'Acme', slug: 'acme' };
const OK_BODY = JSON.stringify({ data: { workspace: WORKSPACE } });
const LIMITED_BODY = JSON.stringify({
  errors: [{ type: 'RequestError', message: 'Too many requests', data: { remainingPoints: 0, msBeforeNext: 900, consumedPoints: 6 } }],
});

interface Scripted {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A fetch that answers from a script, one entry per call, and records the calls. */
function scriptedFetch(script: Array<Scripted | Error>) {
  const calls: Array<{ url: string; init: RequestInit; at: number }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init, at: Date.now() });
    const next = script[Math.min(calls.length - 1, script.length - 1)]!;
    if (next instanceof Error) throw next;
    return new Response(next.body ?? '', { status: next.status, headers: { 'content-type': 'application/json; charset=utf-8', ...next.headers } });
  };
  return { fetch, calls };
}

const clientWith = (fetch: FetchLike, extra: Partial<Parameters<typeof createClient>[0]> = {}) =>
  createClient({ baseUrl: 'http://switchyard.test/', token: 't0ken', fetch, retryBaseMs: 5, ...extra });

describe('switchyard/client retries against a stub server', () => {
  let server: http.Server;
  let baseUrl: string;
  const arrivals: number[] = [];
  beforeAll(async () => {
    // Answers 429 with Retry-After: 1 to the first request of each pair, then 200.
    server = http.createServer((request, response) => {
      arrivals.push(Date.now());
      const limited = arrivals.length % 2 === 1;
      response.writeHead(limited ? 429 : 200, { 'content-type': 'application/json; charset=utf-8', ...(limited ? { 'retry-after': '1' } : {}) });
      response.end(limited ? LIMITED_BODY : OK_BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('waits the Retry-After of a 429, then succeeds', async () => {
    const retries: RetryInfo[] = [];
    const client = createClient({ baseUrl, token: 't0ken', onRetry: (info) => retries.push(info) });
    expect(await client.workspace.get()).toEqual(WORKSPACE);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([{ method: 'GET', url: `${baseUrl}/`, attempt: 1, delayMs: 1000, status: 429 }]);
  });

  it('gives up with the 429 error when retries are disabled', async () => {
    const client = createClient({ baseUrl, token: 't0ken', maxRetries: 0 });
    const error = await rejectionOf(client.workspace.get());
    expect(error).toBeInstanceOf(SwitchyardApiError);
    expect(error).toMatchObject({ status: 429, type: 'RequestError', message: 'Too many requests', retryAfterMs: 1000 });
    // Keep the stub's pairs aligned for any later test.
    await createClient({ baseUrl, token: 't0ken' }).workspace.get();
  });
});

describe('switchyard/client retry policy (scripted fetch)', () => {
  it('honours an HTTP-date Retry-After', async () => {
    const { fetch, calls } = scriptedFetch([
      { status: 503, body: '{"errors":[{"type":"unavailable","message":"busy"}]}', headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() } },
      { status: 200, body: OK_BODY },
    ]);
    expect(await clientWith(fetch).workspace.get()).toEqual(WORKSPACE);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(400);
  });

  it('retries 5xx of reads with backoff and throws the last error when retries run out', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 502, body: '<html>bad gateway</html>' }, { status: 500, body: '{"errors":[{"type":"internal-error","message":"Internal error"}]}' }, { status: 200, body: OK_BODY }]);
    expect(await clientWith(fetch).workspace.get()).toEqual(WORKSPACE);
    expect(calls).toHaveLength(3);

    const failing = scriptedFetch([{ status: 503, body: '{"errors":[{"type":"unavailable","message":"Try later"}]}' }]);
    const error = await rejectionOf(clientWith(failing.fetch, { maxRetries: 2 }).sources.list());
    expect(failing.calls).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, type: 'unavailable', message: 'Try later', errors: [{ type: 'unavailable', message: 'Try later' }] });
  });

  it('does not retry a POST after a 5xx unless asked to, but always retries a POST after a 429', async () => {
    const answer = { status: 500, body: '{"errors":[{"type":"internal-error","message":"Internal error"}]}' };
    const input = { slug: 'web', enabled: true, metadataId: 'IqDTy1TpoU' };
    const once = scriptedFetch([answer, { status: 201, body: '{"data":{"source":{"id":"s1"}}}' }]);
    expect(await rejectionOf(clientWith(once.fetch).sources.create(input))).toMatchObject({ status: 500, type: 'internal-error' });
    expect(once.calls).toHaveLength(1);

    const unsafe = scriptedFetch([answer, { status: 201, body: '{"data":{"source":{"id":"s1"}}}' }]);
    expect(await clientWith(unsafe.fetch, { retryUnsafeRequests: true }).sources.create(input)).toEqual({ id: 's1' });
    expect(unsafe.calls).toHaveLength(2);

    const limited = scriptedFetch([{ status: 429, body: LIMITED_BODY, headers: { 'retry-after': '0' } }, { status: 201, body: '{"data":{"source":{"id":"s2"}}}' }]);
    expect(await clientWith(limited.fetch).sources.create(input)).toEqual({ id: 's2' });
    expect(limited.calls).toHaveLength(2);
    expect(limited.calls[1]!.init.body).toBe(JSON.stringify(input));
  });

  it('does not retry other 4xx', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const { fetch, calls } = scriptedFetch([{ status, body: `{"errors":[{"type":"x","message":"no","field":"f"}]}` }]);
      expect(await rejectionOf(clientWith(fetch).workspace.get())).toMatchObject({ status, type: 'x', message: 'no', field: 'f' });
      expect(calls).toHaveLength(1);
    }
  });

  it('throws at once when Retry-After exceeds maxRetryAfterMs', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 429, body: LIMITED_BODY, headers: { 'retry-after': '45' } }]);
    const error = await rejectionOf(clientWith(fetch, { maxRetryAfterMs: 10_000 }).workspace.get());
    expect(error).toMatchObject({ status: 429, retryAfterMs: 45_000 });
    expect(calls).toHaveLength(1);
  });

  it('describes a body that is not an envelope, and a 2xx without data', async () => {
    const proxy = scriptedFetch([{ status: 418, body: '<html>short and stout</html>' }]);
    expect(await rejectionOf(clientWith(proxy.fetch).workspace.get())).toMatchObject({ status: 418, type: 'http-418', message: 'HTTP 418: <html>short and stout</html>' });
    const empty = scriptedFetch([{ status: 200, body: '{}' }]);
    expect(await rejectionOf(clientWith(empty.fetch).workspace.get())).toMatchObject({ status: 200, type: 'invalid-response' });
  });

  it('retries network failures of reads and then throws SwitchyardNetworkError with the cause', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const { fetch, calls } = scriptedFetch([refused]);
    const error = await rejectionOf(clientWith(fetch, { maxRetries: 2 }).destinations.list());
    expect(error).toBeInstanceOf(SwitchyardNetworkError);
    expect(error).toMatchObject({ method: 'GET', timedOut: false, message: expect.stringContaining('ECONNREFUSED') });
    expect(calls).toHaveLength(3);
  });

  it("times out a stalled attempt, and leaves the caller's own abort alone", async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const timedOut = await rejectionOf(clientWith(hanging, { timeoutMs: 30, maxRetries: 1 }).workspace.get());
    expect(timedOut).toBeInstanceOf(SwitchyardNetworkError);
    expect(timedOut).toMatchObject({ timedOut: true, message: expect.stringContaining('timed out after 30 ms') });

    const controller = new AbortController();
    const reason = new Error('user gave up');
    setTimeout(() => controller.abort(reason), 20);
    expect(await rejectionOf(clientWith(hanging).workspace.get({ signal: controller.signal }))).toBe(reason);
  });

  it('encodes ids, pagination and filters, and keeps a base path prefix', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 200, body: '{"data":{"subscriptions":[],"pagination":{"current":"MA==","totalEntries":0}}}' }]);
    const client = createClient({ baseUrl: 'https://proxy.test/switchyard/', token: 't0ken', fetch });
    await client.subscriptions.list('a/b c', { count: 5, cursor: 'x+y=' });
    expect(calls[0]!.url).toBe('https://proxy.test/switchyard/destinations/a%2Fb%20c/subscriptions?pagination.count=5&pagination.cursor=x%2By%3D');
    expect(calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer t0ken', accept: 'application/json' });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-11-26T12:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('2.5', now)).toBe(2500);
    expect(parseRetryAfter('Wed, 26 Nov 2025 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 26 Nov 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
