// Recording attempt outcomes. Each outcome is fenced by the claim's lease token (a worker whose lease expired
// and was re-claimed changes nothing) and feeds the per-minute metrics. Outcomes that arrive together are
// committed together (group commit): a durable commit costs a disk flush, so one per outcome would cap a worker
// at the disk's flush rate.
import type { Kysely } from 'kysely';
import type { Database, DeliveryLatencyTable } from '../../storage/schema.js';
import { incrementMetrics, minuteOf, recordLatencyCounts, type MetricIncrements } from '../aggregation/metrics.repository.js';
import type { ClaimedDelivery } from './claim.js';
import { inTransaction } from '../../storage/transaction.js';

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

interface PendingSettle {
  claim: ClaimedDelivery;
  settlement: Settlement;
  timing: SettleTiming;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

/** Removes the claimed rows still held under their lease token; returns the ids actually removed. */
async function removeFenced(trx: Kysely<Database>, items: PendingSettle[]): Promise<Set<number>> {
  const removed = new Set<number>();
  const byToken = new Map<string, number[]>();
  for (const { claim } of items) byToken.set(claim.leaseToken, [...(byToken.get(claim.leaseToken) ?? []), claim.id]);
  for (const [token, ids] of byToken) {
    const rows = await trx.deleteFrom('deliveries').where('lease_token', '=', token).where('id', 'in', ids).returning('id').execute();
    for (const row of rows) removed.add(row.id);
  }
  return removed;
}

async function rescheduleFenced(trx: Kysely<Database>, { claim, settlement, timing }: PendingSettle): Promise<boolean> {
  if (settlement.kind !== 'retry') return false;
  const result = await trx
    .updateTable('deliveries')
    .set({
      attempts: claim.attempts + (timing.attempted ? 1 : 0),
      first_attempt_at: claim.firstAttemptAt ?? (timing.attempted ? timing.startedAt : null),
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

function deadLetterRow({ claim, settlement, timing }: PendingSettle) {
  if (settlement.kind !== 'dead') throw new Error('not a dead letter');
  return {
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
    attempts: claim.attempts + (timing.attempted ? 1 : 0),
    first_attempt_at: claim.firstAttemptAt ?? (timing.attempted ? timing.startedAt : null),
    last_attempt_at: timing.finishedAt,
    replayed_at: null,
  };
}

/** Applies a group of outcomes in the caller's transaction; returns which ones still held their lease. */
async function applyGroup(trx: Kysely<Database>, group: PendingSettle[]): Promise<boolean[]> {
  const finished = group.filter((item) => item.settlement.kind !== 'retry');
  const removed = await removeFenced(trx, finished);
  const dead = finished.filter((item) => item.settlement.kind === 'dead' && removed.has(item.claim.id));
  // Chunked to stay under SQLite's bound-parameter limit.
  for (let i = 0; i < dead.length; i += 100) {
    await trx.insertInto('dead_letters').values(dead.slice(i, i + 100).map(deadLetterRow)).execute();
  }
  const applied: boolean[] = [];
  for (const item of group) {
    applied.push(item.settlement.kind === 'retry' ? await rescheduleFenced(trx, item) : removed.has(item.claim.id));
  }
  return applied;
}

/** Sums the metric updates of many outcomes per (destination, source, minute) so each row is written once. */
class MetricBatch {
  private readonly counters = new Map<string, { destinationId: string; sourceId: string; at: number; inc: MetricIncrements }>();
  private readonly latency = new Map<string, { destinationId: string; sourceId: string; at: number; metric: DeliveryLatencyTable['metric']; samples: number[] }>();

  add(claim: ClaimedDelivery, at: number, increments: MetricIncrements): void {
    const key = `${claim.destinationId}|${claim.sourceId}|${minuteOf(at)}`;
    const entry = this.counters.get(key) ?? { destinationId: claim.destinationId, sourceId: claim.sourceId, at, inc: {} };
    for (const [column, value] of Object.entries(increments) as [keyof MetricIncrements, number][]) {
      entry.inc[column] = (entry.inc[column] ?? 0) + value;
    }
    this.counters.set(key, entry);
  }

  sample(claim: ClaimedDelivery, at: number, metric: DeliveryLatencyTable['metric'], ms: number): void {
    const key = `${claim.destinationId}|${claim.sourceId}|${minuteOf(at)}|${metric}`;
    const entry = this.latency.get(key) ?? { destinationId: claim.destinationId, sourceId: claim.sourceId, at, metric, samples: [] };
    entry.samples.push(ms);
    this.latency.set(key, entry);
  }

  async write(trx: Kysely<Database>): Promise<void> {
    for (const c of this.counters.values()) await incrementMetrics(trx, c, c.at, c.inc);
    for (const l of this.latency.values()) await recordLatencyCounts(trx, l, l.at, l.metric, l.samples);
  }
}

function collectMetrics(batch: MetricBatch, { claim, settlement, timing }: PendingSettle): void {
  if (claim.attempts === 0 && timing.attempted) {
    const wait = Math.max(0, timing.startedAt - claim.receivedAt);
    batch.add(claim, timing.startedAt, { first_attempt_count: 1, first_attempt_ms_sum: wait });
    batch.sample(claim, timing.startedAt, 'time_to_first_attempt', wait);
  }
  switch (settlement.kind) {
    case 'delivered': {
      const elapsed = Math.max(0, timing.finishedAt - claim.receivedAt);
      batch.add(claim, timing.finishedAt, { [claim.attempts === 0 ? 'successes_first' : 'successes_retry']: 1, success_ms_sum: elapsed });
      batch.sample(claim, timing.finishedAt, 'time_to_success', elapsed);
      break;
    }
    case 'retry':
      batch.add(claim, timing.finishedAt, { retried: 1 });
      break;
    case 'dead':
      batch.add(claim, timing.finishedAt, { [settlement.outcome]: 1 });
  }
}

/**
 * Returns the settle function of the queue port. It resolves to false when the lease was lost, in which case
 * nothing was written for that delivery.
 */
export function createSettler(db: Kysely<Database>) {
  let pending: PendingSettle[] = [];
  let flushing: Promise<void> | undefined;

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      // Rows are always touched in id order, so concurrent writers of the same rows wait instead of deadlocking.
      const group = pending.sort((a, b) => a.claim.id - b.claim.id);
      pending = [];
      try {
        const applied = await inTransaction(db, async (trx) => {
          const results = await applyGroup(trx, group);
          const metrics = new MetricBatch();
          group.forEach((item, i) => {
            if (results[i]) collectMetrics(metrics, item);
          });
          await metrics.write(trx);
          return results;
        });
        group.forEach((item, i) => item.resolve(applied[i]!));
      } catch (error) {
        for (const item of group) item.reject(error);
      }
    }
    flushing = undefined;
  }

  return (claim: ClaimedDelivery, settlement: Settlement, timing: SettleTiming): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      pending.push({ claim, settlement, timing, resolve, reject });
      // Outcomes settled while a commit is in progress ride on the next one.
      flushing ??= Promise.resolve().then(flush);
    });
}
