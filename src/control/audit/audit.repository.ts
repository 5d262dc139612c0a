import type { Kysely } from 'kysely';
import type { PageQuery } from '../../control/paging.js';
import { keysetPage } from '../../storage/keyset.js';
import type { Database, NewAuditEvent } from '../../storage/schema.js';

export interface AuditFilter {
  workspaceId: string;
  startTime?: number;
  endTime: number;
  resourceId?: string;
  resourceType?: string;
}

export async function insertAuditEvents(db: Kysely<Database>, events: NewAuditEvent[]): Promise<void> {
  if (events.length > 0) await db.insertInto('audit_events').values(events).execute();
}

function filtered(db: Kysely<Database>, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_events')
    .where('workspace_id', '=', filter.workspaceId)
    .where('occurred_at', '<', filter.endTime);
  if (filter.startTime !== undefined) query = query.where('occurred_at', '>=', filter.startTime);
  if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
  return query;
}

/** Newest first; `seq` is monotonic, so it is both the sort key and the tie-breaker. */
export function pageAuditEvents(db: Kysely<Database>, filter: AuditFilter, page: PageQuery) {
  return keysetPage(filtered(db, filter).selectAll(), { sort: 'seq' }, page, false).execute();
}

export async function countAuditEvents(db: Kysely<Database>, filter: AuditFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function pruneAuditEvents(db: Kysely<Database>, olderThan: number): Promise<number> {
  const result = await db.deleteFrom('audit_events').where('occurred_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
