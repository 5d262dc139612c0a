// Claiming work: an expiring lease plus a fencing token per claim. PostgreSQL skips rows other workers hold
// (`FOR UPDATE SKIP LOCKED`); SQLite serialises writers, so its single worker process needs no row locks.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../../storage/capabilities.js';
import type { Database, DeliveryRow } from '../../storage/schema.js';

export interface ClaimedDelivery {
  id: number;
  leaseToken: string;
  eventId: string;
  workspaceId: string;
  sourceId: string;
  destinationId: string;
  subscriptionId: string;
  receivedAt: number;
  /** Attempts already made before this claim. */
  attempts: number;
  firstAttemptAt: number | null;
}

function claimable(db: Kysely<Database>, now: number) {
  return db
    .selectFrom('deliveries')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', now)]));
}

/**
 * Destinations that have work ready now, for the scheduler's round robin. Probing each destination through
 * the (destination, next attempt) index stays cheap however deep the backlog is; a DISTINCT over the ready
 * rows would read all of them on every round.
 */
export async function readyDestinations(db: Kysely<Database>, now: number, limit = 1000): Promise<string[]> {
  const rows = await db
    .selectFrom('destinations')
    .select('destinations.id')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('deliveries')
          .select('deliveries.id')
          .whereRef('deliveries.destination_id', '=', 'destinations.id')
          .where('deliveries.next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('deliveries.leased_until', 'is', null), eb('deliveries.leased_until', '<', now)])),
      ),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function claimDeliveries(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  destinationId: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<ClaimedDelivery[]> {
  const leaseToken = randomUUID();
  const rows: DeliveryRow[] = await caps.withoutFlush(db, (db) =>
    db
      .updateTable('deliveries')
      .set({ lease_token: leaseToken, leased_until: now + leaseMs })
      .where('id', 'in', () => {
        const pick = claimable(db, now).select('id').where('destination_id', '=', destinationId).orderBy('next_attempt_at').limit(limit);
        return caps.skipLocked ? pick.forUpdate().skipLocked() : pick;
      })
      .returningAll()
      .execute(),
  );
  return rows.map((r) => ({
    id: r.id,
    leaseToken,
    eventId: r.event_id,
    workspaceId: r.workspace_id,
    sourceId: r.source_id,
    destinationId: r.destination_id,
    subscriptionId: r.subscription_id,
    receivedAt: r.received_at,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
  }));
}

export async function loadEventBodies(db: Kysely<Database>, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('events').select(['id', 'body']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, JSON.parse(r.body) as Record<string, unknown>]));
}

export async function countQueued(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
