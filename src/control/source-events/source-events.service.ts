// Recent events of a source (our extension, for `switchyard tail`): the newest few, then whatever arrived after
// an opaque cursor. Best effort by design: an event whose transaction commits more than SETTLE_MS after it was
// received, behind one already read, is not shown; that is fine for watching traffic and never affects delivery.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { invalidInput, type FieldIssue } from '../errors.js';
import { singleParam, type QueryParams } from '../query-params.js';
import type { SourceService } from '../sources/sources.service.js';
import { eventsAfter, latestEvents, type EventPosition, type StoredEventRow } from './source-events.repository.js';

export const DEFAULT_EVENTS_LIMIT = 20;
export const MAX_EVENTS_LIMIT = 200;

/** How far back the first call looks, widening step by step until it has `limit` events. */
const LOOKBACK_MS = [60_000, 3_600_000, 86_400_000];
/**
 * When nothing new turned up, the cursor moves to this long before now, so the next poll scans only recent
 * rows of the time index; events still being committed (or stamped by a slightly late clock) stay ahead of it.
 */
const SETTLE_MS = 5_000;

export interface WireSourceEvent {
  id: string;
  type: string;
  event: string | null;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  receivedAt: string;
}

export function encodeEventCursor(position: EventPosition): string {
  return Buffer.from(JSON.stringify({ t: position.receivedAt, i: position.id })).toString('base64url');
}

export function decodeEventCursor(cursor: string): EventPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; i?: unknown };
    if (!Number.isSafeInteger(payload.t) || typeof payload.i !== 'string') return undefined;
    return { receivedAt: payload.t as number, id: payload.i };
  } catch {
    return undefined;
  }
}

const stringOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

function toWire(row: StoredEventRow): WireSourceEvent {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(row.body) as Record<string, unknown>;
  } catch {
    // Stored bodies are always JSON; an unreadable one still shows its type and ids.
  }
  return {
    id: row.id,
    type: row.type,
    // Track events are named by `event`; page and screen calls by `name`.
    event: stringOrNull(row.type === 'track' ? body.event : row.type === 'page' || row.type === 'screen' ? body.name : undefined),
    messageId: row.message_id,
    userId: stringOrNull(body.userId),
    anonymousId: stringOrNull(body.anonymousId),
    receivedAt: new Date(row.received_at).toISOString(),
  };
}

function parseQuery(query: QueryParams): { after?: EventPosition; limit: number } {
  const issues: FieldIssue[] = [];
  const rawAfter = singleParam(query, 'after', issues);
  const rawLimit = singleParam(query, 'limit', issues);
  const after = rawAfter === undefined || rawAfter === '' ? undefined : decodeEventCursor(rawAfter);
  if (rawAfter && !after) issues.push({ field: 'after', message: '"after" is not a cursor issued by this endpoint' });
  const limit = rawLimit === undefined ? DEFAULT_EVENTS_LIMIT : Number(rawLimit);
  if (!/^\d+$/.test(rawLimit ?? '1') || limit < 1 || limit > MAX_EVENTS_LIMIT) {
    issues.push({ field: 'limit', message: `"limit" must be an integer from 1 to ${MAX_EVENTS_LIMIT}` });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return { ...(after ? { after } : {}), limit };
}

export class SourceEventsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sources: SourceService,
    private readonly now: () => number = Date.now,
  ) {}

  async list(workspaceId: string, sourceId: string, query: QueryParams): Promise<{ events: WireSourceEvent[]; cursor: string }> {
    await this.sources.require(workspaceId, sourceId);
    const { after, limit } = parseQuery(query);
    const now = this.now();
    const rows = after ? await eventsAfter(this.db, workspaceId, sourceId, after, limit) : await this.latest(workspaceId, sourceId, limit, now);
    const last = rows.at(-1);
    const settled = { receivedAt: now - SETTLE_MS, id: '' };
    const position = last
      ? { receivedAt: last.received_at, id: last.id }
      : after && after.receivedAt >= settled.receivedAt
        ? after
        : settled;
    return { events: rows.map(toWire), cursor: encodeEventCursor(position) };
  }

  private async latest(workspaceId: string, sourceId: string, limit: number, now: number): Promise<StoredEventRow[]> {
    let rows: StoredEventRow[] = [];
    for (const lookback of LOOKBACK_MS) {
      rows = await latestEvents(this.db, workspaceId, sourceId, now - lookback, limit);
      if (rows.length >= limit) break;
    }
    return rows;
  }
}
