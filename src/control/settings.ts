// Settings rules shared by destinations and sources (public-api.md §3): masking of secrets, PATCH merging,
// strict type checks against catalog options, and required options for enabled destinations.
import type { IntegrationOption } from './catalog/catalog.types.js';
import type { FieldIssue } from './errors.js';

export type Settings = Record<string, unknown>;

export const MASK = '••••••••••';
const SECRET_NAME = /(key|secret|token|password)$/i;
const ONLY_BULLETS = /^•+$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSecret(key: string, option: IntegrationOption | undefined): boolean {
  return option?.type.toLowerCase() === 'password' || SECRET_NAME.test(key);
}

function maskValue(key: string, value: unknown, option: IntegrationOption | undefined): unknown {
  if (isPlainObject(value)) return maskObject(value, undefined);
  if (typeof value === 'string' && value !== '' && isSecret(key, option)) return MASK;
  return value;
}

function maskObject(settings: Settings, options: ReadonlyMap<string, IntegrationOption> | undefined): Settings {
  const out: Settings = {};
  for (const [key, value] of Object.entries(settings)) out[key] = maskValue(key, value, options?.get(key));
  return out;
}

export function optionsByName(options: readonly IntegrationOption[]): Map<string, IntegrationOption> {
  return new Map(options.map((o) => [o.name, o]));
}

/** The copy of stored settings every response shows: secret strings replaced by ten bullets. */
export function maskSettings(settings: Settings, options: ReadonlyMap<string, IntegrationOption> = new Map()): Settings {
  return maskObject(settings, options);
}

/**
 * A nested object sent back as read (Terraform echoes `oauth: {refresh_token: "••••••••••"}`) replaces the stored
 * one, except that bullet-only strings stand for the secret stored at the same place.
 */
function restoreSecrets(value: Settings, stored: unknown): Settings {
  const previous = isPlainObject(stored) ? stored : {};
  const out: Settings = {};
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && ONLY_BULLETS.test(inner)) {
      if (key in previous) out[key] = previous[key];
    } else out[key] = isPlainObject(inner) ? restoreSecrets(inner, previous[key]) : inner;
  }
  return out;
}

/**
 * Shallow merge for PATCH: `null` deletes a key, a value made only of bullets keeps the stored secret (at any
 * depth), the rest overwrites. Creation uses the same function against `{}` so bullets never get stored.
 */
export function mergeSettings(stored: Settings, patch: Settings): Settings {
  const merged: Settings = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (typeof value === 'string' && ONLY_BULLETS.test(value)) {
      if (!(key in stored)) delete merged[key];
    } else merged[key] = isPlainObject(value) ? restoreSecrets(value, stored[key]) : value;
  }
  return merged;
}

function expectedType(option: IntegrationOption): string | undefined {
  switch (option.type.toLowerCase()) {
    case 'string':
    case 'password':
    case 'text':
    case 'select':
    case 'color':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'object':
    case 'map':
    case 'text-map':
      return 'object';
    case 'array':
    case 'list':
    case 'strings':
    case 'multiselect':
      return 'array';
    default:
      return undefined;
  }
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

/** Keys that match a catalog option must have that option's JSON type; unknown keys pass through. */
export function checkSettingTypes(
  settings: Settings,
  options: ReadonlyMap<string, IntegrationOption>,
  choicesOf: ReadonlyMap<string, readonly unknown[]> = new Map(),
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const option = options.get(key);
    if (!option || value === null) continue;
    const field = `settings.${key}`;
    const type = expectedType(option);
    if (type && !hasType(value, type)) {
      issues.push({ field, message: `"${field}" must be ${ARTICLE[type]}` });
      continue;
    }
    const choices = choicesOf.get(key)?.map((c) => (isPlainObject(c) && 'value' in c ? c.value : c));
    if (choices && choices.length > 0 && !choices.includes(value)) {
      issues.push({ field, message: `"${field}" must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}` });
    }
  }
  return issues;
}

export function checkRequiredSettings(settings: Settings, options: readonly IntegrationOption[]): FieldIssue[] {
  return options
    .filter((o) => o.required)
    .filter((o) => settings[o.name] === undefined || settings[o.name] === null || settings[o.name] === '')
    .map((o) => ({
      field: `settings.${o.name}`,
      message: `"settings.${o.name}" is required when the destination is enabled`,
    }));
}
