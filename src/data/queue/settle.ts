// Recording an attempt's outcome: one small transaction that is fenced by the claim's lease token (a worker
// whose lease expired and was re-claimed changes nothing) and feeds the per-minute metrics.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { incrementMetrics, recordLatency, type MetricIncrements } from '../aggregation/metrics.repository.js';
import type { ClaimedDelivery } from './claim.js';

export type Settlement =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: number; error: string }
  | {
      kind: 'dead';
      outcome: 'discarded' | 'expired';
      reason: string;
      status?: number;
      error: string;
      responseExcerpt?: string;
    };

export interface SettleTiming {
  /** When this attempt started. */
  startedAt: number;
  /** When the outcome was known. */
  finishedAt: number;
  /** False when no request was made (destination or subscription disabled at attempt time). */
  attempted: boolean;
}

async function applyFenced(trx: Kysely<Database>, claim: ClaimedDelivery, settlement: Settlement, timing: SettleTiming) {
  const attempts = claim.attempts + (timing.attempted ? 1 : 0);
  const firstAttemptAt = claim.firstAttemptAt ?? (timing.attempted ? timing.startedAt : null);
  if (settlement.kind === 'retry') {
    const result = await trx
      .updateTable('deliveries')
      .set({
        attempts,
        first_attempt_at: firstAttemptAt,
        next_attempt_at: settlement.nextAttemptAt,
        lease_token: null,
        leased_until: null,
        last_error: settlement.error,
      })
      .where('id', '=', claim.id)
      .where('lease_token', '=', claim.leaseToken)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
  const removed = await trx
    .deleteFrom('deliveries')
    .where('id', '=', claim.id)
    .where('lease_token', '=', claim.leaseToken)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) return false;
  if (settlement.kind === 'dead') {
    await trx
      .insertInto('dead_letters')
      .values({
        delivery_id: claim.id,
        event_id: claim.eventId,
        workspace_id: claim.workspaceId,
        source_id: claim.sourceId,
        destination_id: claim.destinationId,
        subscription_id: claim.subscriptionId,
        received_at: claim.receivedAt,
        outcome: settlement.outcome,
        reason: settlement.reason,
        status: settlement.status ?? null,
        error: settlement.error,
        response_excerpt: settlement.responseExcerpt ?? null,
        attempts,
        first_attempt_at: firstAttemptAt,
        last_attempt_at: timing.finishedAt,
        replayed_at: null,
      })
      .execute();
  }
  return true;
}

function outcomeIncrements(claim: ClaimedDelivery, settlement: Settlement, timing: SettleTiming): MetricIncrements {
  switch (settlement.kind) {
    case 'delivered':
      return {
        [claim.attempts === 0 ? 'successes_first' : 'successes_retry']: 1,
        success_ms_sum: timing.finishedAt - claim.receivedAt,
      };
    case 'retry':
      return { retried: 1 };
    case 'dead':
      return { [settlement.outcome]: 1 };
  }
}

/** Returns false when the lease was lost, in which case nothing was written. */
export async function settleDelivery(
  db: Kysely<Database>,
  claim: ClaimedDelivery,
  settlement: Settlement,
  timing: SettleTiming,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await applyFenced(trx, claim, settlement, timing))) return false;
    const key = { destinationId: claim.destinationId, sourceId: claim.sourceId };
    if (claim.attempts === 0 && timing.attempted) {
      const wait = Math.max(0, timing.startedAt - claim.receivedAt);
      await incrementMetrics(trx, key, timing.startedAt, { first_attempt_count: 1, first_attempt_ms_sum: wait });
      await recordLatency(trx, key, timing.startedAt, 'time_to_first_attempt', wait);
    }
    await incrementMetrics(trx, key, timing.finishedAt, outcomeIncrements(claim, settlement, timing));
    if (settlement.kind === 'delivered') {
      await recordLatency(trx, key, timing.finishedAt, 'time_to_success', Math.max(0, timing.finishedAt - claim.receivedAt));
    }
    return true;
  });
}
