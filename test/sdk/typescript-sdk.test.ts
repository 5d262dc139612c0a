// The official TypeScript SDK (47.x) against Switchyard: workspace, sources, catalogs, audit trail and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BASE58_ID, page, PublicAPI, sdkCall, sdkClient, sdkFailure, WRITE_KEY, type SdkApis } from './sdk-client.js';
import { expectAuditEvent, expectDestinationMetadata, expectPagination, expectSource, expectSourceMetadata } from './sdk-shapes.js';

const AMPLITUDE = '54521fd525e721e32a72ee91';
const JAVASCRIPT_SOURCE = 'IqDTy1TpoU';

describe.each(BACKENDS)('TypeScript SDK: workspace, sources, catalog, audit [%s]', (backend) => {
  let server: TestServer;
  let sdk: SdkApis;
  let workspaceId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    sdk = sdkClient(server);
    workspaceId = (await PublicAPI.unwrap(sdk.workspaces.getWorkspace())).workspace.id;
  });
  afterAll(() => server.destroy());

  it('getWorkspace returns the token workspace, sending the SDK headers', async () => {
    const call = await sdkCall(sdk.workspaces.getWorkspace());
    expect(call.status).toBe(200);
    expect(call.data.workspace).toEqual({ id: workspaceId, name: expect.any(String), slug: 'my-workspace' });
    expect(workspaceId).toMatch(BASE58_ID);
    expect(call.sentPath).toBe('/');
    expect(call.sentHeaders).toMatchObject({ Accept: 'application/json', 'User-Agent': 'Public API SDK 47.0.0 (TypeScript)' });
    expect(call.sentHeaders).not.toHaveProperty('accept-encoding');
  });

  it('walks the source lifecycle: create, list, get, update, write keys, connected destinations, delete', async () => {
    const created = await sdkCall(sdk.sources.createSource({ slug: 'sdk-web', enabled: true, metadataId: JAVASCRIPT_SOURCE, settings: {} }));
    expect(created.status).toBe(201);
    // The SDK sends its model serialised by ObjectSerializer as plain JSON.
    expect(created.sentHeaders['content-type']).toBe('application/json');
    const source = created.data.source;
    expectSource(source, workspaceId);
    expect(source).toMatchObject({ slug: 'sdk-web', name: 'sdk-web', enabled: true, settings: {} });
    expect(source.writeKeys).toHaveLength(1);
    expect(source.metadata).toMatchObject({ id: JAVASCRIPT_SOURCE, slug: 'javascript', name: 'Javascript' });

    const fetched = await sdkCall(sdk.sources.getSource(source.id));
    expect(fetched.data.source).toEqual(source);
    expect(fetched.raw).toEqual({ data: { source: expect.any(Object), trackingPlanId: null } });

    const updated = await sdkCall(sdk.sources.updateSource(source.id, { name: 'Web site', enabled: false, settings: { region: 'eu' } }));
    expectSource(updated.data.source, workspaceId);
    expect(updated.data.source).toMatchObject({ id: source.id, name: 'Web site', slug: 'sdk-web', enabled: false, settings: { region: 'eu' } });

    const withKey = await sdkCall(sdk.sources.createWriteKeyForSource(source.id));
    // This POST has no body: the SDK sends Content-Length 0 and no Content-Type.
    expect(withKey.sentHeaders).toMatchObject({ 'content-length': 0 });
    expect(withKey.sentHeaders).not.toHaveProperty('content-type');
    expectSource(withKey.data.source, workspaceId);
    const [firstKey, secondKey] = withKey.data.source.writeKeys;
    expect(firstKey).toBe(source.writeKeys[0]);
    expect(secondKey).toMatch(WRITE_KEY);

    const removed = await sdkCall(sdk.sources.removeWriteKeyFromSource(source.id, firstKey as string));
    expect(removed.data).toEqual({ status: 'SUCCESS' });
    const afterRemoval = await PublicAPI.unwrap(sdk.sources.getSource(source.id));
    expect(afterRemoval.source.writeKeys).toEqual([secondKey]);

    const destination = await PublicAPI.unwrap(
      sdk.destinations.createDestination({ sourceId: source.id, metadataId: AMPLITUDE, enabled: false, settings: {} }),
    );
    const connected = await sdkCall(sdk.sources.listConnectedDestinationsFromSource(source.id, page(10)));
    expect(connected.sentPath).toContain('pagination%5Bcount%5D=10');
    expect(connected.data.destinations.map((d) => d.id)).toEqual([destination.destination.id]);
    expectDestinationMetadata(connected.data.destinations[0]!.metadata);
    expectPagination(connected.data.pagination, 1);

    const deleted = await sdkCall(sdk.sources.deleteSource(source.id));
    expect(deleted.data).toEqual({ status: 'SUCCESS' });
    const gone = await sdkFailure(sdk.sources.getSource(source.id));
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]).toMatchObject({ type: 'not-found', message: `Source with id '${source.id}' not found` });
  });

  it('listSources pages with the SDK pagination object (percent-encoded brackets, count as a string)', async () => {
    // Sources left by the other tests come first (creation order), so page from an empty workspace view.
    const existing = (await PublicAPI.unwrap(sdk.sources.listSources(page(1000)))).sources;
    await Promise.all(existing.map((source) => PublicAPI.unwrap(sdk.sources.deleteSource(source.id))));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { source } = await PublicAPI.unwrap(sdk.sources.createSource({ slug: `list-${i}`, enabled: true, metadataId: 'iUM16Md8P2' }));
      ids.push(source.id);
    }
    const first = await sdkCall(sdk.sources.listSources(page(10)));
    expect(first.sentPath).toBe('/sources?pagination%5Bcount%5D=10');
    expect(first.data.sources).toHaveLength(10);
    first.data.sources.forEach((source) => expectSource(source, workspaceId));
    expectPagination(first.data.pagination, 12);
    expect(first.data.pagination.current).toBe('MA==');
    expect(first.data.pagination.previous).toBeUndefined();
    expect(first.raw).not.toHaveProperty('data.pagination.previous');

    const cursor = first.data.pagination.next as string;
    const second = await sdkCall(sdk.sources.listSources(page(10, cursor)));
    expect(second.sentPath).toContain(`pagination%5Bcursor%5D=${encodeURIComponent(cursor)}`);
    expect(second.data.pagination).toMatchObject({ current: cursor, previous: expect.any(String), totalEntries: 12 });
    expect(second.data.pagination.next).toBeUndefined();
    expect([...first.data.sources, ...second.data.sources].map((s) => s.id)).toEqual(ids);

    // The legacy offset cursor for the start, as clients send it first, percent-encoded by qs.
    const legacy = await sdkCall(sdk.sources.listSources(page(10, 'MA==')));
    expect(legacy.sentPath).toBe('/sources?pagination%5Bcursor%5D=MA%3D%3D&pagination%5Bcount%5D=10');
    expect(legacy.data.sources.map((s) => s.id)).toEqual(ids.slice(0, 10));
  });

  it('getDestinationsCatalog walks every page by next cursor without duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let totalEntries = -1;
    let pages = 0;
    do {
      const call = await sdkCall(sdk.catalog.getDestinationsCatalog(page(50, cursor)));
      const { destinationsCatalog, pagination } = call.data;
      expectPagination(pagination);
      if (pages === 0) totalEntries = pagination.totalEntries as number;
      expect(pagination.totalEntries).toBe(totalEntries);
      expect(pagination.current).toBe(cursor ?? 'MA==');
      destinationsCatalog.forEach(expectDestinationMetadata);
      seen.push(...destinationsCatalog.map((entry) => entry.id));
      cursor = pagination.next ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(totalEntries);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(totalEntries / 50));
    expect(seen).toContain(AMPLITUDE);
    expect(seen).toContain('614a3c7d791c91c41bae7599');
  });

  it('getDestinationMetadata returns the docs example entry (Amplitude)', async () => {
    const call = await sdkCall(sdk.catalog.getDestinationMetadata(AMPLITUDE));
    const metadata = call.data.destinationMetadata;
    expectDestinationMetadata(metadata);
    expect(metadata).toMatchObject({ id: AMPLITUDE, name: 'Amplitude', slug: 'amplitude', status: 'PUBLIC', actions: [], presets: [] });
    expect(metadata.options.find((option) => option.name === 'apiKey')).toMatchObject({ type: 'string', required: true });
  });

  it('getSourcesCatalog and getSourceMetadata return the source catalog', async () => {
    const call = await sdkCall(sdk.catalog.getSourcesCatalog(page(10)));
    expectPagination(call.data.pagination, 5);
    expect(call.data.sourcesCatalog.map((s) => s.id).sort()).toEqual(['IqDTy1TpoU', 'U9mT0bPcI6', 'UBrsG9RVzw', 'XRksQPCr7X', 'iUM16Md8P2'].sort());
    call.data.sourcesCatalog.forEach(expectSourceMetadata);
    const single = await sdkCall(sdk.catalog.getSourceMetadata(JAVASCRIPT_SOURCE));
    expectSourceMetadata(single.data.sourceMetadata);
    expect(single.data.sourceMetadata).toMatchObject({ id: JAVASCRIPT_SOURCE, slug: 'javascript', name: 'Javascript', categories: ['Website'] });
  });

  it('listAuditEvents returns fully populated events, newest first, with the SDK filters', async () => {
    const { source } = await PublicAPI.unwrap(sdk.sources.createSource({ slug: 'audited', enabled: true, metadataId: JAVASCRIPT_SOURCE }));
    await PublicAPI.unwrap(sdk.sources.updateSource(source.id, { enabled: false }));
    const all = await sdkCall(sdk.auditTrail.listAuditEvents(page(10)));
    expect(all.data.events.length).toBeGreaterThan(0);
    all.data.events.forEach(expectAuditEvent);
    expectPagination(all.data.pagination);
    const timestamps = all.data.events.map((event) => event.timestamp);
    expect([...timestamps].sort().reverse()).toEqual(timestamps);

    const filtered = await sdkCall(sdk.auditTrail.listAuditEvents(page(10), undefined, undefined, source.id, 'source'));
    expect(filtered.sentPath).toContain(`resourceId=${source.id}`);
    expect(filtered.data.events.map((event) => [event.type, event.resourceName])).toEqual([
      ['Source Disabled', 'audited'],
      ['Source Created', 'audited'],
    ]);
    expect(filtered.data.events.every((event) => event.resourceId === source.id && event.resourceType === 'source')).toBe(true);
    expectPagination(filtered.data.pagination, 2);
  });

  it('surfaces 404 not-found for unknown ids, through HttpError and through unwrap()', async () => {
    const failure = await sdkFailure(sdk.destinations.getDestination('nope'));
    expect(failure.status).toBe(404);
    expect(failure.body).toEqual({ errors: [{ type: 'not-found', message: "Destination with id 'nope' not found" }] });
    // unwrap() rethrows errors[0] of the envelope.
    await expect(PublicAPI.unwrap(sdk.catalog.getSourceMetadata('unknown'))).rejects.toEqual({
      type: 'not-found',
      message: "Source metadata with id 'unknown' not found",
    });
    // Ids are percent-encoded by the SDK and decoded before lookup.
    const encoded = await sdkFailure(sdk.catalog.getDestinationMetadata('a/b'));
    expect(encoded.body.errors[0]).toMatchObject({ type: 'not-found', message: "Destination metadata with id 'a/b' not found" });
  });

  it('surfaces 422 input-validation with the failing field', async () => {
    const badCount = await sdkFailure(sdk.destinations.listDestinations(page(0)));
    expect(badCount.status).toBe(422);
    expect(badCount.body.errors).toEqual([{ type: 'input-validation', message: expect.any(String), field: 'pagination.count' }]);
    const badSlug = await sdkFailure(sdk.sources.createSource({ slug: 'Not A Slug', enabled: true, metadataId: JAVASCRIPT_SOURCE }));
    expect(badSlug.status).toBe(422);
    expect(badSlug.body.errors[0]).toMatchObject({ type: 'input-validation', field: 'slug' });
    // The SDK does not type-check at run time, so a wrong JSON type reaches the server as sent.
    const badEnabled = await sdkFailure(
      sdk.sources.createSource({ slug: 'typed', enabled: 'yes' as unknown as boolean, metadataId: JAVASCRIPT_SOURCE }),
    );
    expect(badEnabled.body.errors).toEqual([{ type: 'input-validation', message: '"enabled" must be a boolean', field: 'enabled' }]);
  });

  it('surfaces 401 unauthorized for a bad token', async () => {
    const failure = await sdkFailure(sdkClient(server, 'not-a-real-token').workspaces.getWorkspace());
    expect(failure.status).toBe(401);
    expect(failure.headers['www-authenticate']).toBe('Bearer');
    expect(failure.body).toEqual({ errors: [{ type: 'unauthorized', message: 'Invalid API token' }] });
  });
});
