// Reads a source's stored events for the live tail, in (received_at, id) order. Events are indexed by time only
// (an index per source would tax every ingest for an operator convenience), so callers keep the time range short.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface EventPosition {
  receivedAt: number;
  id: string;
}

export interface StoredEventRow {
  id: string;
  message_id: string;
  type: string;
  received_at: number;
  body: string;
}

function sourceEvents(db: Kysely<Database>, workspaceId: string, sourceId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'message_id', 'type', 'received_at', 'body'])
    .where('workspace_id', '=', workspaceId)
    .where('source_id', '=', sourceId);
}

const normalize = (rows: StoredEventRow[]) => rows.map((row) => ({ ...row, received_at: Number(row.received_at) }));

/** The newest `limit` events received at or after `since`, returned oldest first. */
export async function latestEvents(
  db: Kysely<Database>,
  workspaceId: string,
  sourceId: string,
  since: number,
  limit: number,
): Promise<StoredEventRow[]> {
  const rows = await sourceEvents(db, workspaceId, sourceId)
    .where('received_at', '>=', since)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return normalize(rows).reverse();
}

/** Up to `limit` events strictly after `position`, oldest first. */
export async function eventsAfter(
  db: Kysely<Database>,
  workspaceId: string,
  sourceId: string,
  position: EventPosition,
  limit: number,
): Promise<StoredEventRow[]> {
  const rows = await sourceEvents(db, workspaceId, sourceId)
    .where((eb) =>
      eb.or([
        eb('received_at', '>', position.receivedAt),
        eb.and([eb('received_at', '=', position.receivedAt), eb('id', '>', position.id)]),
      ]),
    )
    .orderBy('received_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return normalize(rows);
}
