// Per-minute delivery counters and latency histograms, written in the same transaction as each outcome.
import { sql, type Kysely } from 'kysely';
import type { Database, DeliveryLatencyTable, DeliveryMetricsTable } from '../../storage/schema.js';
import { latencyBucket } from './latency-histogram.js';

type Counter = Exclude<keyof DeliveryMetricsTable, 'destination_id' | 'source_id' | 'minute'>;
export type MetricIncrements = Partial<Record<Counter, number>>;

export interface MetricKey {
  destinationId: string;
  sourceId: string;
}

export function minuteOf(time: number): number {
  return time - (time % 60_000);
}

export async function incrementMetrics(db: Kysely<Database>, key: MetricKey, at: number, increments: MetricIncrements) {
  const entries = Object.entries(increments).filter(([, v]) => v !== undefined && v !== 0) as [Counter, number][];
  if (entries.length === 0) return;
  const row = { destination_id: key.destinationId, source_id: key.sourceId, minute: minuteOf(at), ...Object.fromEntries(entries) };
  await db
    .insertInto('delivery_metrics')
    .values(row as DeliveryMetricsTable)
    .onConflict((oc) =>
      oc.columns(['destination_id', 'source_id', 'minute']).doUpdateSet(
        Object.fromEntries(entries.map(([column]) => [column, sql`delivery_metrics.${sql.ref(column)} + excluded.${sql.ref(column)}`])),
      ),
    )
    .execute();
}

/** Adds latency samples to their log-scale buckets (one upsert per distinct bucket). */
export async function recordLatencyCounts(
  db: Kysely<Database>,
  key: MetricKey,
  at: number,
  metric: DeliveryLatencyTable['metric'],
  samples: readonly number[],
): Promise<void> {
  const counts = new Map<number, number>();
  for (const ms of samples) counts.set(latencyBucket(ms), (counts.get(latencyBucket(ms)) ?? 0) + 1);
  const minute = minuteOf(at);
  for (const [bucket, count] of counts) {
    await db
      .insertInto('delivery_latency')
      .values({ destination_id: key.destinationId, source_id: key.sourceId, minute, metric, bucket, count })
      .onConflict((oc) =>
        oc
          .columns(['destination_id', 'source_id', 'minute', 'metric', 'bucket'])
          .doUpdateSet({ count: sql`delivery_latency.count + excluded.count` }),
      )
      .execute();
  }
}

export interface MetricWindow extends MetricKey {
  from: number;
  to: number;
}

export async function sumMetrics(db: Kysely<Database>, w: MetricWindow) {
  const row = await db
    .selectFrom('delivery_metrics')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('successes_first'), eb.lit(0)).as('successes_first'),
      eb.fn.coalesce(eb.fn.sum<number>('successes_retry'), eb.lit(0)).as('successes_retry'),
      eb.fn.coalesce(eb.fn.sum<number>('expired'), eb.lit(0)).as('expired'),
      eb.fn.coalesce(eb.fn.sum<number>('discarded'), eb.lit(0)).as('discarded'),
      eb.fn.coalesce(eb.fn.sum<number>('retried'), eb.lit(0)).as('retried'),
      eb.fn.coalesce(eb.fn.sum<number>('success_ms_sum'), eb.lit(0)).as('success_ms_sum'),
      eb.fn.coalesce(eb.fn.sum<number>('first_attempt_count'), eb.lit(0)).as('first_attempt_count'),
      eb.fn.coalesce(eb.fn.sum<number>('first_attempt_ms_sum'), eb.lit(0)).as('first_attempt_ms_sum'),
    ])
    .where('destination_id', '=', w.destinationId)
    .where('source_id', '=', w.sourceId)
    .where('minute', '>=', w.from)
    .where('minute', '<', w.to)
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as Record<keyof typeof row, number>;
}

export async function latencyCounts(db: Kysely<Database>, w: MetricWindow, metric: DeliveryLatencyTable['metric']) {
  const rows = await db
    .selectFrom('delivery_latency')
    .select((eb) => ['bucket', eb.fn.sum<number>('count').as('count')])
    .where('destination_id', '=', w.destinationId)
    .where('source_id', '=', w.sourceId)
    .where('metric', '=', metric)
    .where('minute', '>=', w.from)
    .where('minute', '<', w.to)
    .groupBy('bucket')
    .execute();
  return new Map(rows.map((r) => [Number(r.bucket), Number(r.count)]));
}

export async function pruneMetrics(db: Kysely<Database>, olderThan: number): Promise<void> {
  await db.deleteFrom('delivery_metrics').where('minute', '<', olderThan).execute();
  await db.deleteFrom('delivery_latency').where('minute', '<', olderThan).execute();
}
