// Settings rules of destinations (public-api.md §3, §4.4): masking, bullets, merge, type checks, required
// options, read-only options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import {
  ADROLL,
  AMPLITUDE,
  call,
  createDestination,
  createSource,
  CUSTOMERIO,
  expectError,
  expectOk,
  GOOGLE_ANALYTICS,
  KINESIS,
  MASK,
  MIXPANEL,
  storedDestinationSettings,
  WEBHOOK,
  type Json,
} from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('destination settings [%s]', (backend) => {
  let server: TestServer;
  let source: Json;
  const patch = (id: string, json: unknown) => call(server, `/destinations/${id}`, { method: 'PATCH', json });
  const create = (json: Record<string, unknown>) => call(server, '/destinations', { method: 'POST', json: { sourceId: source.id, ...json } });

  beforeAll(async () => {
    server = await startTestServer(backend);
    source = await createSource(server, { slug: 'settings-src' });
  });
  afterAll(() => server.destroy());

  it('masks secret keys by name and by password type, top-level and nested, and nothing else', async () => {
    const settings = {
      sharedSecret: 'abc',
      accessToken: 'tok',
      clientSecret: 'cs',
      adminPassword: 'pw',
      emptyKey: '',
      numericKey: 42,
      region: 'eu',
      batch_keys: ['a'],
      tokenUrl: 'https://auth.example.org/token',
      keyring: 'not a secret',
      oauth: { refresh_token: 'rt', client_id: 'cid', deeper: { apiKey: 'deep' } },
    };
    const hook = await createDestination(server, source.id, { metadataId: WEBHOOK, settings });
    expect(hook.settings).toEqual({
      sharedSecret: MASK,
      accessToken: MASK,
      clientSecret: MASK,
      adminPassword: MASK,
      emptyKey: '',
      numericKey: 42,
      region: 'eu',
      batch_keys: ['a'],
      tokenUrl: 'https://auth.example.org/token',
      keyring: 'not a secret',
      oauth: { refresh_token: MASK, client_id: 'cid', deeper: { apiKey: MASK } },
    });
    expect(await storedDestinationSettings(server, hook.id)).toEqual(settings);

    // Customer.io's siteId is a password option although its name does not look secret.
    const cio = await createDestination(server, source.id, { metadataId: CUSTOMERIO, settings: { siteId: 'site', apiKey: 'key', accountRegion: 'US 🇺🇸' } });
    expect(cio.settings).toEqual({ siteId: MASK, apiKey: MASK, accountRegion: 'US 🇺🇸' });
    for (const path of ['/destinations?pagination.count=1000', `/sources/${source.id}/connected-destinations?pagination.count=1000`]) {
      const listed = (expectOk(await call(server, path)).destinations as Json[]).find((d) => d.id === cio.id);
      expect(listed.settings).toEqual(cio.settings);
    }
    expect(expectOk(await call(server, `/destinations/${cio.id}`)).destination.settings).toEqual(cio.settings);
  });

  it('keeps stored secrets when bullets are written back, top-level and nested', async () => {
    const hook = await createDestination(server, source.id, {
      metadataId: WEBHOOK,
      settings: { sharedSecret: 'abc', region: 'eu', oauth: { refresh_token: 'rt', client_id: 'cid' } },
    });
    // What Terraform does: send back exactly what it read, with one real change.
    const echoed = { ...hook.settings, region: 'us' };
    const updated = expectOk(await patch(hook.id, { settings: echoed })).destination;
    expect(updated.settings).toEqual({ sharedSecret: MASK, region: 'us', oauth: { refresh_token: MASK, client_id: 'cid' } });
    expect(await storedDestinationSettings(server, hook.id)).toEqual({
      sharedSecret: 'abc',
      region: 'us',
      oauth: { refresh_token: 'rt', client_id: 'cid' },
    });
    // Any run of bullets counts, and a nested object otherwise replaces the stored one.
    await patch(hook.id, { settings: { sharedSecret: '•••', oauth: { refresh_token: '•', client_id: 'cid2' } } });
    expect(await storedDestinationSettings(server, hook.id)).toEqual({
      sharedSecret: 'abc',
      region: 'us',
      oauth: { refresh_token: 'rt', client_id: 'cid2' },
    });
    // Bullets for a key that holds nothing are not stored as a value.
    const fresh = await createDestination(server, source.id, { metadataId: WEBHOOK, settings: { sharedSecret: MASK, nested: { apiKey: MASK, x: 1 } } });
    expect(await storedDestinationSettings(server, fresh.id)).toEqual({ nested: { x: 1 } });
  });

  it('merges PATCH settings shallowly: null deletes, unmentioned keys stay, unknown keys are echoed', async () => {
    const amp = await createDestination(server, source.id, {
      settings: { apiKey: 'k1', batchEvents: true, custom: { a: 1 } },
    });
    const updated = expectOk(await patch(amp.id, { settings: { batchEvents: null, extra: 'x', custom: { b: 2 } } })).destination;
    expect(updated.settings).toEqual({ apiKey: MASK, extra: 'x', custom: { b: 2 } });
    expect(await storedDestinationSettings(server, amp.id)).toEqual({ apiKey: 'k1', extra: 'x', custom: { b: 2 } });
    const same = expectOk(await patch(amp.id, { settings: {} })).destination;
    expect(same.settings).toEqual(updated.settings);
  });

  it('type-checks keys that match catalog options and names each failing field', async () => {
    const wrong = await create({
      metadataId: AMPLITUDE,
      settings: { apiKey: 5, batchEvents: 'yes', appendFieldsToEventProps: [], deviceIdFromUrlParam: 1, unknownKey: 5 },
    });
    const errors = expectError(wrong, 422, 'input-validation', [
      'settings.apiKey',
      'settings.appendFieldsToEventProps',
      'settings.batchEvents',
      'settings.deviceIdFromUrlParam',
    ]);
    expect(errors.find((e: Json) => e.field === 'settings.batchEvents').message).toBe('"settings.batchEvents" must be a boolean');
    // number, array (`strings`), object (`map`) and choices.
    expectError(await create({ metadataId: ADROLL, enabled: false, settings: { _version: '1' } }), 422, 'input-validation', ['settings._version']);
    expectError(await create({ metadataId: GOOGLE_ANALYTICS, enabled: false, settings: { ignoredReferrers: 'x', dimensions: 'y' } }), 422, 'input-validation', [
      'settings.dimensions',
      'settings.ignoredReferrers',
    ]);
    const mixpanel = { projectToken: 'p', apiSecret: 's' };
    expectError(await create({ metadataId: MIXPANEL, settings: { ...mixpanel, apiRegion: 'Mars' } }), 422, 'input-validation', ['settings.apiRegion']);
    const ok = expectOk(await create({ metadataId: MIXPANEL, settings: { ...mixpanel, apiRegion: 'EU 🇪🇺' } })).destination;
    expectError(await patch(ok.id, { settings: { strictMode: 1 } }), 422, 'input-validation', ['settings.strictMode']);
    expectError(await patch(ok.id, { settings: { strictMode: 'maybe' } }), 422, 'input-validation', ['settings.strictMode']);
    expectOk(await patch(ok.id, { settings: { strictMode: '0' } }));
    const adroll = expectOk(await create({ metadataId: ADROLL, settings: { advId: 'a', pixId: 'p', _version: 2, events: { x: 'y' } } }));
    expect(adroll.destination.settings).toEqual({ advId: 'a', pixId: 'p', _version: 2, events: { x: 'y' } });
  });

  it('enforces required options only when the destination is or becomes enabled', async () => {
    const missing = expectError(await create({ metadataId: AMPLITUDE, settings: {} }), 422, 'input-validation', ['settings.apiKey']);
    expect(missing[0].message).toBe('"settings.apiKey" is required when the destination is enabled');
    expectError(await create({ metadataId: AMPLITUDE, enabled: true, settings: { apiKey: '' } }), 422, 'input-validation', ['settings.apiKey']);
    expectError(await create({ metadataId: CUSTOMERIO, settings: {} }), 422, 'input-validation', ['settings.apiKey', 'settings.siteId']);

    const disabled = expectOk(await create({ metadataId: AMPLITUDE, enabled: false, settings: {} })).destination;
    expect(disabled).toMatchObject({ enabled: false, settings: {} });
    expectOk(await patch(disabled.id, { name: 'still incomplete' }));
    expectError(await patch(disabled.id, { enabled: true }), 422, 'input-validation', ['settings.apiKey']);
    expectError(await patch(disabled.id, { enabled: true, settings: { apiKey: '' } }), 422, 'input-validation', ['settings.apiKey']);
    const enabled = expectOk(await patch(disabled.id, { enabled: true, settings: { apiKey: 'now' } })).destination;
    expect(enabled).toMatchObject({ enabled: true, settings: { apiKey: MASK } });
    // An enabled destination cannot lose a required option.
    expectError(await patch(disabled.id, { settings: { apiKey: null } }), 422, 'input-validation', ['settings.apiKey']);
    expect(await storedDestinationSettings(server, disabled.id)).toEqual({ apiKey: 'now' });
  });

  it('ignores the read-only Kinesis secretId on create and refuses a PATCH carrying only it', async () => {
    const writable = { region: 'us-west-2', roleAddress: 'arn:aws:iam::1:role/x', stream: 'events' };
    const kinesis = expectOk(await create({ metadataId: KINESIS, settings: { ...writable, secretId: 'mine' } })).destination;
    expect(kinesis.settings).toEqual(writable);
    expect(await storedDestinationSettings(server, kinesis.id)).toEqual(writable);

    const onlyReadOnly = expectError(await patch(kinesis.id, { settings: { secretId: 'x' } }), 400, 'bad-request');
    expect(onlyReadOnly).toEqual([{ type: 'bad-request', message: 'Only read-only settings were sent: secretId' }]);
    const mixed = expectOk(await patch(kinesis.id, { settings: { secretId: 'x', stream: 'other' } })).destination;
    expect(mixed.settings).toEqual({ ...writable, stream: 'other' });
    expect(await storedDestinationSettings(server, kinesis.id)).toEqual({ ...writable, stream: 'other' });
    const withEnabled = expectOk(await patch(kinesis.id, { enabled: false, settings: { secretId: 'x' } })).destination;
    expect(withEnabled).toMatchObject({ enabled: false, settings: { ...writable, stream: 'other' } });
    // Validation order: an unknown destination is a 404 even with read-only settings only.
    expectError(await patch('unknownKinesis', { settings: { secretId: 'x' } }), 404, 'not-found');
  });
});
