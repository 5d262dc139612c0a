// Sources over raw HTTP (public-api.md §6.2): create, list, get, update, delete, write keys, connected destinations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  auditEvents,
  BASE58_ID,
  call,
  createDestination,
  createSource,
  expectError,
  expectOk,
  JAVASCRIPT_SOURCE,
  MASK,
  storedSourceSettings,
  walkForward,
  workspaceOf,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('sources [%s]', (backend) => {
  let server: TestServer;
  let workspaceId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    workspaceId = (await workspaceOf(server)).id;
  });
  afterAll(() => server.destroy());

  it('creates a source with 201, the slug as name, one write key and the catalog metadata', async () => {
    const result = await call(server, '/sources', { method: 'POST', json: { slug: 'web', enabled: true, metadataId: JAVASCRIPT_SOURCE } });
    const source = expectOk(result, 201).source;
    expect(Object.keys(source).sort()).toEqual(['enabled', 'id', 'labels', 'metadata', 'name', 'settings', 'slug', 'workspaceId', 'writeKeys']);
    expect(source.id).toMatch(BASE58_ID);
    expect(source).toMatchObject({ slug: 'web', name: 'web', workspaceId, enabled: true, settings: {}, labels: [] });
    expect(source.writeKeys).toHaveLength(1);
    expect(source.writeKeys[0]).toMatch(/^[A-Za-z0-9]{32}$/);
    const catalogEntry = expectOk(await call(server, `/catalog/sources/${JAVASCRIPT_SOURCE}`)).sourceMetadata;
    expect(source.metadata).toEqual(catalogEntry);
  });

  it('keeps an explicit name, stores settings and masks secret ones', async () => {
    const source = await createSource(server, { name: 'Web site', enabled: false, settings: { apiKey: 'top', region: 'eu', nested: { token: 't' } } });
    expect(source).toMatchObject({ name: 'Web site', enabled: false, settings: { apiKey: MASK, region: 'eu', nested: { token: MASK } } });
    expect(await storedSourceSettings(server, source.id)).toEqual({ apiKey: 'top', region: 'eu', nested: { token: 't' } });
  });

  it('reports every missing or mistyped field of a create in one 422', async () => {
    expectError(await call(server, '/sources', { method: 'POST', json: {} }), 422, 'input-validation', ['enabled', 'metadataId', 'slug']);
    const typed = await call(server, '/sources', { method: 'POST', json: { slug: 5, enabled: 'true', metadataId: JAVASCRIPT_SOURCE, settings: [] } });
    const errors = expectError(typed, 422, 'input-validation', ['enabled', 'settings', 'slug']);
    expect(errors.find((e: Json) => e.field === 'enabled').message).toBe('"enabled" must be a boolean');
    const missing = expectError(await call(server, '/sources', { method: 'POST', json: { enabled: true, metadataId: JAVASCRIPT_SOURCE } }), 422, 'input-validation');
    expect(missing[0].message).toBe('"slug" is required');
    expectError(await call(server, '/sources', { method: 'POST', json: { slug: '', enabled: true, metadataId: JAVASCRIPT_SOURCE } }), 422, 'input-validation', ['slug']);
  });

  it('rejects a malformed or duplicate slug with 422 slug', async () => {
    for (const slug of ['Web', 'web site', '-web', 'a'.repeat(101), 'wéb']) {
      expectError(await call(server, '/sources', { method: 'POST', json: { slug, enabled: true, metadataId: JAVASCRIPT_SOURCE } }), 422, 'input-validation', ['slug']);
    }
    await createSource(server, { slug: 'dup_1' });
    expectError(await call(server, '/sources', { method: 'POST', json: { slug: 'dup_1', enabled: true, metadataId: JAVASCRIPT_SOURCE } }), 422, 'input-validation', ['slug']);
  });

  it('answers 404 with the metadataId field for an unknown source metadata', async () => {
    const errors = expectError(await call(server, '/sources', { method: 'POST', json: { slug: 'nometa', enabled: true, metadataId: 'nope' } }), 404, 'not-found');
    expect(errors).toEqual([{ type: 'not-found', message: "Source metadata with id 'nope' not found", field: 'metadataId' }]);
  });

  it('ignores unknown body keys', async () => {
    const source = await createSource(server, { id: 'ignored', workspaceId: 'other', labels: [{ key: 'a', value: 'b' }] });
    expect(source.id).not.toBe('ignored');
    expect(source.workspaceId).toBe(workspaceId);
    expect(source.labels).toEqual([]);
  });

  it('gets a source with trackingPlanId null, and 404s an unknown one', async () => {
    const created = await createSource(server);
    const data = expectOk(await call(server, `/sources/${created.id}`));
    expect(Object.keys(data).sort()).toEqual(['source', 'trackingPlanId']);
    expect(data.trackingPlanId).toBeNull();
    expect(data.source).toEqual(created);
    const errors = expectError(await call(server, '/sources/doesNotExist'), 404, 'not-found');
    expect(errors[0].message).toBe("Source with id 'doesNotExist' not found");
  });

  it('lists sources in creation order with pagination', async () => {
    const data = expectOk(await call(server, '/sources'));
    expect(data.pagination).toMatchObject({ current: 'MA==', totalEntries: data.sources.length });
    expect(data.pagination).not.toHaveProperty('next');
    expect(data.pagination).not.toHaveProperty('previous');
    const pages = await walkForward(server, '/sources', 2);
    expect(pages.flatMap((p) => p.sources.map((s: Json) => s.id))).toEqual(data.sources.map((s: Json) => s.id));
    for (const source of data.sources) expect(source.writeKeys.length).toBeGreaterThan(0);
  });

  it('updates name, slug and enabled; name null falls back to the slug', async () => {
    const source = await createSource(server, { slug: 'upd-1' });
    let updated = expectOk(await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { name: 'Named', enabled: false } })).source;
    expect(updated).toMatchObject({ name: 'Named', slug: 'upd-1', enabled: false });
    updated = expectOk(await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { slug: 'upd-2' } })).source;
    expect(updated).toMatchObject({ name: 'Named', slug: 'upd-2' });
    updated = expectOk(await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { name: null } })).source;
    expect(updated.name).toBe('upd-2');
    // Resetting the name while renaming the slug takes the new slug.
    await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { name: 'again' } });
    updated = expectOk(await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { name: null, slug: 'upd-3' } })).source;
    expect(updated).toMatchObject({ name: 'upd-3', slug: 'upd-3' });
    expect(expectOk(await call(server, `/sources/${source.id}`)).source).toEqual(updated);
    const unchanged = expectOk(await call(server, `/sources/${source.id}`, { method: 'PATCH', json: {} })).source;
    expect(unchanged).toEqual(updated);
  });

  it('rejects bad update values, a taken slug, and keeps 404 ahead of 422', async () => {
    const a = await createSource(server, { slug: 'taken-a' });
    const b = await createSource(server, { slug: 'taken-b' });
    expectError(await call(server, `/sources/${b.id}`, { method: 'PATCH', json: { slug: 'taken-a' } }), 422, 'input-validation', ['slug']);
    expectError(await call(server, `/sources/${b.id}`, { method: 'PATCH', json: { slug: 'Bad Slug' } }), 422, 'input-validation', ['slug']);
    expectError(
      await call(server, `/sources/${b.id}`, { method: 'PATCH', json: { enabled: 'no', name: 3, settings: 'x', slug: '' } }),
      422,
      'input-validation',
      ['enabled', 'name', 'settings', 'slug'],
    );
    // Re-sending its own slug is not a conflict.
    expectOk(await call(server, `/sources/${a.id}`, { method: 'PATCH', json: { slug: 'taken-a' } }));
    expectError(await call(server, '/sources/missing-source', { method: 'PATCH', json: { enabled: 'no' } }), 404, 'not-found');
  });

  it('merges settings: null deletes, bullets keep the stored secret, other keys stay', async () => {
    const source = await createSource(server, { settings: { apiKey: 'secret-1', region: 'eu', keep: 1, emptyKey: '' } });
    expect(source.settings).toEqual({ apiKey: MASK, region: 'eu', keep: 1, emptyKey: '' });
    const updated = expectOk(
      await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { settings: { apiKey: MASK, region: null, added: 'x' } } }),
    ).source;
    expect(updated.settings).toEqual({ apiKey: MASK, keep: 1, emptyKey: '', added: 'x' });
    expect(await storedSourceSettings(server, source.id)).toEqual({ apiKey: 'secret-1', keep: 1, emptyKey: '', added: 'x' });
    await call(server, `/sources/${source.id}`, { method: 'PATCH', json: { settings: { apiKey: 'secret-2' } } });
    expect((await storedSourceSettings(server, source.id)).apiKey).toBe('secret-2');
  });

  it('appends write keys and removes them, including the last one', async () => {
    const source = await createSource(server);
    const [first] = source.writeKeys;
    const added = expectOk(await call(server, `/sources/${source.id}/writekey`, { method: 'POST' })).source;
    expect(added.writeKeys).toHaveLength(2);
    expect(added.writeKeys[0]).toBe(first);
    expect(added.writeKeys[1]).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(added.writeKeys[1]).not.toBe(first);
    const third = expectOk(await call(server, `/sources/${source.id}/writekey`, { method: 'POST', json: {} })).source;
    expect(third.writeKeys.slice(0, 2)).toEqual(added.writeKeys);

    const unknown = expectError(await call(server, `/sources/${source.id}/writekey/notAKey`, { method: 'DELETE' }), 404, 'not-found');
    expect(unknown[0].message).toBe("Write key with id 'notAKey' not found");
    for (const key of third.writeKeys) {
      expect(expectOk(await call(server, `/sources/${source.id}/writekey/${key}`, { method: 'DELETE' }))).toEqual({ status: 'SUCCESS' });
    }
    expect(expectOk(await call(server, `/sources/${source.id}`)).source.writeKeys).toEqual([]);
    expectError(await call(server, `/sources/${source.id}/writekey/${first}`, { method: 'DELETE' }), 404, 'not-found');
  });

  it('does not remove a write key through another source', async () => {
    const a = await createSource(server);
    const b = await createSource(server);
    expectError(await call(server, `/sources/${b.id}/writekey/${a.writeKeys[0]}`, { method: 'DELETE' }), 404, 'not-found');
    expect(expectOk(await call(server, `/sources/${a.id}`)).source.writeKeys).toEqual(a.writeKeys);
    expectError(await call(server, `/sources/unknown/writekey`, { method: 'POST' }), 404, 'not-found');
    expectError(await call(server, `/sources/unknown/writekey/${a.writeKeys[0]}`, { method: 'DELETE' }), 404, 'not-found');
  });

  it('lists only the connected destinations of a source', async () => {
    const a = await createSource(server);
    const b = await createSource(server);
    const mine = [await createDestination(server, a.id, { name: 'one' }), await createDestination(server, a.id, { name: 'two' })];
    await createDestination(server, b.id);
    const data = expectOk(await call(server, `/sources/${a.id}/connected-destinations`));
    expect(data.destinations).toEqual(mine);
    expect(data.pagination).toEqual({ current: 'MA==', totalEntries: 2 });
    const pages = await walkForward(server, `/sources/${a.id}/connected-destinations`, 1);
    expect(pages.map((p) => p.destinations[0].id)).toEqual(mine.map((d) => d.id));
    expectError(await call(server, '/sources/unknown/connected-destinations'), 404, 'not-found');
  });

  it('deletes a source with its destinations, each audited, and its write keys', async () => {
    const source = await createSource(server, { slug: 'doomed' });
    const d1 = await createDestination(server, source.id, { name: 'first' });
    const d2 = await createDestination(server, source.id);
    const result = await call(server, `/sources/${source.id}`, { method: 'DELETE' });
    expect(expectOk(result)).toEqual({ status: 'SUCCESS' });
    expectError(await call(server, `/sources/${source.id}`), 404, 'not-found');
    for (const d of [d1, d2]) expectError(await call(server, `/destinations/${d.id}`), 404, 'not-found');
    const keys = await server.running.storage.db.selectFrom('write_keys').select('write_key').where('source_id', '=', source.id).execute();
    expect(keys).toEqual([]);
    const deletedDestinations = (await auditEvents(server, 'resourceType=destination')).filter((e) => e.type === 'Integration Deleted');
    expect(deletedDestinations.map((e) => [e.resourceId, e.resourceName]).sort()).toEqual([[d1.id, 'first'], [d2.id, 'Amplitude']].sort());
    const sourceEvents = await auditEvents(server, `resourceId=${source.id}`);
    expect(sourceEvents[0]).toMatchObject({ type: 'Source Deleted', resourceType: 'source', resourceName: 'doomed' });
    expectError(await call(server, `/sources/${source.id}`, { method: 'DELETE' }), 404, 'not-found');
    // The slug is free again.
    await createSource(server, { slug: 'doomed' });
  });
});
