// Lenient ISO-8601 parsing for client clock fields (data-plane.md §3, §6). Clients in the wild send
// Python's `+00:00` with microseconds, Java's nanoseconds, offset-less strings and unpadded fields,
// so a strict `Date.parse` would lose events' real times. Anything we cannot read returns undefined.

// Groups: year, month, day, [hour, minute, [second, [fraction]]], [offset].
// Year is always four digits; every other field may be unpadded (`2026-1-5T3:4:5Z`).
const ISO_8601 =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s?([Zz]|[+-]\d{1,2}(?::?\d{2})?)?$/;

const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2}))?$/;

// ECMAScript's representable time range.
const MAX_EPOCH_MS = 8.64e15;

/** Epoch milliseconds of a lenient ISO-8601 string (no offset = UTC), or undefined when unreadable. */
export function parseIsoTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_8601.exec(value.trim());
  if (!match) return undefined;

  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText, offsetText] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  // Sub-millisecond digits are truncated, matching how Date handles them.
  const millis = fractionText === undefined ? 0 : Math.floor(Number(`0.${fractionText}`) * 1000);

  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;

  const offsetMinutes = parseOffsetMinutes(offsetText);
  if (offsetMinutes === undefined) return undefined;

  // setUTCFullYear keeps years 0..99 literal (Date.UTC would map them to 1900..1999).
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  // Rolled over (e.g. 2026-02-30) → not a real calendar date.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;

  const epochMs = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > MAX_EPOCH_MS) return undefined;
  return epochMs;
}

function parseOffsetMinutes(offsetText: string | undefined): number | undefined {
  if (offsetText === undefined || offsetText === 'Z' || offsetText === 'z') return 0;
  const match = OFFSET.exec(offsetText);
  if (!match) return undefined;
  const [, sign, hoursText, minutesText] = match;
  const hours = Number(hoursText);
  const minutes = Number(minutesText ?? 0);
  if (hours > 23 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return sign === '-' ? -total : total;
}

/** The stored form of every server-written clock field: ISO-8601 UTC with milliseconds and `Z`. */
export function formatIsoTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
