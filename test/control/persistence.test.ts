// A restart over the same database keeps everything the control plane wrote: sources, write keys, destinations
// (with their stored secrets), and the audit trail, whose event ids keep increasing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  auditEvents,
  call,
  createDestination,
  createSource,
  expectOk,
  MASK,
  storedDestinationSettings,
  storedSourceSettings,
  WEBHOOK,
  workspaceOf,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('persistence across restarts [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.destroy());

  const snapshot = async () => ({
    workspace: await workspaceOf(server),
    sources: expectOk(await call(server, '/sources?pagination.count=1000')),
    destinations: expectOk(await call(server, '/destinations?pagination.count=1000')),
    events: await auditEvents(server),
  });

  it('serves the same resources, write keys and audit trail after a restart', async () => {
    const source = await createSource(server, { slug: 'durable', settings: { apiKey: 'src-secret', region: 'eu' } });
    const added = expectOk(await call(server, `/sources/${source.id}/writekey`, { method: 'POST' })).source;
    expectOk(await call(server, `/sources/${source.id}/writekey/${source.writeKeys[0]}`, { method: 'DELETE' }));
    const hook = await createDestination(server, source.id, { metadataId: WEBHOOK, name: 'kept', settings: { sharedSecret: 'hush', region: 'eu' } });
    const amplitude = await createDestination(server, source.id, { settings: { apiKey: 'amp' } });
    expectOk(await call(server, `/destinations/${amplitude.id}`, { method: 'PATCH', json: { enabled: false } }));
    const other = await createSource(server);
    expectOk(await call(server, `/sources/${other.id}`, { method: 'DELETE' }));

    const before = await snapshot();
    server = await server.restart();
    const after = await snapshot();
    expect(after).toEqual(before);

    const kept = expectOk(await call(server, `/sources/${source.id}`)).source;
    expect(kept.writeKeys).toEqual([added.writeKeys[1]]);
    expect(kept.settings).toEqual({ apiKey: MASK, region: 'eu' });
    expect(await storedSourceSettings(server, source.id)).toEqual({ apiKey: 'src-secret', region: 'eu' });
    expect(expectOk(await call(server, `/destinations/${hook.id}`)).destination).toEqual(hook);
    expect(expectOk(await call(server, `/destinations/${amplitude.id}`)).destination.enabled).toBe(false);
    expect((await call(server, `/sources/${other.id}`)).status).toBe(404);
  });

  it('keeps stored secrets when bullets are written back after a restart', async () => {
    const destinations = expectOk(await call(server, '/destinations?pagination.count=1000')).destinations as Json[];
    const hook = destinations.find((d) => d.name === 'kept')!;
    const echoed = expectOk(await call(server, `/destinations/${hook.id}`, { method: 'PATCH', json: { settings: { ...hook.settings, region: 'us' } } }));
    expect(echoed.destination.settings).toEqual({ sharedSecret: MASK, region: 'us' });
    expect(await storedDestinationSettings(server, hook.id)).toEqual({ sharedSecret: 'hush', region: 'us' });
  });

  it('continues audit event ids and cursors across a restart', async () => {
    await createSource(server);
    const before = await auditEvents(server);
    const cursor = expectOk(await call(server, '/sources?pagination.count=1')).pagination.next as string;
    server = await server.restart();
    const fresh = await createSource(server);
    const after = await auditEvents(server);
    const newest = after[0];
    expect(newest).toMatchObject({ type: 'Source Created', resourceId: fresh.id });
    const maxBefore = Math.max(...before.map((e) => Number(e.id.slice('events/'.length))));
    expect(Number(newest.id.slice('events/'.length))).toBeGreaterThan(maxBefore);
    expect(after.slice(1)).toEqual(before);
    // A cursor handed out before the restart still works.
    const page = expectOk(await call(server, `/sources?pagination.count=1&pagination.cursor=${encodeURIComponent(cursor)}`));
    expect(page.sources).toHaveLength(1);
    // The write key minted before the restart still identifies its source.
    const source = (expectOk(await call(server, '/sources?pagination.count=1000')).sources as Json[]).find((s) => s.slug === 'durable');
    const row = await server.running.storage.db.selectFrom('write_keys').select('source_id').where('write_key', '=', source.writeKeys[0]).executeTakeFirst();
    expect(row?.source_id).toBe(source.id);
  });
});
