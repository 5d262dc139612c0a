// Global HTTP rules of the control plane (public-api.md §1.1–1.5): authentication, roles, media types,
// Accept, trailing slashes, percent-encoded ids, empty/malformed/non-object bodies, validation order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { call, createDestination, createSource, expectError, expectOk, JAVASCRIPT_SOURCE, workspaceOf, type Json } from '../support/control-api.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/server.js';

const VENDOR_TYPES = [
  'application/json',
  'application/vnd.segment.v1+json',
  'application/vnd.segment.v1beta+json',
  'application/vnd.segment.v1alpha+json',
];
const RFC5322 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe.each(BACKENDS)('HTTP rules [%s]', (backend) => {
  let server: TestServer;
  let source: Json;
  let destination: Json;
  let routes: [string, string][];
  const raw = (options: Parameters<typeof rawRequest>[1]) =>
    rawRequest(server.url, { ...options, headers: { authorization: `Bearer ${server.token}`, ...options.headers } });

  beforeAll(async () => {
    server = await startTestServer(backend);
    source = await createSource(server);
    destination = await createDestination(server, source.id);
    routes = [
      ['GET', '/'],
      ['GET', '/sources'],
      ['POST', '/sources'],
      ['GET', `/sources/${source.id}`],
      ['PATCH', `/sources/${source.id}`],
      ['DELETE', `/sources/${source.id}`],
      ['POST', `/sources/${source.id}/writekey`],
      ['DELETE', `/sources/${source.id}/writekey/${source.writeKeys[0]}`],
      ['GET', `/sources/${source.id}/connected-destinations`],
      ['GET', '/destinations'],
      ['POST', '/destinations'],
      ['GET', `/destinations/${destination.id}`],
      ['PATCH', `/destinations/${destination.id}`],
      ['DELETE', `/destinations/${destination.id}`],
      ['GET', `/destinations/${destination.id}/subscriptions`],
      ['POST', `/destinations/${destination.id}/subscriptions`],
      ['GET', '/catalog/destinations'],
      ['GET', '/catalog/destinations/54521fd525e721e32a72ee91'],
      ['GET', '/catalog/sources'],
      ['GET', `/catalog/sources/${JAVASCRIPT_SOURCE}`],
      ['GET', '/audit-events'],
    ];
  });
  afterAll(() => server.destroy());

  it('answers 401 with WWW-Authenticate on every route for a missing, unknown or non-bearer token', async () => {
    for (const [method, path] of routes) {
      const body = method === 'GET' ? {} : { json: {} };
      const missing = await call(server, path, { method, token: null, ...body });
      expect(expectError(missing, 401, 'unauthorized')).toEqual([{ type: 'unauthorized', message: 'Missing API token' }]);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      for (const authorization of [`Bearer nope-${server.token}`, `Basic ${server.token}`, 'Bearer', `Token ${server.token}`]) {
        const invalid = await call(server, path, { method, token: null, headers: { authorization }, ...body });
        expect(expectError(invalid, 401, 'unauthorized')).toEqual([{ type: 'unauthorized', message: 'Invalid API token' }]);
        expect(invalid.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    // Authentication comes before body parsing and validation.
    const malformed = await call(server, '/sources', { method: 'POST', token: null, headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    expectError(malformed, 401, 'unauthorized');
  });

  it('lets a read-only token read but answers 403 forbidden to its writes', async () => {
    const { id: workspaceId } = await workspaceOf(server);
    const readOnly = await server.running.controlPlane.tokens.issue(workspaceId, { role: 'read-only' });
    for (const [method, path] of routes) {
      const result = await call(server, path, { method, token: readOnly.token, ...(method === 'GET' ? {} : { json: {} }) });
      if (method === 'GET') expectOk(result);
      else expectError(result, 403, 'forbidden');
    }
    expectOk(await call(server, `/sources/${source.id}`));
  });

  it('answers unknown routes and methods with the not-found envelope', async () => {
    for (const [method, path] of [['GET', '/nope'], ['GET', '/v2/destinations'], ['PUT', `/destinations/${destination.id}`], ['POST', '/catalog/sources']]) {
      expectError(await call(server, path!, { method: method! }), 404, 'not-found');
    }
  });

  it('refuses bodies over 1 MiB with 413 payload-too-large and takes one just under it', async () => {
    const padding = (size: number) => JSON.stringify({ slug: `big-${size}`, enabled: true, metadataId: JAVASCRIPT_SOURCE, settings: { blob: 'x'.repeat(size) } });
    expectError(await call(server, '/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: padding(1024 * 1024) }), 413, 'payload-too-large');
    expect((await call(server, '/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: padding(1024 * 1024 - 200) })).status).toBe(201);
  });

  it('refuses non-JSON body types with 415 unsupported-media-type', async () => {
    for (const type of ['text/xml', 'application/xml', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/json-patch+json']) {
      expectError(await call(server, '/sources', { method: 'POST', headers: { 'content-type': type }, body: '{}' }), 415, 'unsupported-media-type');
      expectError(await call(server, `/destinations/${destination.id}`, { method: 'PATCH', headers: { 'content-type': type }, body: '{}' }), 415, 'unsupported-media-type');
    }
    // curl -d without -H sends no usable type: still a 415, never a 500.
    const form = await raw({ method: 'POST', path: '/sources', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'slug=a' });
    expect(form.status).toBe(415);
  });

  it('accepts JSON under every vendor media type, with or without a charset', async () => {
    const types = VENDOR_TYPES.flatMap((t) => [t, `${t}; charset=utf-8`, `${t.toUpperCase()};charset=UTF-8`]);
    for (const [i, type] of types.entries()) {
      const body = JSON.stringify({ slug: `media-${i}`, enabled: true, metadataId: JAVASCRIPT_SOURCE });
      expectOk(await call(server, '/sources', { method: 'POST', headers: { 'content-type': type }, body }), 201);
      const patched = await call(server, `/destinations/${destination.id}`, { method: 'PATCH', headers: { 'content-type': type }, body: `{"name":"m${i}"}` });
      expect(expectOk(patched).destination.name).toBe(`m${i}`);
    }
  });

  it('answers every Accept header identically as application/json; charset=utf-8, success or error', async () => {
    const accepts = [undefined, '*/*', 'application/json', ...VENDOR_TYPES.slice(1), 'text/html', 'application/xml', 'application/vnd.segment.v1+json, */*;q=0.8'];
    for (const path of [`/sources/${source.id}`, '/sources/unknownSource', '/sources?pagination.count=0']) {
      const answers = await Promise.all(accepts.map((accept) => raw({ path, headers: accept ? { accept } : {} })));
      for (const answer of answers) {
        expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(answer.headers['content-encoding']).toBeUndefined();
        expect(answer.status).toBe(answers[0]!.status);
        expect(answer.text).toBe(answers[0]!.text);
      }
    }
    const identity = await raw({ path: '/catalog/destinations', headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
  });

  it('sends no CORS headers', async () => {
    const answer = await raw({ path: '/sources', headers: { origin: 'https://evil.example' } });
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await raw({ method: 'OPTIONS', path: '/sources', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('ignores a trailing slash and decodes percent-encoded ids', async () => {
    expect(expectOk(await call(server, '/sources/')).sources.length).toBeGreaterThan(0);
    expect(expectOk(await call(server, `/sources/${source.id}/`)).source.id).toBe(source.id);
    expect(expectOk(await call(server, `/destinations/${destination.id}/`)).destination.id).toBe(destination.id);
    const encoded = [...source.id].map((c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect(expectOk(await call(server, `/sources/${encoded}`)).source.id).toBe(source.id);
    expect(expectError(await call(server, '/destinations/a%2Fb'), 404, 'not-found')[0].message).toBe("Destination with id 'a/b' not found");
    expect(expectError(await call(server, '/sources/%C3%A9t%C3%A9'), 404, 'not-found')[0].message).toBe("Source with id 'été' not found");
    expectError(await call(server, '/destinations/%E0%A4%A'), 400, 'bad-request');
    expectError(await call(server, `/destinations/${'x'.repeat(600)}`), 404, 'not-found');
  });

  it('treats an empty body as {} on POST, PATCH and DELETE', async () => {
    const throwaway = await createDestination(server, source.id);
    const noType = await raw({ method: 'PATCH', path: `/destinations/${throwaway.id}` });
    expect(noType.status).toBe(200);
    const jsonType = await raw({ method: 'PATCH', path: `/destinations/${throwaway.id}`, headers: { 'content-type': 'application/json' }, body: '' });
    expect(jsonType.status).toBe(200);
    expect(JSON.parse(jsonType.text)).toEqual(JSON.parse(noType.text));
    expect((await raw({ method: 'POST', path: `/sources/${source.id}/writekey` })).status).toBe(200);
    const vendor = await raw({ method: 'POST', path: `/sources/${source.id}/writekey`, headers: { 'content-type': 'application/vnd.segment.v1alpha+json' }, body: '' });
    expect(vendor.status).toBe(200);
    const deleted = await raw({ method: 'DELETE', path: `/destinations/${throwaway.id}`, headers: { 'content-type': 'application/json' }, body: '' });
    expect(JSON.parse(deleted.text)).toEqual({ data: { status: 'SUCCESS' } });
    for (const type of ['text/plain', 'text/xml', 'application/x-www-form-urlencoded']) {
      const typed = await raw({ method: 'POST', path: `/sources/${source.id}/writekey`, headers: { 'content-type': type }, body: '' });
      expect(typed.status, type).toBe(200);
    }
    const empty = await raw({ method: 'POST', path: '/sources', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(empty.text).errors.map((e: Json) => e.field).sort()).toEqual(['enabled', 'metadataId', 'slug']);
  });

  it('answers malformed JSON with 400 bad-request', async () => {
    for (const body of ['{', '{"a":}', "{'a':1}", '{"a":1}}', 'nul', '\u00ff']) {
      for (const [method, path] of [['POST', '/sources'], ['PATCH', `/destinations/${destination.id}`], ['POST', '/destinations']]) {
        const result = await call(server, path!, { method: method!, headers: { 'content-type': 'application/json' }, body });
        expectError(result, 400, 'bad-request');
      }
    }
  });

  it('answers a body that is not an object with 422 and no field', async () => {
    for (const body of ['[]', '[{}]', '"text"', '42', 'null', 'true']) {
      for (const [method, path] of [['POST', '/sources'], ['PATCH', `/sources/${source.id}`], ['POST', '/destinations'], ['PATCH', `/destinations/${destination.id}`]]) {
        const errors = expectError(await call(server, path!, { method: method!, headers: { 'content-type': 'application/json' }, body }), 422, 'input-validation');
        expect(errors).toEqual([{ type: 'input-validation', message: 'Request body must be a JSON object' }]);
      }
    }
  });

  it('checks path resources before the body (404 before 422)', async () => {
    const bad = { enabled: 'yes', name: 5, settings: [], slug: '' };
    expectError(await call(server, '/destinations/unknownDestination', { method: 'PATCH', json: bad }), 404, 'not-found');
    expectError(await call(server, '/sources/unknownSource', { method: 'PATCH', json: bad }), 404, 'not-found');
    expectError(await call(server, '/destinations/unknownDestination/subscriptions', { method: 'POST', json: bad }), 404, 'not-found');
    expectError(await call(server, `/destinations/${destination.id}/subscriptions/unknown`, { method: 'PATCH', json: bad }), 404, 'not-found');
    expectError(await call(server, '/sources/unknownSource/connected-destinations?pagination.count=0'), 404, 'not-found');
  });

  it('sends X-RateLimit headers on every authenticated answer', async () => {
    const answers: [Awaited<ReturnType<typeof call>>, number][] = [
      [await call(server, '/'), 200],
      [await call(server, '/sources/unknownSource'), 404],
      [await call(server, '/sources?pagination.count=0'), 422],
      [await call(server, '/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), 400],
      [await call(server, '/sources', { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' }), 415],
      [await call(server, '/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `"${'x'.repeat(1_100_000)}"` }), 413],
    ];
    for (const [result, status] of answers) {
      expect(result.status).toBe(status);
      expect(Number(result.headers.get('x-ratelimit-consumed'))).toBeGreaterThan(0);
      expect(Number.isInteger(Number(result.headers.get('x-ratelimit-remaining')))).toBe(true);
      const reset = result.headers.get('x-ratelimit-reset')!;
      expect(reset).toMatch(RFC5322);
      expect(Date.parse(reset) - Date.now()).toBeLessThanOrEqual(60_000);
      expect(Date.parse(reset)).toBeGreaterThan(Date.now() - 1000);
    }
  });
});
