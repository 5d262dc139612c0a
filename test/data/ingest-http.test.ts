// The Tracking API over HTTP (data-plane.md §1–§5): paths, write keys, body parsing, limits, errors, CORS.
// Routing, dedup and storage through the same listener are in ingest-routing.test.ts.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { createSource, createWebhookPipeline, type Pipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';
import { basicAuth, postTracking, type Json } from '../support/tracking.js';

const SINGLE_PATHS: Record<string, { type: string; fields: Json }> = {
  '/v1/track': { type: 'track', fields: { event: 'Path Test' } },
  '/v1/identify': { type: 'identify', fields: { traits: { plan: 'pro' } } },
  '/v1/page': { type: 'page', fields: { name: 'Home' } },
  '/v1/screen': { type: 'screen', fields: { name: 'Main' } },
  '/v1/group': { type: 'group', fields: { groupId: 'g1' } },
  '/v1/alias': { type: 'alias', fields: { previousId: 'anon-1' } },
};
const SHORT_PATHS: Record<string, string> = { '/v1/t': '/v1/track', '/v1/i': '/v1/identify', '/v1/p': '/v1/page', '/v1/s': '/v1/screen', '/v1/g': '/v1/group', '/v1/a': '/v1/alias' };
const BATCH_PATHS = ['/v1/batch', '/v1/import', '/v1/b'];

describe.each(BACKENDS)('Tracking API over HTTP [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  let pipeline: Pipeline;
  let counter = 0;
  const messageId = (prefix: string) => `${prefix}-${backend}-${++counter}`;
  const track = (extra: Json = {}): Json => ({ type: 'track', userId: 'u1', event: 'Ingest Test', messageId: messageId('t'), ...extra });
  const identify = (extra: Json = {}): Json => ({ type: 'identify', userId: 'u1', messageId: messageId('i'), ...extra });
  const storedTypes = async (ids: string[]) => {
    const rows = await server.running.storage.db.selectFrom('events').select(['message_id', 'type']).where('message_id', 'in', ids).execute();
    return Object.fromEntries(rows.map((r) => [r.message_id, r.type]));
  };

  beforeAll(async () => {
    sink = await startSink();
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20' } });
    pipeline = await createWebhookPipeline(server, { slug: 'ingest-http', sinkUrl: sink.url });
  });
  afterAll(async () => {
    await server.destroy();
    await sink.close();
  });

  it('accepts every single-call path, the short paths, and takes the type from the path', async () => {
    const expected: Record<string, string> = {};
    for (const [path, { type, fields }] of [...Object.entries(SINGLE_PATHS), ...Object.entries(SHORT_PATHS).map(([s, l]) => [s, SINGLE_PATHS[l]!] as const)]) {
      const id = messageId('path');
      const result = await postTracking(server, path, { userId: 'u1', messageId: id, type: 'bogus', ...fields }, { writeKey: pipeline.writeKey });
      expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(200);
      expect(result.body).toEqual({ success: true });
      expected[id] = type;
    }
    expect(await storedTypes(Object.keys(expected))).toEqual(expected);
  });

  it('accepts the batch paths with a per-item type, and a trailing slash', async () => {
    const expected: Record<string, string> = {};
    for (const path of [...BATCH_PATHS, '/v1/batch/']) {
      const items = [track(), identify(), { type: 'group', userId: 'u1', groupId: 7, messageId: messageId('g') }];
      const result = await postTracking(server, path, { batch: items }, { writeKey: pipeline.writeKey });
      expect(result.status, path).toBe(200);
      expect(result.body).toEqual({ success: true });
      for (const item of items) expected[item.messageId] = item.type ?? 'track';
    }
    const single = track();
    expect((await postTracking(server, '/v1/track/', single, { writeKey: pipeline.writeKey })).status).toBe(200);
    expect(await storedTypes([...Object.keys(expected), single.messageId])).toEqual({ ...expected, [single.messageId]: 'track' });
  });

  it('reads the write key from Basic auth (with or without colon) or the body; the header wins', async () => {
    const ok = async (body: Json, headers: Record<string, string> = {}) => (await postTracking(server, '/v1/track', body, { headers })).status;
    expect(await ok(track(), { authorization: basicAuth(pipeline.writeKey) })).toBe(200);
    expect(await ok(track(), { authorization: basicAuth(pipeline.writeKey, false) })).toBe(200);
    expect(await ok(track({ writeKey: pipeline.writeKey }))).toBe(200);
    expect((await postTracking(server, '/v1/batch', { batch: [track()], writeKey: pipeline.writeKey })).status).toBe(200);
    expect(await ok(track({ writeKey: 'unknown-key' }), { authorization: basicAuth(pipeline.writeKey) })).toBe(200);
    expect(await ok(track({ writeKey: pipeline.writeKey }), { authorization: basicAuth('unknown-key') })).toBe(401);
    // Bearer is an OAuth token, not a write key: ignored, the body key applies.
    expect(await ok(track({ writeKey: pipeline.writeKey }), { authorization: 'Bearer some-oauth-token' })).toBe(200);
    expect(await ok(track(), { authorization: `Bearer ${pipeline.writeKey}` })).toBe(401);

    const withBodyKey = track({ writeKey: pipeline.writeKey });
    await ok(withBodyKey);
    const row = await server.running.storage.db.selectFrom('events').select('body').where('message_id', '=', withBodyKey.messageId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.body)).not.toHaveProperty('writeKey');
  });

  it('answers 401 for a missing or unknown key', async () => {
    const missing = await postTracking(server, '/v1/track', track());
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ success: false, code: 'unauthorized', message: expect.any(String) });
    const unknown = await postTracking(server, '/v1/batch', { batch: [track()] }, { writeKey: 'no-such-key' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('unauthorized');
  });

  it('answers 403 while the source is disabled and 401 once it is deleted', async () => {
    const source = await createSource(server, `ingest-toggle-${backend}`);
    const send = async () => postTracking(server, '/v1/track', track(), { writeKey: source.writeKey });
    expect((await send()).status).toBe(200);
    const patch = (enabled: boolean) => server.api(`/sources/${source.sourceId}`, { method: 'PATCH', json: { enabled } });
    expect((await patch(false)).status).toBe(200);
    const forbidden = await send();
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ success: false, code: 'forbidden' });
    expect((await patch(true)).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect((await server.api(`/sources/${source.sourceId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await send()).status).toBe(401);
  });

  it('parses the body as JSON whatever the Content-Type, and accepts gzip', async () => {
    const key = { authorization: basicAuth(pipeline.writeKey) };
    const plain = track();
    expect((await postTracking(server, '/v1/t', JSON.stringify(plain), { headers: { ...key, 'content-type': 'text/plain' } })).status).toBe(200);
    const none = track();
    expect((await postTracking(server, '/v1/track', new TextEncoder().encode(JSON.stringify(none)), { headers: key })).status).toBe(200);
    const odd = track();
    expect((await postTracking(server, '/v1/track', JSON.stringify(odd), { headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    const gzipped = { batch: [track(), track()] };
    const zipped = await postTracking(server, '/v1/batch', gzipSync(JSON.stringify(gzipped)), { headers: { ...key, 'content-encoding': 'gzip', 'content-type': 'application/json' } });
    expect(zipped.status).toBe(200);
    const single = track();
    expect((await postTracking(server, '/v1/track', gzipSync(JSON.stringify(single)), { headers: { ...key, 'content-encoding': 'gzip' } })).status).toBe(200);
    const ids = [plain, none, odd, ...gzipped.batch, single].map((e) => e.messageId);
    expect(Object.keys(await storedTypes(ids)).sort()).toEqual([...ids].sort());

    const corrupt = await postTracking(server, '/v1/batch', new Uint8Array([0x1f, 0x8b, 1, 2, 3]), { headers: { ...key, 'content-encoding': 'gzip' } });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.code).toBe('bad-request');
    // Limits apply to the decompressed bytes: 600 KB of padding squeezes into a few hundred bytes.
    const bomb = gzipSync(JSON.stringify({ batch: [identify({ traits: { pad: ' '.repeat(600_000) } })] }));
    expect(bomb.length).toBeLessThan(5_000);
    const tooBig = await postTracking(server, '/v1/batch', bomb, { headers: { ...key, 'content-encoding': 'gzip' } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.code).toBe('payload-too-large');
  });

  it('enforces the 32 KB single-call limit on the exact byte count', async () => {
    const sized = (bytes: number) => {
      const body = track({ properties: { pad: '' } });
      body.properties.pad = 'x'.repeat(bytes - JSON.stringify(body).length);
      const text = JSON.stringify(body);
      expect(Buffer.byteLength(text)).toBe(bytes);
      return text;
    };
    const headers = { authorization: basicAuth(pipeline.writeKey), 'content-type': 'application/json' };
    expect((await postTracking(server, '/v1/track', sized(32_768), { headers })).status).toBe(200);
    const over = await postTracking(server, '/v1/track', sized(32_769), { headers });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ success: false, code: 'payload-too-large', message: expect.any(String) });
  });

  it('enforces the 500 KB batch limit and 2,500 events per batch', async () => {
    const headers = { authorization: basicAuth(pipeline.writeKey), 'content-type': 'application/json' };
    const pad = (bytes: number) => {
      const items = Array.from({ length: 20 }, () => identify({ traits: { pad: '' } }));
      const base = JSON.stringify({ batch: items }).length;
      items[0].traits.pad = 'y'.repeat(Math.floor((bytes - base) / 20));
      for (const item of items) item.traits.pad = items[0].traits.pad;
      items[19].traits.pad += 'y'.repeat(bytes - JSON.stringify({ batch: items }).length);
      return JSON.stringify({ batch: items });
    };
    expect((await postTracking(server, '/v1/batch', pad(512_000), { headers })).status).toBe(200);
    const over = await postTracking(server, '/v1/batch', pad(512_001), { headers });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('payload-too-large');

    const many = (n: number) => ({ batch: Array.from({ length: n }, () => identify()) });
    const tooMany = many(2_501);
    const refused = await postTracking(server, '/v1/batch', tooMany, { writeKey: pipeline.writeKey });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('payload-too-large');
    expect(await storedTypes([tooMany.batch[0].messageId])).toEqual({});
    expect((await postTracking(server, '/v1/batch', many(2_500), { writeKey: pipeline.writeKey })).status).toBe(200);
  });

  it('rejects only the oversized or invalid events of a batch', async () => {
    const counters = server.running.dataPlane.ingest.counters;
    const rejectedBefore = counters.rejected;
    const big = track({ properties: { pad: 'z'.repeat(33_000) } });
    const invalid = { type: 'track', userId: 'u1', messageId: messageId('bad') };
    const good = [track(), identify()];
    const result = await postTracking(server, '/v1/batch', { batch: [good[0], big, invalid, good[1]] }, { writeKey: pipeline.writeKey });
    expect(result.status).toBe(200);
    expect(result.body.success).toBe(true);
    expect(result.body.rejected).toEqual([
      { index: 1, messageId: big.messageId, errors: [{ type: 'input-validation', field: '$', message: expect.stringMatching(/bytes/) }] },
      { index: 2, messageId: invalid.messageId, errors: [{ type: 'input-validation', field: 'event', message: '"event" is required for track' }] },
    ]);
    expect(counters.rejected - rejectedBefore).toBe(2);
    expect(Object.keys(await storedTypes([...good, big, invalid].map((e) => e.messageId))).sort()).toEqual(good.map((e) => e.messageId).sort());
  });

  it('answers 400 with code and message at top level for a bad single event or a bad body', async () => {
    const invalid = await postTracking(server, '/v1/track', { userId: 'u1', messageId: messageId('x') }, { writeKey: pipeline.writeKey });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      success: false,
      code: 'input-validation',
      message: '"event" is required for track',
      errors: [{ type: 'input-validation', field: 'event', message: '"event" is required for track' }],
    });
    const headers = { authorization: basicAuth(pipeline.writeKey), 'content-type': 'application/json' };
    for (const [path, body] of [['/v1/track', '{"userId": "u1",'], ['/v1/batch', '[1,2]'], ['/v1/batch', '{"batch": {}}'], ['/v1/batch', '{}'], ['/v1/track', '']] as const) {
      const result = await postTracking(server, path, body, { headers });
      expect(result.status, `${path} ${body}`).toBe(400);
      expect(result.body).toMatchObject({ success: false, code: 'bad-request', message: expect.any(String) });
    }
    const empty = await postTracking(server, '/v1/batch', { batch: [] }, { writeKey: pipeline.writeKey });
    expect(empty).toMatchObject({ status: 200, body: { success: true } });
    const unknownPath = await postTracking(server, '/v1/trak', track(), { writeKey: pipeline.writeKey });
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ success: false, code: 'not-found', message: expect.any(String) });
  });

  it('answers CORS preflights and allows any origin on every answer', async () => {
    for (const path of ['/v1/batch', '/v1/t', '/v1/track']) {
      const preflight = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
      const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      expect(allowed).toContain('content-type');
      expect(allowed).toContain('authorization');
    }
    const origin = { origin: 'https://shop.example' };
    const answers = [
      await postTracking(server, '/v1/t', track(), { writeKey: pipeline.writeKey, headers: origin }),
      await postTracking(server, '/v1/t', track(), { headers: origin }),
      await postTracking(server, '/v1/t', '{', { writeKey: pipeline.writeKey, headers: origin }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 400]);
    for (const answer of answers) expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});
