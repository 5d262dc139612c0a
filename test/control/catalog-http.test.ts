// The catalog over raw HTTP (public-api.md §6.3, §7): destination and source metadata lists and lookups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  AMPLITUDE,
  call,
  destinationMetadataViolations,
  expectError,
  expectOk,
  KINESIS,
  walkForward,
  WEBHOOK,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SOURCE_CATALOG = [
  { id: 'iUM16Md8P2', slug: 'http-api', name: 'HTTP API', categories: ['Server'] },
  { id: 'U9mT0bPcI6', slug: 'node-js', name: 'Node.js', categories: ['Server'] },
  { id: 'XRksQPCr7X', slug: 'python', name: 'Python', categories: ['Server'] },
  { id: 'IqDTy1TpoU', slug: 'javascript', name: 'Javascript', categories: ['Website'] },
  { id: 'UBrsG9RVzw', slug: 'ios', name: 'iOS', categories: ['Mobile'] },
];

const CLASSIC_IDS = [AMPLITUDE, '54521fd725e721e32a72eebb', '547610a5db31d978f14a5c4e', KINESIS, '54521fd525e721e32a72ee8e'];

const pageOrder = (a: Json, b: Json) => {
  const [na, nb] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return na !== nb ? (na < nb ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

describe.each(BACKENDS)('catalog [%s]', (backend) => {
  let server: TestServer;
  let entries: Json[];
  beforeAll(async () => {
    server = await startTestServer(backend);
    const data = expectOk(await call(server, '/catalog/destinations?pagination.count=1000'));
    entries = data.destinationsCatalog;
  });
  afterAll(() => server.destroy());

  it('lists the whole destination catalog: registry entries plus the five classic ones, in name order', async () => {
    expect(entries.length).toBeGreaterThanOrEqual(170 + CLASSIC_IDS.length);
    const data = expectOk(await call(server, '/catalog/destinations?pagination.count=1000'));
    expect(data.pagination).toEqual({ current: 'MA==', totalEntries: entries.length });
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect([...entries].sort(pageOrder).map((e) => e.id)).toEqual(entries.map((e) => e.id));
    for (const id of CLASSIC_IDS) expect(entries.map((e) => e.id)).toContain(id);
  });

  it('defaults to 200 entries a page and walks the rest with next', async () => {
    const first = expectOk(await call(server, '/catalog/destinations'));
    expect(first.destinationsCatalog).toHaveLength(Math.min(200, entries.length));
    const pages = await walkForward(server, '/catalog/destinations', 50);
    expect(pages.flatMap((p) => p.destinationsCatalog.map((e: Json) => e.id))).toEqual(entries.map((e) => e.id));
    expect(pages.every((p) => p.pagination.totalEntries === entries.length)).toBe(true);
  });

  it('serves every entry in a shape the strict SDK models accept', () => {
    const problems = entries.flatMap(destinationMetadataViolations);
    expect(problems).toEqual([]);
  });

  it('answers getDestinationMetadata with the same object as the list, for every entry', async () => {
    for (const entry of entries) {
      const data = expectOk(await call(server, `/catalog/destinations/${entry.id}`));
      expect(Object.keys(data)).toEqual(['destinationMetadata']);
      expect(data.destinationMetadata).toEqual(entry);
    }
  });

  it('describes the Webhooks (Actions) entry as the spec example does', () => {
    const webhook = entries.find((e) => e.id === WEBHOOK);
    expect(webhook).toMatchObject({
      slug: 'actions-webhook',
      status: 'PUBLIC',
      components: [{ type: 'SERVER', owner: 'SEGMENT', code: expect.stringContaining('destination-actions/src/destinations/webhook') }],
      supportedFeatures: { cloudModeInstances: 'MULTIPLE', deviceModeInstances: 'NONE', replay: false, browserUnbundling: false, browserUnbundlingPublic: false },
      supportedPlatforms: { browser: false, server: true, mobile: false },
    });
    expect(webhook.options.map((o: Json) => o.name)).toContain('sharedSecret');
    const send = webhook.actions.find((a: Json) => a.slug === 'send');
    expect(send).toMatchObject({ platform: 'CLOUD', hidden: false });
    expect(send.fields.find((f: Json) => f.fieldKey === 'url')).toMatchObject({ type: 'STRING', required: true, sortOrder: expect.any(Number) });
  });

  it('gives the classic entries no actions and the docs option names', () => {
    const amplitude = entries.find((e) => e.id === AMPLITUDE);
    expect(amplitude).toMatchObject({ name: 'Amplitude', slug: 'amplitude', actions: [], presets: [] });
    expect(amplitude.options.find((o: Json) => o.name === 'apiKey')).toMatchObject({ type: 'string', required: true });
    const kinesis = entries.find((e) => e.id === KINESIS);
    expect(kinesis.options.map((o: Json) => o.name)).toEqual(expect.arrayContaining(['region', 'roleAddress', 'secretId', 'stream']));
  });

  it('404s unknown destination metadata with the spec message', async () => {
    const errors = expectError(await call(server, '/catalog/destinations/ffffffffffffffffffffffff'), 404, 'not-found');
    expect(errors).toEqual([{ type: 'not-found', message: "Destination metadata with id 'ffffffffffffffffffffffff' not found" }]);
  });

  it('lists the five library sources in name order with their fixed ids', async () => {
    const data = expectOk(await call(server, '/catalog/sources'));
    expect(data.pagination).toEqual({ current: 'MA==', totalEntries: 5 });
    const expected = [...SOURCE_CATALOG].sort(pageOrder);
    expect(data.sourcesCatalog.map((s: Json) => s.id)).toEqual(expected.map((s) => s.id));
    for (const source of data.sourcesCatalog) {
      const spec = SOURCE_CATALOG.find((s) => s.id === source.id)!;
      expect(source).toEqual({
        ...spec,
        description: expect.any(String),
        logos: { default: '' },
        options: [],
        isCloudEventSource: false,
      });
      expect(source.description.length).toBeGreaterThan(0);
      expect(expectOk(await call(server, `/catalog/sources/${source.id}`))).toEqual({ sourceMetadata: source });
    }
    const pages = await walkForward(server, '/catalog/sources', 2);
    expect(pages.map((p) => p.sourcesCatalog.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.sourcesCatalog.map((s: Json) => s.id))).toEqual(expected.map((s) => s.id));
  });

  it('404s unknown source metadata with the spec message', async () => {
    const errors = expectError(await call(server, '/catalog/sources/nope'), 404, 'not-found');
    expect(errors).toEqual([{ type: 'not-found', message: "Source metadata with id 'nope' not found" }]);
  });
});
