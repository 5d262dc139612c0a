// Destinations over raw HTTP (public-api.md §4.1–4.5): create, list, get, update, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  AMPLITUDE,
  BASE58_ID,
  call,
  createDestination,
  createSource,
  destinationMetadataViolations,
  expectError,
  expectOk,
  MASK,
  storedDestinationSettings,
  WEBHOOK,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('destinations [%s]', (backend) => {
  let server: TestServer;
  let source: Json;
  beforeAll(async () => {
    server = await startTestServer(backend);
    source = await createSource(server, { slug: 'dest-src' });
  });
  afterAll(() => server.destroy());

  it('creates the docs example (Amplitude) with 200, defaults and the whole catalog entry', async () => {
    const result = await call(server, '/destinations', {
      method: 'POST',
      json: { sourceId: source.id, metadataId: AMPLITUDE, settings: { apiKey: 'abc123', retarget: true } },
    });
    const destination = expectOk(result, 200).destination;
    expect(Object.keys(destination)).toEqual(['id', 'name', 'enabled', 'sourceId', 'settings', 'metadata']);
    expect(destination.id).toMatch(BASE58_ID);
    expect(destination).toMatchObject({ name: '', enabled: true, sourceId: source.id, settings: { apiKey: MASK, retarget: true } });
    const metadata = expectOk(await call(server, `/catalog/destinations/${AMPLITUDE}`)).destinationMetadata;
    expect(destination.metadata).toEqual(metadata);
    expect(destinationMetadataViolations(destination.metadata)).toEqual([]);
    expect(await storedDestinationSettings(server, destination.id)).toEqual({ apiKey: 'abc123', retarget: true });
  });

  it('creates a Webhooks (Actions) destination, disabled and named', async () => {
    const destination = await createDestination(server, source.id, {
      metadataId: WEBHOOK,
      name: 'orders hook',
      enabled: false,
      settings: { sharedSecret: 'hush' },
    });
    expect(destination).toMatchObject({ name: 'orders hook', enabled: false, settings: { sharedSecret: MASK } });
    expect(destination.metadata).toMatchObject({ id: WEBHOOK, slug: 'actions-webhook' });
    expect(destination.metadata.actions.map((a: Json) => a.slug)).toContain('send');
  });

  it('allows several instances of one catalog entry on one source', async () => {
    const a = await createDestination(server, source.id);
    const b = await createDestination(server, source.id);
    expect(a.id).not.toBe(b.id);
  });

  it('reports every missing or mistyped field of a create in one 422, unknown keys ignored', async () => {
    const empty = expectError(await call(server, '/destinations', { method: 'POST', json: {} }), 422, 'input-validation', [
      'metadataId',
      'settings',
      'sourceId',
    ]);
    expect(empty.map((e: Json) => e.message).sort()).toEqual(['"metadataId" is required', '"settings" is required', '"sourceId" is required']);
    const typed = await call(server, '/destinations', {
      method: 'POST',
      json: { sourceId: '', metadataId: 7, settings: [], enabled: 'yes', name: 5 },
    });
    const errors = expectError(typed, 422, 'input-validation', ['enabled', 'metadataId', 'name', 'settings', 'sourceId']);
    expect(errors.find((e: Json) => e.field === 'enabled').message).toBe('"enabled" must be a boolean');
    for (const enabled of ['true', 1, null]) {
      const body = { sourceId: source.id, metadataId: AMPLITUDE, settings: { apiKey: 'k' }, enabled };
      expectError(await call(server, '/destinations', { method: 'POST', json: body }), 422, 'input-validation', ['enabled']);
    }
    const ignored = await createDestination(server, source.id, { id: 'mine', destinationId: 'x', workspaceId: 'y' });
    expect(ignored.id).toMatch(BASE58_ID);
  });

  it('answers 404 naming the field for an unknown source or catalog entry', async () => {
    const unknownSource = await call(server, '/destinations', { method: 'POST', json: { sourceId: 'nope', metadataId: AMPLITUDE, settings: {} } });
    expect(expectError(unknownSource, 404, 'not-found')).toEqual([
      { type: 'not-found', message: "Source with id 'nope' not found", field: 'sourceId' },
    ]);
    const unknownMetadata = await call(server, '/destinations', {
      method: 'POST',
      json: { sourceId: source.id, metadataId: '000000000000000000000000', settings: {} },
    });
    expect(expectError(unknownMetadata, 404, 'not-found')).toEqual([
      { type: 'not-found', message: "Destination metadata with id '000000000000000000000000' not found", field: 'metadataId' },
    ]);
    // Body validation comes before the referenced ids.
    expectError(await call(server, '/destinations', { method: 'POST', json: { sourceId: 'nope', metadataId: AMPLITUDE } }), 422, 'input-validation', [
      'settings',
    ]);
  });

  it('gets a destination as created and 404s unknown ids', async () => {
    const created = await createDestination(server, source.id, { name: 'fetch me' });
    expect(expectOk(await call(server, `/destinations/${created.id}`)).destination).toEqual(created);
    const errors = expectError(await call(server, '/destinations/unknownDestination'), 404, 'not-found');
    expect(errors).toEqual([{ type: 'not-found', message: "Destination with id 'unknownDestination' not found" }]);
  });

  it('lists destinations with count 10 in creation order', async () => {
    const own = await createSource(server, { slug: 'list-src' });
    while (expectOk(await call(server, '/destinations')).pagination.totalEntries < 12) await createDestination(server, own.id);
    const all = expectOk(await call(server, '/destinations')).destinations as Json[];
    const page = expectOk(await call(server, '/destinations?pagination.count=10'));
    expect(page.destinations).toHaveLength(10);
    expect(page.destinations).toEqual(all.slice(0, 10));
    expect(page.pagination.current).toBe('MA==');
    expect(typeof page.pagination.next).toBe('string');
    expect(page.pagination).not.toHaveProperty('previous');
    expect(page.pagination.totalEntries).toBe(all.length);
    for (const d of all) expect(destinationMetadataViolations(d.metadata)).toEqual([]);
  });

  it('disables with {"enabled":false}, renames, and resets a null name to ""', async () => {
    const created = await createDestination(server, source.id, { name: 'to patch' });
    const disabled = expectOk(await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: { enabled: false } })).destination;
    expect(disabled).toEqual({ ...created, enabled: false });
    const renamed = expectOk(await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: { name: 'renamed' } })).destination;
    expect(renamed.name).toBe('renamed');
    const reset = expectOk(await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: { name: null } })).destination;
    expect(reset.name).toBe('');
    expect(expectOk(await call(server, `/destinations/${created.id}`)).destination).toEqual(reset);
    const same = expectOk(await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: {} })).destination;
    expect(same).toEqual(reset);
  });

  it('rejects mistyped update fields in one 422 and keeps 404 ahead of 422', async () => {
    const created = await createDestination(server, source.id);
    const errors = expectError(
      await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: { enabled: 'false', name: 4, settings: 'x' } }),
      422,
      'input-validation',
      ['enabled', 'name', 'settings'],
    );
    expect(errors.find((e: Json) => e.field === 'name').message).toBe('"name" must be a string or null');
    expectError(await call(server, '/destinations/unknownDestination', { method: 'PATCH', json: { enabled: 'yes' } }), 404, 'not-found');
    expectError(await call(server, '/destinations/unknownDestination', { method: 'PATCH', json: [] }), 404, 'not-found');
  });

  it('deletes a destination once', async () => {
    const created = await createDestination(server, source.id);
    expect(expectOk(await call(server, `/destinations/${created.id}`, { method: 'DELETE' }))).toEqual({ status: 'SUCCESS' });
    expectError(await call(server, `/destinations/${created.id}`), 404, 'not-found');
    expectError(await call(server, `/destinations/${created.id}`, { method: 'DELETE' }), 404, 'not-found');
    expectError(await call(server, `/destinations/${created.id}`, { method: 'PATCH', json: {} }), 404, 'not-found');
    const listed = expectOk(await call(server, '/destinations?pagination.count=1000')).destinations as Json[];
    expect(listed.map((d) => d.id)).not.toContain(created.id);
  });

  it('removes the subscriptions of a deleted destination', async () => {
    const hook = await createDestination(server, source.id, { metadataId: WEBHOOK, settings: {}, enabled: false });
    const actionId = hook.metadata.actions.find((a: Json) => a.slug === 'send').id;
    const subscription = await call(server, `/destinations/${hook.id}/subscriptions`, {
      method: 'POST',
      json: { name: 'all tracks', actionId, trigger: 'type = "track"', enabled: false, settings: {} },
    });
    expectOk(subscription);
    await call(server, `/destinations/${hook.id}`, { method: 'DELETE' });
    const left = await server.running.storage.db
      .selectFrom('destination_subscriptions')
      .select('id')
      .where('destination_id', '=', hook.id)
      .execute();
    expect(left).toEqual([]);
  });
});
