// Dead letters: discarded or expired deliveries kept for inspection and replay (data-plane.md §8).
import { sql, type Kysely } from 'kysely';
import type { PageQuery } from '../../control/paging.js';
import { keysetPage } from '../../storage/keyset.js';
import type { Database, DeadLetterRow, NewDelivery } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';

export interface DeadLetterFilter {
  destinationId: string;
  subscriptionId?: string;
  reason?: string;
}

export interface ReplayFilter extends DeadLetterFilter {
  /** Dead letters whose last attempt happened at or after this time (epoch ms). */
  since?: number;
  /** Dead letters whose last attempt happened before this time (epoch ms). */
  until?: number;
}

export type DeadLetterWithMessage = DeadLetterRow & { message_id: string | null };

function filtered(db: Kysely<Database>, filter: DeadLetterFilter) {
  let query = db.selectFrom('dead_letters').where('dead_letters.destination_id', '=', filter.destinationId);
  if (filter.subscriptionId !== undefined) query = query.where('dead_letters.subscription_id', '=', filter.subscriptionId);
  if (filter.reason !== undefined) query = query.where('dead_letters.reason', '=', filter.reason);
  return query;
}

/** Newest failure first; the id breaks ties between failures of the same millisecond. */
export async function pageDeadLetters(db: Kysely<Database>, filter: DeadLetterFilter, page: PageQuery): Promise<DeadLetterWithMessage[]> {
  const query = filtered(db, filter)
    .leftJoin('events', 'events.id', 'dead_letters.event_id')
    .selectAll('dead_letters')
    .select('events.message_id');
  return keysetPage(query, { sort: 'dead_letters.last_attempt_at', id: 'dead_letters.id' }, page, false).execute();
}

export async function countDeadLetters(db: Kysely<Database>, filter?: DeadLetterFilter): Promise<number> {
  const base = filter ? filtered(db, filter) : db.selectFrom('dead_letters');
  const row = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Not yet replayed, matching the filter, and no newer than `upToId` (so a replay never chases its own failures). */
function unreplayed(db: Kysely<Database>, filter: ReplayFilter, upToId: number) {
  let query = filtered(db, filter).where('dead_letters.replayed_at', 'is', null).where('dead_letters.id', '<=', upToId);
  if (filter.since !== undefined) query = query.where('dead_letters.last_attempt_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('dead_letters.last_attempt_at', '<', filter.until);
  return query;
}

/** Replay needs the stored event body and a subscription that still belongs to the destination. */
function replayable(db: Kysely<Database>, filter: ReplayFilter, upToId: number) {
  return unreplayed(db, filter, upToId)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('events').select(sql.lit(1).as('one')).whereRef('events.id', '=', 'dead_letters.event_id')),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('destination_subscriptions')
          .select(sql.lit(1).as('one'))
          .whereRef('destination_subscriptions.id', '=', 'dead_letters.subscription_id')
          .whereRef('destination_subscriptions.destination_id', '=', 'dead_letters.destination_id'),
      ),
    );
}

export async function latestDeadLetterId(db: Kysely<Database>, destinationId: string): Promise<number> {
  const row = await db
    .selectFrom('dead_letters')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('destination_id', '=', destinationId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function countReplayCandidates(db: Kysely<Database>, filter: ReplayFilter, upToId: number) {
  const count = (query: ReturnType<typeof unreplayed>) =>
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow().then((r) => Number(r.total));
  const [matching, replayableCount] = await Promise.all([count(unreplayed(db, filter, upToId)), count(replayable(db, filter, upToId))]);
  return { replayable: replayableCount, orphaned: matching - replayableCount };
}

export async function replayableIds(db: Kysely<Database>, filter: ReplayFilter, afterId: number, upToId: number, limit: number) {
  const rows = await replayable(db, filter, upToId)
    .select('dead_letters.id')
    .where('dead_letters.id', '>', afterId)
    .orderBy('dead_letters.id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * Marks the dead letters replayed and queues a fresh delivery for each, in one transaction. Only rows this call
 * actually flipped get a delivery, so two concurrent replays never queue the same dead letter twice.
 */
export async function replayDeadLetterChunk(db: Kysely<Database>, filter: ReplayFilter, ids: number[], now: number): Promise<number> {
  if (ids.length === 0) return 0;
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable('dead_letters')
      .set({ replayed_at: now })
      .where('id', 'in', ids)
      .where('replayed_at', 'is', null)
      .where('id', 'in', replayable(trx, filter, Number.MAX_SAFE_INTEGER).select('dead_letters.id'))
      .returning(['event_id', 'workspace_id', 'source_id', 'destination_id', 'subscription_id'])
      .execute();
    if (claimed.length === 0) return 0;
    // Latency metrics of the new delivery start at the replay: a week in the dead-letter store is not delivery time.
    const deliveries: NewDelivery[] = claimed.map((row) => ({
      event_id: row.event_id,
      workspace_id: row.workspace_id,
      source_id: row.source_id,
      destination_id: row.destination_id,
      subscription_id: row.subscription_id,
      received_at: now,
      next_attempt_at: now,
      first_attempt_at: null,
      lease_token: null,
      leased_until: null,
      last_error: null,
    }));
    await trx.insertInto('deliveries').values(deliveries).execute();
    return claimed.length;
  });
}
