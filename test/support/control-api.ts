// Small helpers shared by the control-plane HTTP suites: catalog ids, resource factories, envelope checks.
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export const AMPLITUDE = '54521fd525e721e32a72ee91';
export const WEBHOOK = '614a3c7d791c91c41bae7599';
export const KINESIS = '57da359580412f644ff33fb9';
export const ADROLL = '54521fd525e721e32a72ee8e';
export const GOOGLE_ANALYTICS = '54521fd725e721e32a72eebb';
/** Customer.io (Actions): `siteId` and `apiKey` are password-typed options. */
export const CUSTOMERIO = '5f7dd78fe27ce7ff2b8bfa37';
/** Mixpanel (Actions): `apiRegion` and `strictMode` declare choices. */
export const MIXPANEL = '615c7438d93d9b61b1e9e192';
export const JAVASCRIPT_SOURCE = 'IqDTy1TpoU';

export const MASK = '••••••••••';
export const BASE58_ID = /^[1-9A-HJ-NP-Za-km-z]{22}$/;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Responses are read loosely typed: the suites assert the wire shape themselves.
export type Json = any;

export interface ApiResult {
  status: number;
  headers: Headers;
  body: Json;
}

type ApiInit = Parameters<TestServer['api']>[1];

/** Calls the API and parses the JSON body (every control-plane answer has one, except HEAD). */
export async function call(server: TestServer, path: string, init?: ApiInit): Promise<ApiResult> {
  const response = await server.api(path, init);
  const text = await response.text();
  let body: Json;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Asserts the error envelope: status, type, and (optionally) the set of fields reported. */
export function expectError(result: ApiResult, status: number, type: string, fields?: string[]): Json[] {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(Object.keys(result.body)).toEqual(['errors']);
  const errors = result.body.errors as Json[];
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error.type).toBe(type);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error).not.toHaveProperty('status');
  }
  if (fields) expect(errors.map((e) => e.field).sort()).toEqual([...fields].sort());
  return errors;
}

export function expectOk(result: ApiResult, status = 200): Json {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(Object.keys(result.body)).toEqual(['data']);
  return result.body.data;
}

let slugCounter = 0;

export async function createSource(server: TestServer, overrides: Record<string, unknown> = {}, token?: string): Promise<Json> {
  const body = { slug: `src-${process.pid}-${++slugCounter}`, enabled: true, metadataId: JAVASCRIPT_SOURCE, ...overrides };
  const result = await call(server, '/sources', { method: 'POST', json: body, ...(token ? { token } : {}) });
  return expectOk(result, 201).source;
}

export async function createDestination(
  server: TestServer,
  sourceId: string,
  overrides: Record<string, unknown> = {},
  token?: string,
): Promise<Json> {
  const body = { sourceId, metadataId: AMPLITUDE, settings: { apiKey: 'amp-key' }, ...overrides };
  const result = await call(server, '/destinations', { method: 'POST', json: body, ...(token ? { token } : {}) });
  return expectOk(result).destination;
}

/** The stored (unmasked) settings of a destination, read straight from the database. */
export async function storedDestinationSettings(server: TestServer, id: string): Promise<Record<string, unknown>> {
  const row = await server.running.storage.db.selectFrom('destinations').select('settings').where('id', '=', id).executeTakeFirstOrThrow();
  return JSON.parse(row.settings) as Record<string, unknown>;
}

export async function storedSourceSettings(server: TestServer, id: string): Promise<Record<string, unknown>> {
  const row = await server.running.storage.db.selectFrom('sources').select('settings').where('id', '=', id).executeTakeFirstOrThrow();
  return JSON.parse(row.settings) as Record<string, unknown>;
}

export async function auditEvents(server: TestServer, query = '', token?: string): Promise<Json[]> {
  const separator = query ? '&' : '';
  const result = await call(server, `/audit-events?pagination.count=1000${separator}${query}`, token ? { token } : {});
  return expectOk(result).events as Json[];
}

/** Follows `next` from the first page; returns every page's body `data`. */
export async function walkForward(server: TestServer, path: string, count: number, token?: string): Promise<Json[]> {
  const pages: Json[] = [];
  let cursor: string | undefined;
  const join = path.includes('?') ? '&' : '?';
  for (let guard = 0; guard < 10_000; guard++) {
    const query = `pagination.count=${count}${cursor ? `&pagination.cursor=${encodeURIComponent(cursor)}` : ''}`;
    const data = expectOk(await call(server, `${path}${join}${query}`, token ? { token } : {}));
    pages.push(data);
    cursor = data.pagination.next;
    if (cursor === undefined) return pages;
  }
  throw new Error('pagination did not terminate');
}

export async function workspaceOf(server: TestServer, token?: string): Promise<Json> {
  return expectOk(await call(server, '/', token ? { token } : {})).workspace;
}

const METADATA_STATUSES = ['DEPRECATED', 'PRIVATE_BETA', 'PRIVATE_BUILDING', 'PRIVATE_SUBMITTED', 'PUBLIC', 'PUBLIC_BETA', 'UNAVAILABLE'];
const FIELD_TYPES = ['BOOLEAN', 'DATETIME', 'HIDDEN', 'INTEGER', 'NUMBER', 'OBJECT', 'PASSWORD', 'STRING', 'TEXT'];

/** What the Python SDK's strict models demand of a DestinationMetadataV1 (public-api.md §7); [] when it passes. */
export function destinationMetadataViolations(m: Json): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${String(m?.id)}: ${what}`);
  };
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStr = (v: unknown) => typeof v === 'string';
  const strArray = (v: unknown) => Array.isArray(v) && v.every(isStr);
  for (const key of ['id', 'name', 'description', 'slug', 'website']) check(isStr(m[key]), `${key} must be a string`);
  check(/^[0-9a-f]{24}$/.test(m.id), 'id must be 24 lowercase hex');
  check(isObject(m.logos) && isStr(m.logos.default), 'logos.default must be a string');
  check(METADATA_STATUSES.includes(m.status), `status ${String(m.status)}`);
  check(strArray(m.previousNames) && strArray(m.categories), 'previousNames/categories must be string arrays');
  for (const key of ['options', 'components', 'actions', 'presets']) check(Array.isArray(m[key]), `${key} must be an array`);
  for (const key of ['supportedFeatures', 'supportedMethods', 'supportedPlatforms']) check(isObject(m[key]), `${key} must be an object`);
  if (m.contacts !== undefined) check(Array.isArray(m.contacts) && m.contacts.every((c: Json) => isStr(c?.email)), 'contacts need email');
  for (const o of m.options ?? []) check(isStr(o.name) && isStr(o.type) && typeof o.required === 'boolean', `option ${String(o.name)}`);
  for (const c of m.components ?? []) {
    check(['ANDROID', 'BROWSER', 'IOS', 'SERVER'].includes(c.type) && isStr(c.code), 'component type/code');
    if (c.owner !== undefined) check(['PARTNER', 'SEGMENT'].includes(c.owner), 'component owner');
  }
  const features = m.supportedFeatures ?? {};
  if (features.cloudModeInstances !== undefined) check(['0', '1', 'MULTIPLE', 'NONE', 'SINGLE'].includes(features.cloudModeInstances), 'cloudModeInstances');
  if (features.deviceModeInstances !== undefined) check(['0', '1', 'NONE', 'SINGLE'].includes(features.deviceModeInstances), 'deviceModeInstances');
  for (const a of m.actions ?? []) {
    check(['id', 'slug', 'name', 'description'].every((k) => isStr(a[k])), `action ${String(a.slug)} strings`);
    check(BASE58_ID.test(a.id), `action ${String(a.slug)} id`);
    check(['CLOUD', 'MOBILE', 'WEB'].includes(a.platform) && typeof a.hidden === 'boolean', `action ${String(a.slug)} platform/hidden`);
    check(a.defaultTrigger === undefined || a.defaultTrigger === null || isStr(a.defaultTrigger), `action ${String(a.slug)} defaultTrigger`);
    check(Array.isArray(a.fields), `action ${String(a.slug)} fields`);
    for (const f of a.fields ?? []) {
      const where = `field ${String(a.slug)}.${String(f.fieldKey)}`;
      check(['id', 'fieldKey', 'label', 'description'].every((k) => isStr(f[k])) && typeof f.sortOrder === 'number', `${where} strings/sortOrder`);
      check(FIELD_TYPES.includes(f.type), `${where} type ${String(f.type)}`);
      check(['required', 'multiple', 'dynamic', 'allowNull'].every((k) => typeof f[k] === 'boolean'), `${where} booleans`);
    }
  }
  for (const p of m.presets ?? []) check(isStr(p.actionId) && isStr(p.name) && isStr(p.trigger) && isObject(p.fields), `preset ${String(p.name)}`);
  return problems;
}
