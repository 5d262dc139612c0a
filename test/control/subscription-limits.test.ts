// The per-token limit on subscription writes (public-api.md §1.7) and the workspace feature flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  createDestination,
  createSource,
  createSubscription,
  errorsOf,
  freshToken,
  subscriptionBody,
  webhookSendActionId,
} from './subscription-fixtures.js';

const WINDOW_MS = 60_000;
const RFC_5322_GMT = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Windows are fixed minutes: start a burst early in one, so it cannot straddle a reset. */
async function awaitFreshWindow(neededMs = 10_000): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

function limitHeaders(response: Response) {
  return {
    consumed: Number(response.headers.get('x-ratelimit-consumed')),
    remaining: Number(response.headers.get('x-ratelimit-remaining')),
    reset: response.headers.get('x-ratelimit-reset') ?? '',
  };
}

describe.each(BACKENDS)('subscription write limits [%s]', (backend) => {
  let server: TestServer;
  let destinationId: string;
  let actionId: string;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    destinationId = await createDestination(server, await createSource(server));
    actionId = webhookSendActionId(server);
    workspaceId = (await server.running.controlPlane.workspaces.list())[0]!.id;
  });
  afterAll(() => server.destroy());

  const base = () => `/destinations/${destinationId}/subscriptions`;
  const create = (token: string, body: unknown = subscriptionBody(actionId)) => server.api(base(), { method: 'POST', json: body, token });
  const update = (token: string, id: string, name: string) =>
    server.api(`${base()}/${id}`, { method: 'PATCH', json: { input: { name } }, token });
  const remove = (token: string, id: string) => server.api(`${base()}/${id}`, { method: 'DELETE', token });

  async function expectThrottled(response: Response) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limitHeaders(response)).toMatchObject({ consumed: 5, remaining: 0 });
    const errors = await errorsOf(response);
    expect(errors).toEqual([
      {
        type: 'RequestError',
        message: 'Too many requests',
        data: { remainingPoints: 0, msBeforeNext: expect.any(Number), consumedPoints: 5 },
      },
    ]);
    const msBeforeNext = errors[0]!.data!.msBeforeNext as number;
    expect(retryAfter).toBe(Math.max(1, Math.ceil(msBeforeNext / 1000)));
  }

  it('allows 5 creates per minute per token; the 6th gets 429 with Retry-After and the envelope', async () => {
    const token = await freshToken(server);
    await awaitFreshWindow();
    const resets = new Set<string>();
    for (let i = 1; i <= 5; i++) {
      const response = await create(token);
      expect(response.status).toBe(200);
      const headers = limitHeaders(response);
      expect(headers).toMatchObject({ consumed: i, remaining: 5 - i });
      resets.add(headers.reset);
    }
    expect(resets.size).toBe(1);
    const [reset] = [...resets];
    expect(reset).toMatch(RFC_5322_GMT);
    const resetAt = Date.parse(reset!);
    expect(resetAt % WINDOW_MS).toBe(0);
    expect(resetAt).toBeGreaterThan(Date.now());
    expect(resetAt - Date.now()).toBeLessThanOrEqual(WINDOW_MS);
    await expectThrottled(await create(token));
    // Reads are not part of the write limit.
    expect((await server.api(base(), { token })).status).toBe(200);
  });

  it('does not spend points on rejected requests (422, 404)', async () => {
    const token = await freshToken(server);
    await awaitFreshWindow();
    for (const body of [subscriptionBody(actionId, { trigger: 'type ==' }), subscriptionBody('nope'), {}]) {
      const rejected = await create(token, body);
      expect(rejected.status).toBe(422);
      expect(limitHeaders(rejected)).toMatchObject({ consumed: 0, remaining: 5 });
    }
    const missing = await server.api('/destinations/nope/subscriptions', { method: 'POST', json: subscriptionBody(actionId), token });
    expect(missing.status).toBe(404);
    const badUpdate = await server.api(`${base()}/nope`, { method: 'PATCH', json: { input: { name: 'x' } }, token });
    expect(badUpdate.status).toBe(404);
    for (let i = 0; i < 5; i++) expect((await create(token)).status).toBe(200);
    await expectThrottled(await create(token));
  });

  it('gives update and remove their own buckets', async () => {
    const token = await freshToken(server);
    const spare = await createSubscription(server, destinationId, subscriptionBody(actionId), await freshToken(server));
    await awaitFreshWindow();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await create(token);
      expect(response.status).toBe(200);
      ids.push(((await response.json()) as { data: { destinationSubscription: { id: string } } }).data.destinationSubscription.id);
    }
    await expectThrottled(await create(token));
    for (let i = 0; i < 5; i++) {
      const response = await update(token, ids[i]!, `renamed ${i}`);
      expect(response.status).toBe(200);
      expect(limitHeaders(response)).toMatchObject({ consumed: i + 1, remaining: 4 - i });
    }
    await expectThrottled(await update(token, ids[0]!, 'once more'));
    for (let i = 0; i < 5; i++) {
      const response = await remove(token, ids[i]!);
      expect(response.status).toBe(200);
      expect(limitHeaders(response)).toMatchObject({ consumed: i + 1, remaining: 4 - i });
    }
    await expectThrottled(await remove(token, spare.id));
    expect((await server.api(`${base()}/${spare.id}`)).status).toBe(200);
  });

  it('holds under concurrency: of 10 parallel creates exactly 5 succeed', async () => {
    const token = await freshToken(server);
    await awaitFreshWindow();
    const responses = await Promise.all(Array.from({ length: 10 }, () => create(token)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
  });

  it('counts per token: another token still has its 5', async () => {
    const first = await freshToken(server);
    const second = await freshToken(server);
    await awaitFreshWindow();
    for (let i = 0; i < 5; i++) expect((await create(first)).status).toBe(200);
    expect((await create(first)).status).toBe(429);
    expect((await create(second)).status).toBe(200);
  });

  it('sends the general X-RateLimit-* headers on other authenticated responses', async () => {
    const token = await freshToken(server);
    const response = await server.api(base(), { token });
    expect(response.status).toBe(200);
    const headers = limitHeaders(response);
    expect(headers.consumed).toBeGreaterThanOrEqual(1);
    expect(headers.consumed + headers.remaining).toBe(3000);
    expect(headers.reset).toMatch(RFC_5322_GMT);
  });

  it('answers 403 forbidden on all five endpoints while the feature flag is off, and works again when on', async () => {
    const token = await freshToken(server);
    const sub = await createSubscription(server, destinationId, subscriptionBody(actionId), await freshToken(server));
    const other = await server.running.controlPlane.workspaces.create('Unaffected');
    const otherDestination = await createDestination(server, await createSource(server, other.token.token), undefined, other.token.token);
    await server.running.controlPlane.workspaces.setSubscriptionsEnabled(workspaceId, false);
    try {
      const responses = [
        await create(token),
        await server.api(base(), { token }),
        await server.api(`${base()}/${sub.id}`, { token }),
        await update(token, sub.id, 'x'),
        await remove(token, sub.id),
        await server.api('/destinations/unknown/subscriptions', { token }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(403);
        const errors = await errorsOf(response);
        expect(errors).toHaveLength(1);
        expect(errors[0]!.type).toBe('forbidden');
        expect(errors[0]!.message).toMatch(/^Destination subscriptions are turned off for this workspace/);
        expect(errors[0]!.message).toContain(`switchyard workspaces subscriptions ${workspaceId} on`);
      }
      // Destinations themselves and other workspaces are unaffected.
      expect((await server.api(`/destinations/${destinationId}`, { token })).status).toBe(200);
      expect((await server.api(`/destinations/${otherDestination}/subscriptions`, { token: other.token.token })).status).toBe(200);
    } finally {
      await server.running.controlPlane.workspaces.setSubscriptionsEnabled(workspaceId, true);
    }
    expect((await server.api(`${base()}/${sub.id}`, { token })).status).toBe(200);
    expect((await update(token, sub.id, 'back on')).status).toBe(200);
    expect((await remove(token, sub.id)).status).toBe(200);
    expect((await create(token)).status).toBe(200);
  });
});

describe('SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES', () => {
  const backend = BACKENDS[0]!;

  it('sets the limit per operation', async () => {
    const server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '2' } });
    try {
      const destinationId = await createDestination(server, await createSource(server));
      const body = subscriptionBody(webhookSendActionId(server));
      const path = `/destinations/${destinationId}/subscriptions`;
      await awaitFreshWindow();
      const first = await server.api(path, { method: 'POST', json: body });
      expect(limitHeaders(first)).toMatchObject({ consumed: 1, remaining: 1 });
      expect((await server.api(path, { method: 'POST', json: body })).status).toBe(200);
      const third = await server.api(path, { method: 'POST', json: body });
      expect(third.status).toBe(429);
      expect(((await errorsOf(third))[0]!.data as { consumedPoints: number }).consumedPoints).toBe(2);
    } finally {
      await server.destroy();
    }
  });

  it('0 disables the limit', async () => {
    const server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0' } });
    try {
      const destinationId = await createDestination(server, await createSource(server));
      const body = subscriptionBody(webhookSendActionId(server));
      for (let i = 0; i < 8; i++) {
        const response = await server.api(`/destinations/${destinationId}/subscriptions`, { method: 'POST', json: body });
        expect(response.status).toBe(200);
        // Only the general bucket applies, so the headers count against the general limit.
        expect(limitHeaders(response).consumed + limitHeaders(response).remaining).toBe(3000);
      }
    } finally {
      await server.destroy();
    }
  });
});
