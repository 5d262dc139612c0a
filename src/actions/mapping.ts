// Subscription mappings (`settings`): each value is a mapping directive resolved per event, or a literal.
// Directive shapes follow what actions-core's mapping-kit resolves at delivery (its validator is not an index
// export), so a mapping that passes here does not fail in core for its shape; literals are checked against the
// action field's type.
import type { ActionField } from '../control/catalog/catalog.types.js';

export interface MappingIssue {
  field: string;
  message: string;
}

/** Directives actions-core 3.170.0 resolves; anything else throws at delivery. */
export const SUPPORTED_DIRECTIVES = [
  '@path',
  '@template',
  '@literal',
  '@if',
  '@case',
  '@replace',
  '@arrayPath',
  '@json',
  '@flatten',
  '@merge',
  '@transform',
  '@excludeWhenNull',
  '@liquid',
] as const;

// mapping-kit caps @replace patterns and replacements at this length (MAX_PATTERN_LENGTH / MAX_REPLACEMENT_LENGTH)
const MAX_REPLACE_LENGTH = 10;

class MappingProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (path: string, what: string): never => {
  throw new MappingProblem(path, `"${path}" ${what}`);
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** mapping-kit treats any object with an @-key as a directive, however malformed. */
function isDirectiveObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('@'));
}

/** Any JSON value; directives nested anywhere inside are checked too. */
function checkValue(value: unknown, path: string): void {
  if (isDirectiveObject(value)) return checkDirective(value, path);
  if (Array.isArray(value)) return value.forEach((item, i) => checkValue(item, `${path}.${i}`));
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) checkValue(item, `${path}.${key}`);
  }
}

function checkStringOrDirective(value: unknown, path: string, jsonPath = false): void {
  if (isDirectiveObject(value)) return checkDirective(value, path);
  if (typeof value !== 'string') return fail(path, 'must be a string or a directive');
  // core drops "$." and reads the rest as a dotted path, so "properties.email" (catalog presets write it so,
  // and item paths inside @arrayPath are relative) works too; only a "$" not followed by "." is a sure typo.
  if (jsonPath && value.startsWith('$') && !value.startsWith('$.')) {
    fail(path, `starts with "$" but not "$.", so it never matches: write "$.${value.slice(1)}"`);
  }
}

function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(value) || isDirectiveObject(value)) return fail(path, 'must be an object');
  return value;
}

function checkOneOf(value: unknown, path: string, allowed: string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
}

function checkShortString(value: unknown, path: string, min: number): void {
  if (typeof value !== 'string') return fail(path, 'must be a string');
  if (value.length < min || value.length > MAX_REPLACE_LENGTH) {
    fail(path, `must be ${min}–${MAX_REPLACE_LENGTH} characters long`);
  }
}

function checkOptionalBoolean(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== 'boolean') fail(path, 'must be a boolean');
}

function checkDirective(directive: Record<string, unknown>, path: string): void {
  const keys = Object.keys(directive);
  const names = keys.filter((key) => key.startsWith('@'));
  const others = keys.filter((key) => !key.startsWith('@') && key !== '_metadata');
  if (names.length > 1) fail(path, `combines ${names.join(', ')}: a directive object takes exactly one @-key`);
  const name = names[0]!;
  if (others.length > 0) fail(path, `mixes the directive ${name} with other keys (${others.join(', ')}): a directive object takes only its @-key`);
  const arg = directive[name];
  const at = `${path}.${name}`;
  switch (name) {
    case '@path':
      return checkStringOrDirective(arg, at, true);
    case '@template':
      return checkStringOrDirective(arg, at);
    case '@liquid':
      if (typeof arg !== 'string') fail(at, 'must be a string');
      return;
    case '@literal':
    case '@excludeWhenNull':
      return checkValue(arg, at);
    case '@if': {
      const opts = requireObject(arg, at);
      if (!opts.exists && !opts.blank) fail(at, 'needs an "exists" (or "blank") value to test, e.g. {"exists": {"@path": "$.userId"}}');
      for (const key of ['exists', 'blank', 'then', 'else']) checkValue(opts[key], `${at}.${key}`);
      return;
    }
    case '@case': {
      const opts = requireObject(arg, at);
      checkOneOf(opts.operator, `${at}.operator`, ['lower', 'upper']);
      if (opts.value !== undefined) checkStringOrDirective(opts.value, `${at}.value`);
      return;
    }
    case '@replace': {
      const opts = requireObject(arg, at);
      checkShortString(opts.pattern, `${at}.pattern`, 1);
      if (opts.replacement !== undefined) checkShortString(opts.replacement, `${at}.replacement`, 0);
      if (opts.pattern2 !== undefined) checkShortString(opts.pattern2, `${at}.pattern2`, 1);
      if (opts.replacement2 !== undefined) checkShortString(opts.replacement2, `${at}.replacement2`, 0);
      if (opts.value === undefined) fail(`${at}.value`, 'is required');
      checkStringOrDirective(opts.value, `${at}.value`);
      checkOptionalBoolean(opts.ignorecase, `${at}.ignorecase`);
      checkOptionalBoolean(opts.global, `${at}.global`);
      return;
    }
    case '@arrayPath': {
      if (!Array.isArray(arg) || arg.length < 1 || arg.length > 2) {
        return fail(at, 'must be an array of a path and an optional item mapping, e.g. ["$.properties.products", {"id": {"@path": "$.product_id"}}]');
      }
      checkStringOrDirective(arg[0], `${at}.0`, true);
      if (arg[1] !== undefined) checkValue(arg[1], `${at}.1`);
      return;
    }
    case '@json': {
      const opts = requireObject(arg, at);
      checkOneOf(opts.mode, `${at}.mode`, ['encode', 'decode']);
      if (opts.value === undefined) fail(`${at}.value`, 'is required');
      return checkValue(opts.value, `${at}.value`);
    }
    case '@flatten': {
      const opts = requireObject(arg, at);
      if (opts.separator === undefined || opts.separator === '') fail(`${at}.separator`, 'is required');
      checkStringOrDirective(opts.separator, `${at}.separator`);
      if (opts.value === undefined) fail(`${at}.value`, 'is required');
      checkValue(opts.value, `${at}.value`);
      return checkOptionalBoolean(opts.omitArrays, `${at}.omitArrays`);
    }
    case '@merge': {
      const opts = requireObject(arg, at);
      checkOneOf(opts.direction, `${at}.direction`, ['left', 'right']);
      if (!Array.isArray(opts.objects)) return fail(`${at}.objects`, 'must be an array of objects or directives');
      opts.objects.forEach((item, i) => {
        if (!isPlainObject(item)) fail(`${at}.objects.${i}`, 'must be an object or a directive');
        checkValue(item, `${at}.objects.${i}`);
      });
      return;
    }
    case '@transform': {
      const opts = requireObject(arg, at);
      for (const key of ['apply', 'mapping']) {
        if (!isPlainObject(opts[key])) fail(`${at}.${key}`, 'must be an object or a directive');
        checkValue(opts[key], `${at}.${key}`);
      }
      return;
    }
    default:
      fail(path, `uses an unknown directive "${name}": use one of ${SUPPORTED_DIRECTIVES.join(', ')}`);
  }
}

const TYPE_WORDS: Record<ActionField['type'], [one: string, many: string]> = {
  STRING: ['a string', 'strings'],
  TEXT: ['a string', 'strings'],
  PASSWORD: ['a string', 'strings'],
  // core's schema for datetime fields is ['string', 'number'] (ISO text or epoch)
  DATETIME: ['a date-time string or a number', 'date-time strings or numbers'],
  NUMBER: ['a number', 'numbers'],
  INTEGER: ['an integer', 'integers'],
  BOOLEAN: ['a boolean', 'booleans'],
  OBJECT: ['an object', 'objects'],
  HIDDEN: ['any value', 'values'],
};

function hasFieldType(type: ActionField['type'], value: unknown): boolean {
  switch (type) {
    case 'STRING':
    case 'TEXT':
    case 'PASSWORD':
      return typeof value === 'string';
    case 'DATETIME':
      return typeof value === 'string' || typeof value === 'number';
    case 'NUMBER':
      return typeof value === 'number' && Number.isFinite(value);
    case 'INTEGER':
      return Number.isInteger(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'OBJECT':
      return isPlainObject(value);
    case 'HIDDEN':
      return true;
  }
}

function choiceValues(field: ActionField): unknown[] | null {
  if (!field.choices || field.choices.length === 0) return null;
  return field.choices.map((choice) => (isPlainObject(choice) && 'value' in choice ? choice.value : choice));
}

/** One item of a field: a directive (checked for shape) or a literal of the field's type. */
function checkItem(field: ActionField, value: unknown, path: string): void {
  if (isDirectiveObject(value)) {
    checkDirective(value, path);
    // a plain @literal is still a literal: hold it to the field's type
    const literal = value['@literal'];
    if (Object.keys(value).length === 1 && literal !== undefined && !isDirectiveObject(literal)) {
      checkFieldValue(field, literal, `${path}.@literal`);
    }
    return;
  }
  if (value === null && field.allowNull) return;
  if (!hasFieldType(field.type, value)) fail(path, `must be ${TYPE_WORDS[field.type][0]}`);
  const choices = choiceValues(field);
  if (choices && !choices.includes(value)) {
    fail(path, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  checkValue(value, path);
}

function checkFieldValue(field: ActionField, value: unknown, path: string): void {
  if (!field.multiple || isDirectiveObject(value) || (value === null && field.allowNull)) {
    return checkItem(field, value, path);
  }
  if (!Array.isArray(value)) return fail(path, `must be an array of ${TYPE_WORDS[field.type][1]}`);
  value.forEach((item, i) => checkItem(field, item, `${path}.${i}`));
}

/** Absent means never configured; the catalog writes a missing default as null. */
const hasDefault = (field: ActionField): boolean => field.defaultValue !== undefined && field.defaultValue !== null;

/**
 * Checks a subscription mapping against its action's fields; one issue per failing key, `field` being
 * `settings.<key>` or a deeper dotted path into the directive at fault.
 */
export function checkMapping(fields: ActionField[], mapping: unknown, opts: { enabled: boolean }): MappingIssue[] {
  if (!isPlainObject(mapping)) return [{ field: 'settings', message: '"settings" must be an object' }];
  const byKey = new Map(fields.map((field) => [field.fieldKey, field]));
  const issues: MappingIssue[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    const field = byKey.get(key);
    const path = `settings.${key}`;
    if (!field) {
      issues.push({ field: path, message: `"${path}" is not a field of this action` });
      continue;
    }
    try {
      if (opts.enabled && field.required && value === '') fail(path, 'is required when the subscription is enabled');
      checkFieldValue(field, value, path);
    } catch (err) {
      if (!(err instanceof MappingProblem)) throw err;
      issues.push({ field: err.path, message: err.message });
    }
  }
  if (opts.enabled) {
    for (const field of fields) {
      if (field.required && mapping[field.fieldKey] === undefined && !hasDefault(field)) {
        const path = `settings.${field.fieldKey}`;
        issues.push({ field: path, message: `"${path}" is required when the subscription is enabled` });
      }
    }
  }
  return issues;
}

/** The mapping sent to core: the stored one plus field defaults for absent keys (copies, never shared). */
export function applyFieldDefaults(fields: ActionField[], mapping: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...mapping };
  for (const field of fields) {
    if (filled[field.fieldKey] === undefined && hasDefault(field)) {
      filled[field.fieldKey] = structuredClone(field.defaultValue);
    }
  }
  return filled;
}
