// Reading plain (non-pagination) query parameters, which a standard parser hands over as string or string[],
// and collecting every failing field so one 422 names them all.
import { AppError, type FieldIssue } from './errors.js';
import { parseTimestamp } from './time.js';

export type QueryParams = Record<string, unknown>;

/** A repeated parameter is accepted only when every copy agrees; otherwise an issue is recorded for it. */
export function singleParam(query: QueryParams, name: string, issues: FieldIssue[]): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  if (new Set(values).size > 1) {
    issues.push({ field: name, message: `"${name}" was given more than once with different values` });
    return undefined;
  }
  return values[0];
}

// An unencoded `+` in a query string arrives as a space; restore it so `…T10:00:00+02:00` still parses.
function restoreOffsetPlus(value: string): string {
  return value.replace(/(\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\d{2}:\d{2})$/, '$1+$2');
}

/** An RFC 3339 time in epoch ms, or undefined with the field's issue recorded. */
export function timestampOrIssue(value: string | undefined, name: string, issues: FieldIssue[]): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTimestamp(restoreOffsetPlus(value), name);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}
