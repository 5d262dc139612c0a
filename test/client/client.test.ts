// switchyard/client against a real server: the scenarios of the official SDK suite (test/sdk/typescript-sdk.test.ts)
// for the workspace, sources, catalog, audit trail and errors, plus the async iterators over long lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paginate, SwitchyardApiError, type SwitchyardClient } from '../../src/client/index.js';
import { expectAuditEvent, expectDestinationMetadata, expectPagination, expectSource, expectSourceMetadata } from './shapes.js';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  AMPLITUDE,
  BASE58_ID,
  HTTP_API_SOURCE,
  JAVASCRIPT_SOURCE,
  recordingClient,
  rejectionOf,
  WEBHOOK,
  WRITE_KEY,
  type SentRequest,
} from './client-recorder.js';

describe.each(BACKENDS)('switchyard/client: workspace, sources, catalog, audit [%s]', (backend) => {
  let server: TestServer;
  let client: SwitchyardClient;
  let sent: SentRequest[];
  let workspaceId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    ({ client, sent } = recordingClient(server));
    workspaceId = (await client.workspace.get()).id;
  });
  afterAll(() => server.destroy());

  it('workspace.get returns the token workspace, sending JSON headers and the bearer token', async () => {
    expect(await client.workspace.get()).toEqual({ id: workspaceId, name: expect.any(String), slug: 'my-workspace' });
    expect(workspaceId).toMatch(BASE58_ID);
    const request = sent.at(-1)!;
    expect(request).toMatchObject({ method: 'GET', path: '/', status: 200 });
    expect(request.headers).toMatchObject({ accept: 'application/json', authorization: `Bearer ${server.token}`, 'user-agent': 'switchyard-client' });
    expect(request.headers).not.toHaveProperty('content-type');
  });

  it('walks the source lifecycle: create, get, update, write keys, connected destinations, delete', async () => {
    const source = await client.sources.create({ slug: 'client-web', enabled: true, metadataId: JAVASCRIPT_SOURCE, settings: {} });
    expect(sent.at(-1)).toMatchObject({ method: 'POST', path: '/sources', status: 201 });
    expect(sent.at(-1)!.headers['content-type']).toBe('application/json');
    expectSource(source, workspaceId);
    expect(source).toMatchObject({ slug: 'client-web', name: 'client-web', enabled: true, settings: {} });
    expect(source.metadata).toMatchObject({ id: JAVASCRIPT_SOURCE, slug: 'javascript', name: 'Javascript' });
    expect(await client.sources.get(source.id)).toEqual(source);

    const updated = await client.sources.update(source.id, { name: 'Web site', enabled: false, settings: { region: 'eu' } });
    expect(updated).toMatchObject({ id: source.id, name: 'Web site', slug: 'client-web', enabled: false, settings: { region: 'eu' } });

    const withKey = await client.sources.createWriteKey(source.id);
    // The POST carries no body, so no Content-Type either.
    expect(sent.at(-1)!.headers).not.toHaveProperty('content-type');
    const [firstKey, secondKey] = withKey.writeKeys;
    expect(firstKey).toBe(source.writeKeys[0]);
    expect(secondKey).toMatch(WRITE_KEY);
    await expect(client.sources.removeWriteKey(source.id, firstKey!)).resolves.toBeUndefined();
    expect((await client.sources.get(source.id)).writeKeys).toEqual([secondKey]);

    const destination = await client.destinations.create({ sourceId: source.id, metadataId: AMPLITUDE, enabled: false, settings: {} });
    const connected = await client.sources.connectedDestinations(source.id, { count: 10 });
    expect(sent.at(-1)!.path).toBe(`/sources/${source.id}/connected-destinations?pagination.count=10`);
    expect(connected.items.map((d) => d.id)).toEqual([destination.id]);
    expectDestinationMetadata(connected.items[0]!.metadata);
    expectPagination(connected.pagination, 1);

    await expect(client.sources.delete(source.id)).resolves.toBeUndefined();
    const gone = await rejectionOf(client.sources.get(source.id));
    expect(gone).toBeInstanceOf(SwitchyardApiError);
    expect(gone).toMatchObject({ status: 404, type: 'not-found', message: `Source with id '${source.id}' not found`, field: undefined });
  });

  it('iterates every source of a 27-item list across pages, in creation order, without repeats', async () => {
    for await (const source of client.sources.all()) await client.sources.delete(source.id);
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push((await client.sources.create({ slug: `page-${i}`, enabled: true, metadataId: HTTP_API_SOURCE })).id);

    const before = sent.length;
    const walked: string[] = [];
    for await (const source of client.sources.all({ count: 10 })) walked.push(source.id);
    expect(walked).toEqual(ids);
    const pages = sent.slice(before);
    expect(pages.map((r) => r.path.replace(/cursor=[^&]+/, 'cursor=…'))).toEqual([
      '/sources?pagination.count=10',
      '/sources?pagination.count=10&pagination.cursor=…',
      '/sources?pagination.count=10&pagination.cursor=…',
    ]);

    // paginate() walks any list function, and a walk can stop early.
    const firstEight: string[] = [];
    for await (const source of paginate(client.sources.list, { count: 3 })) {
      firstEight.push(source.id);
      if (firstEight.length === 8) break;
    }
    expect(firstEight).toEqual(ids.slice(0, 8));

    const first = await client.sources.list({ count: 10 });
    expect(first.pagination).toMatchObject({ current: 'MA==', totalEntries: 27 });
    expect(first.pagination.previous).toBeUndefined();
    const second = await client.sources.list({ count: 10, cursor: first.pagination.next! });
    expect(second.pagination).toMatchObject({ current: first.pagination.next, previous: expect.any(String), totalEntries: 27 });
    expect(second.items.map((s) => s.id)).toEqual(ids.slice(10, 20));
  });

  it('walks the destination catalog with allDestinations and reads single entries', async () => {
    const seen: string[] = [];
    for await (const entry of client.catalog.allDestinations({ count: 50 })) {
      expectDestinationMetadata(entry);
      seen.push(entry.id);
    }
    const { pagination } = await client.catalog.destinations({ count: 1 });
    expect(seen).toHaveLength(pagination.totalEntries);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([AMPLITUDE, WEBHOOK]));

    const amplitude = await client.catalog.destination(AMPLITUDE);
    expect(amplitude).toMatchObject({ id: AMPLITUDE, name: 'Amplitude', slug: 'amplitude', status: 'PUBLIC', actions: [], presets: [] });
    expect(amplitude.options.find((option) => option.name === 'apiKey')).toMatchObject({ type: 'string', required: true });
  });

  it('lists the source catalog and reads one entry', async () => {
    const page = await client.catalog.sources({ count: 10 });
    expectPagination(page.pagination, 5);
    page.items.forEach(expectSourceMetadata);
    const all: string[] = [];
    for await (const entry of client.catalog.allSources({ count: 2 })) all.push(entry.id);
    expect(all.sort()).toEqual(['IqDTy1TpoU', 'U9mT0bPcI6', 'UBrsG9RVzw', 'XRksQPCr7X', 'iUM16Md8P2'].sort());
    expect(await client.catalog.source(JAVASCRIPT_SOURCE)).toMatchObject({ id: JAVASCRIPT_SOURCE, slug: 'javascript', categories: ['Website'] });
  });

  it('lists audit events newest first, with filters, and walks them', async () => {
    const source = await client.sources.create({ slug: 'audited', enabled: true, metadataId: JAVASCRIPT_SOURCE });
    await client.sources.update(source.id, { enabled: false });
    const all = await client.audit.list({ count: 10 });
    all.items.forEach(expectAuditEvent);
    const timestamps = all.items.map((event) => event.timestamp);
    expect([...timestamps].sort().reverse()).toEqual(timestamps);

    const filtered = await client.audit.list({ count: 10, resourceId: source.id, resourceType: 'source', startTime: new Date(Date.now() - 60_000) });
    expect(sent.at(-1)!.path).toMatch(new RegExp(`^/audit-events\\?pagination\\.count=10&startTime=[^&]+Z&resourceId=${source.id}&resourceType=source$`));
    expect(filtered.items.map((event) => [event.type, event.resourceName])).toEqual([
      ['Source Disabled', 'audited'],
      ['Source Created', 'audited'],
    ]);
    const walked: string[] = [];
    for await (const event of client.audit.all({ count: 5 })) walked.push(event.id);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThan(27);
  });

  it('throws SwitchyardApiError with type, message and field, and every entry in errors[]', async () => {
    const notFound = await rejectionOf(client.destinations.get('nope'));
    expect(notFound).toMatchObject({ name: 'SwitchyardApiError', status: 404, type: 'not-found', message: "Destination with id 'nope' not found" });
    // Ids are percent-encoded on the way out and decoded by the server.
    const encoded = await rejectionOf(client.catalog.destination('a/b'));
    expect(sent.at(-1)!.path).toBe('/catalog/destinations/a%2Fb');
    expect(encoded).toMatchObject({ type: 'not-found', message: "Destination metadata with id 'a/b' not found" });

    const badCount = await rejectionOf(client.destinations.list({ count: 0 }));
    expect(badCount).toMatchObject({ status: 422, type: 'input-validation', field: 'pagination.count' });
    const badSlug = await rejectionOf(client.sources.create({ slug: 'Not A Slug', enabled: true, metadataId: JAVASCRIPT_SOURCE }));
    expect(badSlug).toMatchObject({ status: 422, type: 'input-validation', field: 'slug' });
    // Wrong JSON types reach the server as sent; every failing field is reported.
    const several = (await rejectionOf(
      client.sources.create({ slug: 'typed', enabled: 'yes' as unknown as boolean, metadataId: 7 as unknown as string }),
    )) as SwitchyardApiError;
    expect(several.errors.map((e) => e.field).sort()).toEqual(['enabled', 'metadataId']);
    expect(several.errors.find((e) => e.field === 'enabled')).toEqual({ type: 'input-validation', message: '"enabled" must be a boolean', field: 'enabled' });
    expect(several.field).toBe(several.errors[0]!.field);
  });

  it('throws 401 unauthorized for a bad token at once, without retrying', async () => {
    const { client: stranger, sent: strangerSent } = recordingClient({ ...server, token: 'not-a-real-token' });
    const failure = await rejectionOf(stranger.workspace.get());
    expect(failure).toBeInstanceOf(SwitchyardApiError);
    expect(failure).toMatchObject({ status: 401, type: 'unauthorized', message: 'Invalid API token', errors: [{ type: 'unauthorized', message: 'Invalid API token' }] });
    expect(strangerSent).toHaveLength(1);
  });
});
