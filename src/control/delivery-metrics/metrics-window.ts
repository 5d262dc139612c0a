// The time window a delivery-metrics request covers (public-api.md §4.11): granularity picks the default
// window and the limits; the answer is always one summary over per-minute buckets.
import { invalidField } from '../errors.js';

export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';

export const GRANULARITIES: readonly Granularity[] = ['MINUTE', 'HOUR', 'DAY'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A client that computed "now − 7 d" moments before sending must still pass the limit checks. */
export const LIMIT_GRACE_MS = 5 * MINUTE;

interface GranularityRule {
  defaultWindowMs: number;
  maxRangeMs: number;
  /** How far back `startTime` may reach. */
  maxAgeMs: number;
}

const RULES: Record<Granularity, GranularityRule> = {
  MINUTE: { defaultWindowMs: HOUR, maxRangeMs: 4 * HOUR, maxAgeMs: 48 * HOUR },
  HOUR: { defaultWindowMs: 7 * DAY, maxRangeMs: 7 * DAY, maxAgeMs: 7 * DAY },
  // Upstream documents a 30-day default but a 14-day limit; the default is clamped so it never fails.
  DAY: { defaultWindowMs: 30 * DAY, maxRangeMs: 14 * DAY, maxAgeMs: 14 * DAY },
};

export interface WindowRequest {
  granularity: Granularity;
  startTime?: number;
  endTime?: number;
}

/** Buckets whose minute start lies in [from, to). */
export interface ResolvedWindow {
  from: number;
  to: number;
}

export function floorMinute(time: number): number {
  return Math.floor(time / MINUTE) * MINUTE;
}

function describe(ms: number): string {
  return ms % DAY === 0 ? `${ms / DAY} days` : `${ms / HOUR} hours`;
}

export function resolveWindow(request: WindowRequest, now: number): ResolvedWindow {
  const rule = RULES[request.granularity];
  const oldestStart = now - rule.maxAgeMs;
  // A future end is clamped to now: nothing can have happened after it.
  const end = Math.min(request.endTime ?? now, now);

  if (request.startTime === undefined) {
    const start = Math.max(end - rule.defaultWindowMs, oldestStart);
    // Only reachable with an explicit endTime older than the granularity lets anyone look back.
    if (start >= end) {
      throw invalidField(
        'endTime',
        `"endTime" must be within the last ${describe(rule.maxAgeMs)} for granularity ${request.granularity}`,
      );
    }
    return { from: floorMinute(start), to: end };
  }

  const start = request.startTime;
  if (start >= end) {
    throw invalidField('startTime', `"startTime" must be earlier than "endTime" (and not in the future)`);
  }
  if (end - start > rule.maxRangeMs + LIMIT_GRACE_MS) {
    throw invalidField(
      'startTime',
      `"startTime" must be at most ${describe(rule.maxRangeMs)} before "endTime" for granularity ${request.granularity}`,
    );
  }
  if (start < oldestStart - LIMIT_GRACE_MS) {
    throw invalidField(
      'startTime',
      `"startTime" must be within the last ${describe(rule.maxAgeMs)} for granularity ${request.granularity}`,
    );
  }
  return { from: floorMinute(start), to: end };
}
