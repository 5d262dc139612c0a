import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogEntries,
  detectSupportedMethods,
  normaliseTrigger,
  readActionRegistry,
} from '../src/actions/catalog-builder.js';
import { stableBase58Id } from '../src/actions/stable-id.js';
import {
  catalogFilePath,
  defaultCatalogDir,
  ensureCatalogFile,
  loadDestinationCatalog,
  readCatalogFile,
} from '../src/control/catalog/destination-catalog.js';
import { findSourceMetadata, SOURCE_CATALOG } from '../src/control/catalog/source-catalog.js';

const WEBHOOK_ID = '614a3c7d791c91c41bae7599';
const AMPLITUDE_CLASSIC_ID = '54521fd525e721e32a72ee91';
const KINESIS_ID = '57da359580412f644ff33fb9';
const BASE58_22 = /^[1-9A-HJ-NP-Za-km-z]{22}$/;

const catalogFile = readCatalogFile(catalogFilePath(defaultCatalogDir()));
const catalog = loadDestinationCatalog();

// public-api.md §7: what the Python SDK's strict models accept.
const STATUSES = ['DEPRECATED', 'PRIVATE_BETA', 'PRIVATE_BUILDING', 'PRIVATE_SUBMITTED', 'PUBLIC', 'PUBLIC_BETA', 'UNAVAILABLE'];
const COMPONENT_TYPES = ['ANDROID', 'BROWSER', 'IOS', 'SERVER'];
const OWNERS = ['PARTNER', 'SEGMENT'];
const CLOUD_INSTANCES = ['0', '1', 'MULTIPLE', 'NONE', 'SINGLE'];
const DEVICE_INSTANCES = ['0', '1', 'NONE', 'SINGLE'];
const PLATFORMS = ['CLOUD', 'MOBILE', 'WEB'];
const FIELD_TYPES = ['BOOLEAN', 'DATETIME', 'HIDDEN', 'INTEGER', 'NUMBER', 'OBJECT', 'PASSWORD', 'STRING', 'TEXT'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function metadataViolations(metadata: unknown): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const str = (obj: Json, key: string, where: string) => expect(typeof obj[key] === 'string', `${where}.${key} not a string`);
  const bool = (obj: Json, key: string, where: string) => expect(typeof obj[key] === 'boolean', `${where}.${key} not a boolean`);
  const oneOf = (obj: Json, key: string, allowed: string[], where: string) =>
    expect(typeof obj[key] === 'string' && allowed.includes(obj[key] as string), `${where}.${key}=${String(obj[key])}`);
  const items = (obj: Json, key: string, where: string): unknown[] => {
    const value = obj[key];
    expect(Array.isArray(value), `${where}.${key} not an array`);
    return Array.isArray(value) ? value : [];
  };

  if (!isObject(metadata)) return ['metadata not an object'];
  const m = metadata;
  for (const key of ['id', 'name', 'description', 'slug', 'website']) str(m, key, 'metadata');
  expect(isObject(m.logos) && typeof m.logos.default === 'string', 'logos.default not a string');
  oneOf(m, 'status', STATUSES, 'metadata');
  for (const key of ['previousNames', 'categories']) {
    for (const value of items(m, key, 'metadata')) expect(typeof value === 'string', `${key}[] not a string`);
  }
  for (const key of ['supportedFeatures', 'supportedMethods', 'supportedPlatforms']) expect(isObject(m[key]), `${key} not an object`);
  if (isObject(m.supportedFeatures)) {
    const features = m.supportedFeatures;
    if ('cloudModeInstances' in features) oneOf(features, 'cloudModeInstances', CLOUD_INSTANCES, 'supportedFeatures');
    if ('deviceModeInstances' in features) oneOf(features, 'deviceModeInstances', DEVICE_INSTANCES, 'supportedFeatures');
  }
  if ('contacts' in m) {
    for (const contact of items(m, 'contacts', 'metadata')) expect(isObject(contact) && typeof contact.email === 'string', 'contact without email');
  }
  for (const option of items(m, 'options', 'metadata')) {
    if (!isObject(option)) { problems.push('option not an object'); continue; }
    str(option, 'name', 'option');
    str(option, 'type', 'option');
    bool(option, 'required', 'option');
  }
  for (const component of items(m, 'components', 'metadata')) {
    if (!isObject(component)) { problems.push('component not an object'); continue; }
    oneOf(component, 'type', COMPONENT_TYPES, 'component');
    str(component, 'code', 'component');
    if ('owner' in component) oneOf(component, 'owner', OWNERS, 'component');
  }
  for (const action of items(m, 'actions', 'metadata')) {
    if (!isObject(action)) { problems.push('action not an object'); continue; }
    const where = `action ${String(action.slug)}`;
    for (const key of ['id', 'slug', 'name', 'description']) str(action, key, where);
    oneOf(action, 'platform', PLATFORMS, where);
    bool(action, 'hidden', where);
    expect(action.defaultTrigger === undefined || action.defaultTrigger === null || typeof action.defaultTrigger === 'string', `${where}.defaultTrigger`);
    for (const field of items(action, 'fields', where)) {
      if (!isObject(field)) { problems.push(`${where} field not an object`); continue; }
      const fieldWhere = `${where}.${String(field.fieldKey)}`;
      for (const key of ['id', 'fieldKey', 'label', 'description']) str(field, key, fieldWhere);
      expect(typeof field.sortOrder === 'number', `${fieldWhere}.sortOrder`);
      oneOf(field, 'type', FIELD_TYPES, fieldWhere);
      for (const key of ['required', 'multiple', 'dynamic', 'allowNull']) bool(field, key, fieldWhere);
    }
  }
  for (const preset of items(m, 'presets', 'metadata')) {
    if (!isObject(preset)) { problems.push('preset not an object'); continue; }
    for (const key of ['actionId', 'name', 'trigger']) str(preset, key, 'preset');
    expect(isObject(preset.fields), 'preset.fields not an object');
  }
  return problems;
}

describe('action registry', () => {
  it('parses 172 register() lines into id → directory', () => {
    const registry = readActionRegistry();
    expect(registry.size).toBe(172);
    expect(registry.get(WEBHOOK_ID)).toBe('webhook');
    for (const id of registry.keys()) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('catalog file', () => {
  it('holds 172 action destinations plus 5 classic ones for the installed version', () => {
    expect(catalogFile.package).toBe('@segment/action-destinations');
    expect(catalogFile.version).toBe('3.387.0');
    expect(catalogFile.entries).toHaveLength(177);
    expect(catalogFile.entries.filter((entry) => entry.runtimeDirectory === null)).toHaveLength(5);
    expect(catalog.size).toBe(177);
  });

  it('has unique 24-hex metadata ids, unique slugs and unique action/field ids', () => {
    const ids = catalogFile.entries.map((entry) => entry.metadata.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    const slugs = catalogFile.entries.map((entry) => entry.metadata.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const inner = catalogFile.entries.flatMap((entry) =>
      entry.metadata.actions.flatMap((action) => [action.id, ...action.fields.map((field) => field.id)]),
    );
    expect(new Set(inner).size).toBe(inner.length);
    for (const id of inner) expect(id).toMatch(BASE58_22);
  });

  it('satisfies every constraint the Python SDK enforces', () => {
    const failures = catalogFile.entries
      .map((entry) => ({ id: entry.metadata.id, problems: metadataViolations(entry.metadata) }))
      .filter((result) => result.problems.length > 0);
    expect(failures).toEqual([]);
  });

  it('derives action and field ids from <metadataId>/<actionKey>[/<fieldKey>]', () => {
    const webhook = catalog.get(WEBHOOK_ID)!;
    const send = webhook.metadata.actions.find((action) => action.slug === 'send')!;
    expect(send.id).toBe(stableBase58Id(`${WEBHOOK_ID}/send`));
    expect(send.fields[0]!.id).toBe(stableBase58Id(`${WEBHOOK_ID}/send/${send.fields[0]!.fieldKey}`));
    expect(webhook.actionsById.get(send.id)).toBe(send);
  });

  it('maps the Webhook definition', () => {
    const webhook = catalog.get(WEBHOOK_ID)!;
    expect(webhook.runtimeDirectory).toBe('webhook');
    expect(webhook.metadata).toMatchObject({ name: 'Webhook', slug: 'actions-webhook', status: 'PUBLIC', previousNames: ['Webhook'] });
    expect(webhook.metadata.components).toEqual([
      {
        type: 'SERVER',
        owner: 'SEGMENT',
        code: 'https://github.com/segmentio/action-destinations/tree/main/packages/destination-actions/src/destinations/webhook',
      },
    ]);
    const send = webhook.metadata.actions.find((action) => action.slug === 'send')!;
    expect(send).toMatchObject({ name: 'Send', platform: 'CLOUD', hidden: false });
    const url = send.fields.find((field) => field.fieldKey === 'url')!;
    expect(url).toMatchObject({ type: 'STRING', required: true, sortOrder: 0, choices: null, defaultValue: null });
    // Webhook has no triggers at all, so every method counts as supported.
    expect(webhook.metadata.supportedMethods).toEqual({ track: true, pageview: true, identify: true, group: true, alias: true });
  });

  it('reports fields the upstream UI hides as HIDDEN', () => {
    const batchKeys = catalogFile.entries
      .flatMap((entry) => entry.metadata.actions.flatMap((action) => action.fields))
      .filter((field) => field.fieldKey === 'batch_keys');
    expect(batchKeys.length).toBeGreaterThan(0);
    for (const field of batchKeys) expect(field.type).toBe('HIDDEN');
  });

  it('rewrites == in triggers and keeps presets pointing at actions of the same entry', () => {
    for (const { metadata } of catalogFile.entries) {
      for (const action of metadata.actions) expect(action.defaultTrigger ?? '').not.toContain('==');
      const actionIds = new Set(metadata.actions.map((action) => action.id));
      for (const preset of metadata.presets) {
        expect(preset.trigger).not.toContain('==');
        expect(actionIds.has(preset.actionId)).toBe(true);
      }
    }
    const iterable = catalogFile.entries.find((entry) => entry.runtimeDirectory === 'iterable')!;
    const updateCart = iterable.metadata.actions.find((action) => action.slug === 'updateCart')!;
    expect(updateCart.defaultTrigger).toBe('type = "track" and event = "Cart Updated"');
  });

  it('includes the classic overlay with its options and read-only markers', () => {
    const amplitude = catalog.get(AMPLITUDE_CLASSIC_ID)!;
    expect(amplitude.runtimeDirectory).toBeNull();
    expect(amplitude.metadata).toMatchObject({ name: 'Amplitude', slug: 'amplitude', actions: [], presets: [] });
    expect(amplitude.metadata.options.map((option) => [option.name, option.type, option.required])).toEqual([
      ['apiKey', 'string', true],
      ['appendFieldsToEventProps', 'text-map', false],
      ['batchEvents', 'boolean', false],
      ['deviceIdFromUrlParam', 'boolean', false],
      ['enableLocationListening', 'boolean', false],
    ]);
    expect([...catalog.get(KINESIS_ID)!.readOnlyOptions]).toEqual(['secretId']);
    for (const id of ['54521fd725e721e32a72eebb', '547610a5db31d978f14a5c4e', '54521fd525e721e32a72ee8e']) {
      expect(catalog.get(id)?.metadata.actions).toEqual([]);
    }
  });

  it('is deterministic: a fresh build in this process equals the file built by the global setup', () => {
    expect(JSON.stringify(buildCatalogEntries())).toBe(JSON.stringify(catalogFile.entries));
  });
});

describe('DestinationCatalog', () => {
  it('lists entries by lowercase name, then id', () => {
    const listed = catalog.list();
    expect(listed).toHaveLength(177);
    for (let i = 1; i < listed.length; i++) {
      const [a, b] = [listed[i - 1]!.metadata, listed[i]!.metadata];
      const [nameA, nameB] = [a.name.toLowerCase(), b.name.toLowerCase()];
      expect(nameA < nameB || (nameA === nameB && a.id < b.id), `${a.name} before ${b.name}`).toBe(true);
    }
  });

  it('serves pre-serialised JSON that parses back to the metadata', () => {
    for (const entry of catalog.list()) {
      expect(catalog.get(entry.metadata.id)).toBe(entry);
      expect(JSON.parse(entry.json)).toEqual(entry.metadata);
    }
    expect(catalog.get('000000000000000000000000')).toBeUndefined();
  });

  it('refuses to build in-process from TypeScript sources when the file is missing', () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    try {
      expect(() => ensureCatalogFile(emptyDir)).toThrow(/is missing/);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('helpers', () => {
  it('stableBase58Id is 22 base58 chars and deterministic', () => {
    expect(stableBase58Id('a/b')).toMatch(BASE58_22);
    expect(stableBase58Id('a/b')).toBe(stableBase58Id('a/b'));
    expect(stableBase58Id('a/b')).not.toBe(stableBase58Id('a/c'));
  });

  it('normaliseTrigger leaves == inside string literals alone', () => {
    expect(normaliseTrigger('type = "track" and event == "a==b"')).toBe('type = "track" and event = "a==b"');
  });

  it('detectSupportedMethods reads quoted, unquoted and capitalised event types', () => {
    expect(detectSupportedMethods(['type = "track"', 'type=identify', 'type = "Identify"', 'type ="screen"'])).toEqual({
      track: true, pageview: true, identify: true, group: false, alias: false,
    });
    expect(detectSupportedMethods(['properties.type = "group"', 'event = "x"'])).toEqual({
      track: true, pageview: true, identify: true, group: true, alias: true,
    });
  });
});

describe('source catalog', () => {
  it('has the five library sources', () => {
    expect(SOURCE_CATALOG.map((source) => source.slug)).toEqual(['http-api', 'node-js', 'python', 'javascript', 'ios']);
    expect(findSourceMetadata('IqDTy1TpoU')).toMatchObject({ name: 'Javascript', categories: ['Website'], isCloudEventSource: false });
    expect(findSourceMetadata('nope')).toBeUndefined();
  });
});
