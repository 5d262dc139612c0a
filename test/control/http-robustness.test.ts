// Bad input on every control-plane route never yields a 5xx: malformed JSON, non-objects, wrong types, odd ids
// and odd query strings all end in a 4xx with a typed error envelope (public-api.md §1.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createDestination, createSource, WEBHOOK, type Json } from '../support/control-api.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/server.js';

const WRONG_TYPES = {
  slug: 5,
  enabled: 'yes',
  metadataId: [],
  settings: 'x',
  sourceId: {},
  name: 7,
  input: 'x',
  actionId: 1,
  trigger: 2,
};

const BODIES: string[] = [
  '{',
  '{"a":}',
  '[]',
  '[1,2]',
  '"text"',
  '42',
  '-0.0',
  'null',
  'true',
  '{}',
  JSON.stringify(WRONG_TYPES),
  JSON.stringify({ input: WRONG_TYPES, ...Object.fromEntries(Object.keys(WRONG_TYPES).map((k) => [k, null])) }),
  JSON.stringify({ input: { settings: [], enabled: 1, trigger: '', name: '' }, settings: { apiKey: { $gt: '' }, retarget: 'no' } }),
  '{"settings":{"__proto__":{"polluted":true}},"__proto__":{"enabled":true},"constructor":{"prototype":{"x":1}}}',
  JSON.stringify({ name: '\u0000\ud800', slug: '\u0000', settings: { '': 1, ['k'.repeat(5000)]: 'v' } }),
  '['.repeat(5000) + ']'.repeat(5000),
  JSON.stringify({ settings: JSON.parse('{"a":'.repeat(500) + '1' + '}'.repeat(500)) }),
];

const QUERIES = [
  '',
  '?pagination=',
  '?pagination={"count":"x","cursor":{}}',
  '?pagination[count]=x&pagination.count=y',
  '?pagination[count][nested]=1',
  '?pagination.cursor=%00',
  '?pagination.cursor=' + 'A'.repeat(4000),
  '?__proto__=1&pagination[__proto__]=1&constructor=2',
  '?startTime[]=1&endTime=2&resourceType=a&resourceType=b',
  '?startTime=2025-02-30T00:00:00Z&endTime=9999-99-99T99:99:99Z',
  '?sourceId=&granularity=WEEK&startTime=x',
  '?sourceId=a&sourceId=b&granularity[]=DAY',
];

describe.each(BACKENDS)('no 5xx on bad input [%s]', (backend) => {
  let server: TestServer;
  let routes: [string, string][];
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT: '0' } });
    const source = await createSource(server);
    const destination = await createDestination(server, source.id, { metadataId: WEBHOOK, settings: {}, enabled: false });
    const ids = [destination.id, 'unknown', '%00', '%2e%2e%2F%2e%2e', 'a%2Fb', '%C3%A9', 'x'.repeat(300), '%E0%A4%A', '1%20OR%201=1'];
    const sourceIds = [source.id, 'unknown', '%00', 'x'.repeat(300), "'%3B--"];
    routes = [['GET', '/'], ['GET', '/sources'], ['POST', '/sources'], ['GET', '/destinations'], ['POST', '/destinations']];
    routes.push(['GET', '/catalog/destinations'], ['GET', '/catalog/sources'], ['GET', '/audit-events']);
    for (const id of ['unknown', '%00', 'x'.repeat(300), '%E0%A4%A']) {
      routes.push(['GET', `/catalog/destinations/${id}`], ['GET', `/catalog/sources/${id}`]);
    }
    for (const id of sourceIds) {
      routes.push(['GET', `/sources/${id}`], ['PATCH', `/sources/${id}`], ['POST', `/sources/${id}/writekey`]);
      routes.push(['GET', `/sources/${id}/connected-destinations`], ['DELETE', `/sources/${id}/writekey/unknown`]);
      if (id !== source.id) routes.push(['DELETE', `/sources/${id}`]);
    }
    for (const id of ids) {
      routes.push(['GET', `/destinations/${id}`], ['PATCH', `/destinations/${id}`], ['GET', `/destinations/${id}/subscriptions`]);
      routes.push(['POST', `/destinations/${id}/subscriptions`], ['GET', `/destinations/${id}/subscriptions/unknown`]);
      routes.push(['PATCH', `/destinations/${id}/subscriptions/unknown`], ['DELETE', `/destinations/${id}/subscriptions/unknown`]);
      routes.push(['GET', `/destinations/${id}/delivery-metrics`]);
      if (id !== destination.id) routes.push(['DELETE', `/destinations/${id}`]);
    }
  });
  afterAll(() => server.destroy());

  const send = (method: string, path: string, body?: string, type = 'application/json') =>
    rawRequest(server.url, {
      method,
      path,
      headers: { authorization: `Bearer ${server.token}`, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body } : {}),
    });

  function expectNoServerError(answer: { status: number; text: string; headers: Json }, what: string): void {
    expect(answer.status, what).toBeLessThan(500);
    expect(answer.headers['content-type'], what).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(answer.text) as Json;
    if (answer.status >= 400) {
      expect(Object.keys(parsed), what).toEqual(['errors']);
      expect(typeof parsed.errors[0].type, what).toBe('string');
      expect(parsed.errors[0].type.length, what).toBeGreaterThan(0);
    } else {
      expect(Object.keys(parsed), what).toEqual(['data']);
    }
  }

  it('answers every route with every bad body without a 5xx', async () => {
    const writes = routes.filter(([method]) => method !== 'GET');
    for (const [method, path] of writes) {
      const answers = await Promise.all(BODIES.map((body) => send(method, path, body)));
      answers.forEach((answer, i) => expectNoServerError(answer, `${method} ${path} ${BODIES[i]!.slice(0, 60)}`));
      expectNoServerError(await send(method, path, '<x/>', 'text/xml'), `${method} ${path} xml`);
      expectNoServerError(await send(method, path, Buffer.from([0xff, 0xfe, 0x00]) as unknown as string), `${method} ${path} bytes`);
    }
  });

  it('answers every route with odd query strings without a 5xx', async () => {
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : '{}';
      const encoded = QUERIES.map((query) => query.replace(/[{}" ]/g, encodeURIComponent));
      const answers = await Promise.all(encoded.map((query) => send(method, `${path}${query}`, body)));
      answers.forEach((answer, i) => expectNoServerError(answer, `${method} ${path}${QUERIES[i]}`));
    }
  });
});
