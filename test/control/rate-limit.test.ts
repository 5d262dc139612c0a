// The general per-token rate limit (public-api.md §1.4, §1.7): 429 body, Retry-After, headers, disabling.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { call, expectOk } from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Fixed windows start on the minute: wait out the last seconds of one so a burst lands in a single window. */
async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await sleep(left + 50);
}

describe.each(BACKENDS)('general rate limit [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT: '5' } });
  });
  afterAll(() => server.destroy());

  it('answers the sixth request of a window with the documented 429', async () => {
    await awayFromWindowEdge();
    const workspaceId = (await server.running.controlPlane.workspaces.list())[0]!.id;
    const remaining: number[] = [Number((await call(server, '/')).headers.get('x-ratelimit-remaining'))];
    for (let i = 0; i < 4; i++) {
      // Any answer counts, success or not, and unauthenticated requests are not charged to the token.
      await call(server, '/', { token: 'not-a-token' });
      const result = await call(server, i % 2 ? '/sources' : '/sources/unknown');
      remaining.push(Number(result.headers.get('x-ratelimit-remaining')));
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);

    const limited = await call(server, '/sources');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(limited.body).toEqual({
      errors: [
        {
          type: 'RequestError',
          message: 'Too many requests',
          data: { remainingPoints: 0, msBeforeNext: expect.any(Number), consumedPoints: expect.any(Number) },
        },
      ],
    });
    const { msBeforeNext, consumedPoints } = limited.body.errors[0].data;
    expect(msBeforeNext).toBeGreaterThan(0);
    expect(msBeforeNext).toBeLessThanOrEqual(60_000);
    expect(consumedPoints).toBeGreaterThanOrEqual(6);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(Math.max(1, Math.ceil(msBeforeNext / 1000)));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-consumed'))).toBe(consumedPoints);
    expect(Math.abs(Date.parse(limited.headers.get('x-ratelimit-reset')!) - (Date.now() + msBeforeNext))).toBeLessThan(2_000);

    // Writes are limited too, and nothing is changed by a refused one.
    const refused = await call(server, '/sources', { method: 'POST', json: { slug: 'late', enabled: true, metadataId: 'IqDTy1TpoU' } });
    expect(refused.status).toBe(429);
    const stored = await server.running.storage.db.selectFrom('sources').select('id').where('slug', '=', 'late').execute();
    expect(stored).toEqual([]);

    // Another token of the same workspace has its own window.
    const other = await server.running.controlPlane.tokens.issue(workspaceId);
    expectOk(await call(server, '/', { token: other.token }));
  });
});

describe.each(BACKENDS)('rate limit disabled [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT: '0' } });
  });
  afterAll(() => server.destroy());

  it('never answers 429 when SWITCHYARD_RATE_LIMIT is 0', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => call(server, '/sources')));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  });
});
