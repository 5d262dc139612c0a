// Recent events of a source (our extension, for `switchyard tail`): the newest few, then whatever arrived after
// an opaque cursor. Best effort by design: an event whose transaction commits after a later-received one was
// already read is not shown, which is fine for watching traffic and never affects delivery.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { invalidInput, type FieldIssue } from '../errors.js';
import { singleParam, type QueryParams } from '../query-params.js';
import type { SourceService } from '../sources/sources.service.js';
import { eventsAfter, latestEvents, type EventPosition, type StoredEventRow } from './source-events.repository.js';

export const DEFAULT_EVENTS_LIMIT = 20;
export const MAX_EVENTS_LIMIT = 200;

/** Before any event: a tail that starts on an empty source sees everything that arrives later. */
const START: EventPosition = { receivedAt: 0, id: '' };

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
  ) {}

  async list(workspaceId: string, sourceId: string, query: QueryParams): Promise<{ events: WireSourceEvent[]; cursor: string }> {
    await this.sources.require(workspaceId, sourceId);
    const { after, limit } = parseQuery(query);
    const rows = after
      ? await eventsAfter(this.db, workspaceId, sourceId, after, limit)
      : await latestEvents(this.db, workspaceId, sourceId, limit);
    const last = rows.at(-1);
    const position = last ? { receivedAt: last.received_at, id: last.id } : (after ?? START);
    return { events: rows.map(toWire), cursor: encodeEventCursor(position) };
  }
}
