// Tenancy (public-api.md §1.2): a resource of another workspace is indistinguishable from a missing one, and no
// list, lookup or audit trail of one workspace shows anything of another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  auditEvents,
  call,
  createDestination,
  createSource,
  expectError,
  expectOk,
  JAVASCRIPT_SOURCE,
  walkForward,
  WEBHOOK,
  workspaceOf,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('workspace isolation [%s]', (backend) => {
  let server: TestServer;
  let tokenB: string;
  let workspaceB: Json;
  let source: Json;
  let destination: Json;
  let hook: Json;
  let subscription: Json;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const created = await server.running.controlPlane.workspaces.create('Other Team');
    tokenB = created.token.token;
    workspaceB = created.workspace;
    source = await createSource(server, { slug: 'shared-slug', settings: { apiKey: 'a-secret' } });
    destination = await createDestination(server, source.id, { name: 'A destination' });
    hook = await createDestination(server, source.id, { metadataId: WEBHOOK, settings: {}, enabled: false });
    const actionId = hook.metadata.actions.find((a: Json) => a.slug === 'send').id;
    const result = await call(server, `/destinations/${hook.id}/subscriptions`, {
      method: 'POST',
      json: { name: 'A subscription', actionId, trigger: 'type = "track"', enabled: false, settings: {} },
    });
    subscription = expectOk(result).destinationSubscription;
  });
  afterAll(() => server.destroy());

  /** B's answer for A's resource must equal B's answer for an id that exists nowhere. */
  async function expectSameAsMissing(method: string, path: string, missingPath: string, json?: unknown): Promise<void> {
    const init = { method, token: tokenB, ...(json !== undefined ? { json } : {}) };
    const foreign = await call(server, path, init);
    const missing = await call(server, missingPath, init);
    expectError(foreign, 404, 'not-found');
    expect(foreign.body.errors.map((e: Json) => ({ ...e, message: e.message.replace(/'[^']*'/, "'…'") }))).toEqual(
      missing.body.errors.map((e: Json) => ({ ...e, message: e.message.replace(/'[^']*'/, "'…'") })),
    );
  }

  it('shows B its own workspace', async () => {
    const workspace = await workspaceOf(server, tokenB);
    expect(workspace).toEqual({ id: workspaceB.id, name: 'Other Team', slug: 'other-team' });
    expect((await workspaceOf(server)).id).not.toBe(workspaceB.id);
  });

  it('answers every operation on A\'s resources to B exactly as for missing ones', async () => {
    const s = source.id;
    const d = destination.id;
    const h = hook.id;
    const sub = subscription.id;
    const cases: [string, string, string, unknown?][] = [
      ['GET', `/sources/${s}`, '/sources/nowhere'],
      ['PATCH', `/sources/${s}`, '/sources/nowhere', { name: 'taken over' }],
      ['DELETE', `/sources/${s}`, '/sources/nowhere'],
      ['POST', `/sources/${s}/writekey`, '/sources/nowhere/writekey'],
      ['DELETE', `/sources/${s}/writekey/${source.writeKeys[0]}`, `/sources/nowhere/writekey/${source.writeKeys[0]}`],
      ['GET', `/sources/${s}/connected-destinations`, '/sources/nowhere/connected-destinations'],
      ['GET', `/destinations/${d}`, '/destinations/nowhere'],
      ['PATCH', `/destinations/${d}`, '/destinations/nowhere', { enabled: false }],
      ['DELETE', `/destinations/${d}`, '/destinations/nowhere'],
      ['GET', `/destinations/${h}/subscriptions`, '/destinations/nowhere/subscriptions'],
      ['POST', `/destinations/${h}/subscriptions`, '/destinations/nowhere/subscriptions', { name: 'x', actionId: subscription.actionId, trigger: 'type = "track"', enabled: false }],
      ['GET', `/destinations/${h}/subscriptions/${sub}`, `/destinations/nowhere/subscriptions/${sub}`],
      ['PATCH', `/destinations/${h}/subscriptions/${sub}`, `/destinations/nowhere/subscriptions/${sub}`, { input: { enabled: false } }],
      ['DELETE', `/destinations/${h}/subscriptions/${sub}`, `/destinations/nowhere/subscriptions/${sub}`],
      ['GET', `/destinations/${h}/delivery-metrics?sourceId=${s}`, `/destinations/nowhere/delivery-metrics?sourceId=${s}`],
    ];
    for (const [method, path, missingPath, json] of cases) await expectSameAsMissing(method, path, missingPath, json);
    // Everything of A is intact.
    expect(expectOk(await call(server, `/sources/${s}`)).source).toEqual(source);
    expect(expectOk(await call(server, `/destinations/${d}`)).destination).toEqual(destination);
    expect(expectOk(await call(server, `/destinations/${h}/subscriptions/${sub}`)).subscription).toEqual(subscription);
  });

  it('refuses A\'s source as the sourceId of B\'s destination, as if it did not exist', async () => {
    const result = await call(server, '/destinations', { method: 'POST', token: tokenB, json: { sourceId: source.id, metadataId: WEBHOOK, settings: {} } });
    expect(expectError(result, 404, 'not-found')).toEqual([
      { type: 'not-found', message: `Source with id '${source.id}' not found`, field: 'sourceId' },
    ]);
  });

  it('keeps lists, counts and audit trails apart', async () => {
    for (const path of ['/sources', '/destinations', '/audit-events']) {
      const data = expectOk(await call(server, path, { token: tokenB }));
      expect(data.pagination.totalEntries).toBe(0);
    }
    const ownSource = await createSource(server, { slug: 'shared-slug' }, tokenB);
    const ownDestination = await createDestination(server, ownSource.id, {}, tokenB);
    const sourcesB = expectOk(await call(server, '/sources', { token: tokenB })).sources;
    expect(sourcesB.map((x: Json) => x.id)).toEqual([ownSource.id]);
    expect(sourcesB[0].workspaceId).toBe(workspaceB.id);
    const destinationsB = await walkForward(server, '/destinations', 1, tokenB);
    expect(destinationsB.flatMap((p) => p.destinations.map((x: Json) => x.id))).toEqual([ownDestination.id]);
    const eventsB = await auditEvents(server, '', tokenB);
    expect(eventsB.map((e) => e.resourceId).sort()).toEqual([ownSource.id, ownDestination.id].sort());
    expect(await auditEvents(server, `resourceId=${source.id}`, tokenB)).toEqual([]);
    const eventsA = await auditEvents(server);
    expect(eventsA.map((e) => e.resourceId)).not.toContain(ownSource.id);
    const sourcesA = expectOk(await call(server, '/sources?pagination.count=1000')).sources;
    expect(sourcesA.map((x: Json) => x.id)).not.toContain(ownSource.id);
    // Write keys are unique across workspaces.
    expect(ownSource.writeKeys[0]).not.toBe(source.writeKeys[0]);
  });

  it('refuses a cursor minted for another workspace', async () => {
    await createSource(server);
    const cursorA = expectOk(await call(server, '/sources?pagination.count=1')).pagination.next;
    const result = await call(server, `/sources?pagination.count=1&pagination.cursor=${encodeURIComponent(cursorA)}`, { token: tokenB });
    expectError(result, 422, 'input-validation', ['pagination.cursor']);
    const auditCursor = expectOk(await call(server, '/audit-events?pagination.count=1')).pagination.next;
    expectError(await call(server, `/audit-events?pagination.cursor=${encodeURIComponent(auditCursor)}`, { token: tokenB }), 422, 'input-validation', [
      'pagination.cursor',
    ]);
  });

  it('shares the catalog', async () => {
    const a = expectOk(await call(server, `/catalog/sources/${JAVASCRIPT_SOURCE}`));
    const b = expectOk(await call(server, `/catalog/sources/${JAVASCRIPT_SOURCE}`, { token: tokenB }));
    expect(b).toEqual(a);
  });
});
