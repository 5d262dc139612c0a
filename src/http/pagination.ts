// Reads `pagination` from any of the four query encodings the clients use (public-api.md §1.6):
// `pagination.count`, `pagination[count]` (literal or percent-encoded brackets) and one JSON object.
import { invalidField } from '../control/errors.js';
import type { PageRequest } from '../control/paging.js';

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

type Query = Record<string, unknown>;

function single(value: unknown, field: string): unknown {
  if (Array.isArray(value)) {
    const distinct = new Set(value.map(String));
    if (distinct.size > 1) throw invalidField(field, `"${field}" was given more than once with different values`);
    return value[0];
  }
  return value;
}

function fromJsonParameter(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  const text = single(raw, 'pagination');
  if (typeof text !== 'string') throw invalidField('pagination', '"pagination" must be an object');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidField('pagination', '"pagination" must be a JSON object such as {"count":10}');
}

function pick(query: Query, json: Record<string, unknown>, key: 'count' | 'cursor'): unknown {
  // Only query parameters can repeat; an array inside the JSON form is a value of the wrong type.
  const fromQuery = [query[`pagination.${key}`], query[`pagination[${key}]`]].map((v) => single(v, `pagination.${key}`));
  const candidates = [...fromQuery, json[key]].filter((v) => v !== undefined);
  const distinct = new Set(candidates.map(String));
  if (distinct.size > 1) throw invalidField('pagination', `"pagination.${key}" was sent in two encodings with different values`);
  return candidates[0];
}

function parseCount(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const count = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE_SIZE) {
    throw invalidField('pagination.count', `"pagination.count" must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return count;
}

export function readPageRequest(query: unknown): PageRequest {
  const q = (query ?? {}) as Query;
  const json = fromJsonParameter(q.pagination);
  const count = parseCount(pick(q, json, 'count'));
  const cursor = pick(q, json, 'cursor');
  if (cursor !== undefined && typeof cursor !== 'string') {
    throw invalidField('pagination.cursor', '"pagination.cursor" must be a string');
  }
  return cursor === undefined ? { count } : { count, cursor };
}
