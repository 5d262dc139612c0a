// The audit trail (public-api.md §5, §6.4). Events are written in the caller's transaction, so a change and its
// audit record commit together.
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../http/request-context.js';
import type { AuditEventRow, Database } from '../../storage/schema.js';
import { invalidField } from '../errors.js';
import { decodeCursor, fetchPage, type PageRequest } from '../paging.js';
import { parseTimestamp } from '../time.js';
import * as audit from './audit.repository.js';

export type AuditEventType =
  | 'Integration Created'
  | 'Integration Disabled'
  | 'Integration Enabled'
  | 'Integration Modified'
  | 'Integration Deleted'
  | 'Destination Subscription Created'
  | 'Destination Subscription Modified'
  | 'Destination Subscription Deleted'
  | 'Source Created'
  | 'Source Deleted'
  | 'Source Enabled'
  | 'Source Disabled'
  | 'Source Modified'
  | 'Source Settings Modified';

export type AuditResourceType = 'destination' | 'subscription' | 'source';

export interface AuditEntry {
  type: AuditEventType;
  resourceType: AuditResourceType;
  resourceId: string;
  resourceName: string;
}

export async function recordAudit(db: Kysely<Database>, actor: AuthContext, entries: AuditEntry[]): Promise<void> {
  const now = Date.now();
  await audit.insertAuditEvents(
    db,
    entries.map((e) => ({
      workspace_id: actor.workspaceId,
      occurred_at: now,
      type: e.type,
      actor: actor.actor,
      resource_id: e.resourceId,
      resource_type: e.resourceType,
      resource_name: e.resourceName,
    })),
  );
}

export interface AuditQuery {
  startTime?: string;
  endTime?: string;
  resourceId?: string;
  resourceType?: string;
}

const RESOURCE_TYPES: Record<string, AuditResourceType> = {
  destination: 'destination',
  destinations: 'destination',
  subscription: 'subscription',
  subscriptions: 'subscription',
  source: 'source',
  sources: 'source',
};

function toWire(row: AuditEventRow) {
  return {
    id: `events/${row.seq}`,
    timestamp: new Date(row.occurred_at).toISOString(),
    type: row.type,
    actor: row.actor,
    resourceId: row.resource_id,
    resourceType: row.resource_type,
    resourceName: row.resource_name,
  };
}

export class AuditService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(workspaceId: string, query: AuditQuery, page: PageRequest) {
    const startTime = query.startTime === undefined ? undefined : parseTimestamp(query.startTime, 'startTime');
    const explicitEnd = query.endTime === undefined ? undefined : parseTimestamp(query.endTime, 'endTime');
    let resourceType: AuditResourceType | undefined;
    if (query.resourceType !== undefined) {
      resourceType = RESOURCE_TYPES[query.resourceType.toLowerCase()];
      if (!resourceType) throw invalidField('resourceType', '"resourceType" must be one of destination, subscription, source');
    }
    const decoded = decodeCursor(page.cursor, 'audit-events', workspaceId);
    // The first request pins the end of the window so events written during a walk never shift its pages.
    const endTime = explicitEnd ?? decoded.pinned ?? Date.now() + 1;
    if (startTime !== undefined && startTime >= endTime) {
      throw invalidField('startTime', '"startTime" must be earlier than "endTime"');
    }
    const filter: audit.AuditFilter = {
      workspaceId,
      endTime,
      ...(startTime !== undefined ? { startTime } : {}),
      ...(query.resourceId !== undefined ? { resourceId: query.resourceId } : {}),
      ...(resourceType ? { resourceType } : {}),
    };
    const result = await fetchPage({
      collection: 'audit-events',
      parent: workspaceId,
      request: page,
      decoded,
      pinned: endTime,
      keyOf: (row: AuditEventRow) => [row.seq, ''],
      fetch: (q) => audit.pageAuditEvents(this.db, filter, q),
      total: () => audit.countAuditEvents(this.db, filter),
    });
    return { events: result.items.map(toWire), pagination: result.pagination };
  }

  prune(retentionDays: number) {
    return audit.pruneAuditEvents(this.db, Date.now() - retentionDays * 86_400_000);
  }
}
