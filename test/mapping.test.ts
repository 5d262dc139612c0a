import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { ActionField } from '../src/control/catalog/catalog.types.js';
import { applyFieldDefaults, checkMapping, SUPPORTED_DIRECTIVES } from '../src/actions/mapping.js';

const require = createRequire(import.meta.url);

function field(fieldKey: string, type: ActionField['type'], extra: Partial<ActionField> = {}): ActionField {
  return {
    id: `id-${fieldKey}`,
    sortOrder: 0,
    fieldKey,
    label: fieldKey,
    type,
    description: '',
    required: false,
    multiple: false,
    dynamic: false,
    allowNull: false,
    defaultValue: null,
    choices: null,
    ...extra,
  };
}

const FIELDS: ActionField[] = [
  field('email', 'STRING', { required: true }),
  field('note', 'TEXT'),
  field('secret', 'PASSWORD'),
  field('timestamp', 'DATETIME'),
  field('price', 'NUMBER'),
  field('quantity', 'INTEGER'),
  field('vip', 'BOOLEAN'),
  field('traits', 'OBJECT'),
  field('tags', 'STRING', { multiple: true }),
  field('scores', 'INTEGER', { multiple: true }),
  field('region', 'STRING', { choices: ['us', 'eu'] }),
  field('method', 'STRING', { required: true, defaultValue: 'POST', choices: [{ label: 'POST', value: 'POST' }, { label: 'PUT', value: 'PUT' }] }),
  field('nickname', 'STRING', { allowNull: true }),
  field('internal', 'HIDDEN'),
];

const check = (mapping: unknown, enabled = false) => checkMapping(FIELDS, mapping, { enabled });

describe('checkMapping accepts', () => {
  it.each([
    ['literals of every type', {
      email: 'a@example.org', note: 'hi', secret: 's', timestamp: '2025-01-01T00:00:00Z', price: 9.5, quantity: 3,
      vip: false, traits: { plan: 'pro', nested: { n: 1 } }, tags: ['a', 'b'], scores: [1, 2], region: 'eu',
      method: 'PUT', nickname: null, internal: [1, 'x'],
    }],
    ['an epoch number for a datetime field', { timestamp: 1735689600000 }],
    ['@path', { email: { '@path': '$.traits.email' } }],
    ['@path to the whole event', { traits: { '@path': '$.' } }],
    ['@path without "$." (core resolves it the same)', { email: { '@path': 'traits.email' } }],
    ['relative item paths in @arrayPath', { traits: { '@arrayPath': ['$.properties.products', { id: { '@path': 'product_id' } }] } }],
    ['@template', { note: { '@template': 'Hi {{traits.name}}' } }],
    ['@if with nested directives', { email: { '@if': { exists: { '@path': '$.traits.email' }, then: { '@path': '$.traits.email' }, else: { '@path': '$.properties.email' } } } }],
    ['@if with blank', { note: { '@if': { blank: { '@path': '$.properties.note' }, then: 'x' } } }],
    ['an object with directives inside', { traits: { email: { '@path': '$.traits.email' }, list: [{ '@path': '$.userId' }], plan: 'pro' } }],
    ['directives as items of a multiple field', { tags: [{ '@path': '$.properties.tag' }, 'fixed'] }],
    ['a directive for a multiple field', { tags: { '@path': '$.properties.tags' } }],
    ['@literal of the right type', { price: { '@literal': 3 } }],
    ['@case', { email: { '@case': { operator: 'lower', value: { '@path': '$.traits.email' } } } }],
    ['@replace', { note: { '@replace': { pattern: '-', replacement: '_', value: { '@path': '$.event' }, global: true } } }],
    ['@arrayPath', { traits: { '@arrayPath': ['$.properties.products', { id: { '@path': '$.product_id' } }] } }],
    ['@json', { note: { '@json': { mode: 'encode', value: { '@path': '$.properties' } } } }],
    ['@flatten', { traits: { '@flatten': { separator: '.', value: { '@path': '$.traits' } } } }],
    ['@merge', { traits: { '@merge': { direction: 'right', objects: [{ '@path': '$.traits' }, { plan: 'pro' }] } } }],
    ['@transform', { traits: { '@transform': { apply: { a: { '@path': '$.x' } }, mapping: { b: { '@path': '$.a' } } } } }],
    ['@excludeWhenNull', { traits: { '@excludeWhenNull': { a: { '@path': '$.x' } } } }],
    ['@liquid', { note: { '@liquid': '{{ event | upcase }}' } }],
    ['a directive with _metadata', { email: { '@path': '$.userId', _metadata: { label: 'x' } } }],
  ])('%s', (_name, mapping) => {
    expect(check(mapping)).toEqual([]);
  });

  it('lists every directive core resolves', () => {
    expect(SUPPORTED_DIRECTIVES).toContain('@path');
    expect(SUPPORTED_DIRECTIVES).toContain('@excludeWhenNull');
    expect(SUPPORTED_DIRECTIVES.length).toBe(13);
  });
});

describe('checkMapping rejects', () => {
  it.each([
    [{ email: 42 }, 'settings.email', '"settings.email" must be a string'],
    [{ note: true }, 'settings.note', '"settings.note" must be a string'],
    [{ secret: {} }, 'settings.secret', '"settings.secret" must be a string'],
    [{ timestamp: true }, 'settings.timestamp', '"settings.timestamp" must be a date-time string or a number'],
    [{ price: '9.5' }, 'settings.price', '"settings.price" must be a number'],
    [{ quantity: 1.5 }, 'settings.quantity', '"settings.quantity" must be an integer'],
    [{ vip: 'true' }, 'settings.vip', '"settings.vip" must be a boolean'],
    [{ traits: [] }, 'settings.traits', '"settings.traits" must be an object'],
    [{ tags: 'a' }, 'settings.tags', '"settings.tags" must be an array of strings'],
    [{ scores: [1, 'x'] }, 'settings.scores.1', '"settings.scores.1" must be an integer'],
    [{ region: 'asia' }, 'settings.region', '"settings.region" must be one of "us", "eu"'],
    [{ method: 'GET' }, 'settings.method', '"settings.method" must be one of "POST", "PUT"'],
    [{ email: null }, 'settings.email', '"settings.email" must be a string'],
    [{ unknown: 'x' }, 'settings.unknown', '"settings.unknown" is not a field of this action'],
    [{ email: { '@path': '$traits.email' } }, 'settings.email.@path', 'starts with "$" but not "$.", so it never matches: write "$.traits.email"'],
    [{ email: { '@path': 3 } }, 'settings.email.@path', 'must be a string or a directive'],
    [{ email: { '@template': ['x'] } }, 'settings.email.@template', 'must be a string or a directive'],
    [{ email: { '@pathh': '$.x' } }, 'settings.email', 'uses an unknown directive "@pathh"'],
    [{ email: { '@path': '$.x', '@template': 'y' } }, 'settings.email', 'combines @path, @template'],
    [{ email: { '@path': '$.x', fallback: 'y' } }, 'settings.email', 'mixes the directive @path with other keys (fallback)'],
    [{ email: { '@if': { then: 'x' } } }, 'settings.email.@if', 'needs an "exists" (or "blank") value'],
    [{ email: { '@if': 'x' } }, 'settings.email.@if', 'must be an object'],
    [{ email: { '@if': { exists: { '@path': '$x' }, then: 'y' } } }, 'settings.email.@if.exists.@path', 'write "$.x"'],
    [{ email: { '@case': { operator: 'title', value: 'x' } } }, 'settings.email.@case.operator', 'must be one of "lower", "upper"'],
    [{ email: { '@replace': { pattern: 'a-very-long-pattern', value: 'x' } } }, 'settings.email.@replace.pattern', 'must be 1–10 characters long'],
    [{ email: { '@replace': { pattern: '-' } } }, 'settings.email.@replace.value', 'is required'],
    [{ traits: { '@arrayPath': '$.x' } }, 'settings.traits.@arrayPath', 'must be an array of a path'],
    [{ note: { '@json': { mode: 'stringify', value: 'x' } } }, 'settings.note.@json.mode', 'must be one of "encode", "decode"'],
    [{ traits: { '@flatten': { value: { '@path': '$.traits' } } } }, 'settings.traits.@flatten.separator', 'is required'],
    [{ traits: { '@merge': { direction: 'up', objects: [] } } }, 'settings.traits.@merge.direction', 'must be one of "left", "right"'],
    [{ traits: { '@merge': { direction: 'left', objects: ['x'] } } }, 'settings.traits.@merge.objects.0', 'must be an object or a directive'],
    [{ traits: { '@transform': { apply: 'x', mapping: {} } } }, 'settings.traits.@transform.apply', 'must be an object or a directive'],
    [{ note: { '@liquid': 3 } }, 'settings.note.@liquid', 'must be a string'],
    [{ traits: { deep: { '@path': '$' } } }, 'settings.traits.deep.@path', 'write "$."'],
    [{ price: { '@literal': 'cheap' } }, 'settings.price.@literal', '"settings.price.@literal" must be a number'],
    [{ tags: [{ '@bogus': 1 }] }, 'settings.tags.0', 'uses an unknown directive "@bogus"'],
  ])('%j', (mapping, path, message) => {
    const issues = check(mapping);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it('rejects a mapping that is not an object', () => {
    for (const bad of [null, [], 'x', 3]) {
      expect(check(bad)).toEqual([{ field: 'settings', message: '"settings" must be an object' }]);
    }
  });

  it('reports every failing key, one entry each', () => {
    const issues = check({ email: 1, price: 'x', bogus: true, tags: [1, 2] });
    expect(issues.map((i) => i.field)).toEqual(['settings.email', 'settings.price', 'settings.bogus', 'settings.tags.0']);
  });
});

describe('required fields', () => {
  it('are enforced only when the subscription is enabled', () => {
    expect(check({}, false)).toEqual([]);
    expect(check({}, true)).toEqual([
      { field: 'settings.email', message: '"settings.email" is required when the subscription is enabled' },
    ]);
  });

  it('count a default as provided and an empty string as missing', () => {
    expect(check({ email: { '@path': '$.traits.email' } }, true)).toEqual([]);
    expect(check({ email: '' }, true)).toEqual([
      { field: 'settings.email', message: '"settings.email" is required when the subscription is enabled' },
    ]);
  });
});

describe('applyFieldDefaults', () => {
  it('fills absent keys with copies of the defaults and leaves the rest alone', () => {
    const fields = [
      field('url', 'STRING', { required: true }),
      field('method', 'STRING', { defaultValue: 'POST' }),
      field('data', 'OBJECT', { defaultValue: { '@path': '$.' } }),
      field('batch_size', 'NUMBER', { defaultValue: 0 }),
    ];
    const stored = { url: 'https://example.org', method: 'PUT' };
    const filled = applyFieldDefaults(fields, stored);
    expect(filled).toEqual({ url: 'https://example.org', method: 'PUT', data: { '@path': '$.' }, batch_size: 0 });
    expect(stored).toEqual({ url: 'https://example.org', method: 'PUT' });
    expect(filled.data).not.toBe(fields[2]!.defaultValue);
  });
});

describe('with the webhook action definition', () => {
  interface DefinitionField {
    type: string;
    required?: boolean;
    multiple?: boolean;
    allowNull?: boolean;
    choices?: unknown[];
    default?: unknown;
    unsafe_hidden?: boolean;
    label?: string;
    description?: string;
  }
  const definition = require('@segment/action-destinations/dist/destinations/webhook').default as {
    actions: { send: { fields: Record<string, DefinitionField> } };
  };
  // Same conversion as the catalog (public-api.md §6.3), kept local to this test.
  const webhookFields: ActionField[] = Object.entries(definition.actions.send.fields).map(([key, f], i) =>
    field(key, (f.unsafe_hidden ? 'HIDDEN' : f.type.toUpperCase()) as ActionField['type'], {
      sortOrder: i,
      required: f.required === true,
      multiple: f.multiple ?? false,
      allowNull: f.allowNull ?? false,
      choices: f.choices ?? null,
      defaultValue: f.default ?? null,
    }),
  );

  it('accepts the usual mapping and applies the defaults core expects', () => {
    const mapping = { url: 'https://example.org/hook', headers: { 'X-Source': 'switchyard' }, data: { '@path': '$.properties' } };
    expect(checkMapping(webhookFields, mapping, { enabled: true })).toEqual([]);
    expect(applyFieldDefaults(webhookFields, mapping)).toMatchObject({ method: 'POST', batch_size: 0, batch_keys: ['url', 'method', 'headers'] });
  });

  it('rejects what the webhook would fail on', () => {
    const issues = checkMapping(webhookFields, { method: 'GET', batch_size: '10', data: { '@path': '$properties' } }, { enabled: true });
    expect(issues).toEqual([
      { field: 'settings.method', message: '"settings.method" must be one of "POST", "PUT", "PATCH"' },
      { field: 'settings.batch_size', message: '"settings.batch_size" must be a number' },
      { field: 'settings.data.@path', message: '"settings.data.@path" starts with "$" but not "$.", so it never matches: write "$.properties"' },
      { field: 'settings.url', message: '"settings.url" is required when the subscription is enabled' },
    ]);
  });
});
