// Periodic clean-up so no table grows without bound: dedup keys past the window, delivered events past
// retention, dead letters, metric buckets and audit events past theirs.
import { sql, type Kysely } from 'kysely';
import type { RetentionConfig } from '../config/config.js';
import type { Database } from '../storage/schema.js';
import { pruneMetrics } from './aggregation/metrics.repository.js';

export interface PruneResult {
  dedupKeys: number;
  events: number;
  deadLetters: number;
  auditEvents: number;
}

export async function pruneExpiredData(
  db: Kysely<Database>,
  retention: RetentionConfig & { auditRetentionMs: number },
  now = Date.now(),
): Promise<PruneResult> {
  const dedup = await db.deleteFrom('event_dedup').where('received_at', '<', now - retention.dedupWindowMs).executeTakeFirst();
  const deadLetters = await db
    .deleteFrom('dead_letters')
    .where('last_attempt_at', '<', now - retention.deadLetterRetentionMs)
    .executeTakeFirst();
  // An event stays while any live delivery or dead letter still needs its body.
  const events = await db
    .deleteFrom('events')
    .where('received_at', '<', now - retention.eventRetentionMs)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('deliveries').select(sql.lit(1).as('one')).whereRef('deliveries.event_id', '=', 'events.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('dead_letters').select(sql.lit(1).as('one')).whereRef('dead_letters.event_id', '=', 'events.id'))),
    )
    .executeTakeFirst();
  await pruneMetrics(db, now - retention.metricsRetentionMs);
  const audit = await db.deleteFrom('audit_events').where('occurred_at', '<', now - retention.auditRetentionMs).executeTakeFirst();
  return {
    dedupKeys: Number(dedup.numDeletedRows),
    events: Number(events.numDeletedRows),
    deadLetters: Number(deadLetters.numDeletedRows),
    auditEvents: Number(audit.numDeletedRows),
  };
}
