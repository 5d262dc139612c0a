import { invalidField } from './errors.js';

// RFC 3339 date-time with `Z` or an offset and an optional fraction; nothing looser.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(value: unknown, field: string): number {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw invalidField(field, `"${field}" must be an RFC 3339 date-time such as 2025-11-26T12:00:00Z`);
  }
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) throw invalidField(field, `"${field}" is not a valid date-time`);
  return ms;
}
