import type { Kysely, Migration } from 'kysely';
import type { Storage } from '../database.js';

export function dataPlaneMigration({ caps }: Storage): Migration {
  const time = caps.bigint;
  return {
    async up(db: Kysely<unknown>) {
      // Every accepted event, kept while deliveries or dead letters reference it (and for the retention window).
      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_received').on('events').columns(['received_at']).execute();

      // Dedup keys: (source, messageId) within the window; insert-or-ignore tells a duplicate apart.
      await db.schema
        .createTable('event_dedup')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('received_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('event_dedup_pk', ['source_id', 'message_id'])
        .execute();
      await db.schema.createIndex('event_dedup_received').on('event_dedup').columns(['received_at']).execute();

      // The queue: one row per live delivery (event × subscription). Terminal outcomes remove the row.
      await caps
        .serialPrimaryKey(db.schema.createTable('deliveries'), 'id')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull().references('destinations.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull().references('destination_subscriptions.id').onDelete('cascade'))
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('first_attempt_at', time)
        .addColumn('next_attempt_at', time, (c) => c.notNull())
        .addColumn('lease_token', 'text')
        .addColumn('leased_until', time)
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('deliveries_ready')
        .on('deliveries')
        .columns(['destination_id', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('deliveries_event').on('deliveries').columns(['event_id']).execute();
      // Removing a subscription removes its queued deliveries through this index, not a full scan.
      await db.schema.createIndex('deliveries_subscription').on('deliveries').columns(['subscription_id']).execute();

      await caps
        .serialPrimaryKey(db.schema.createTable('dead_letters'), 'id')
        .addColumn('delivery_id', time, (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull().references('destinations.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('response_excerpt', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('first_attempt_at', time)
        .addColumn('last_attempt_at', time, (c) => c.notNull())
        .addColumn('replayed_at', time)
        .execute();
      await db.schema
        .createIndex('dead_letters_destination')
        .on('dead_letters')
        .columns(['destination_id', 'last_attempt_at', 'id'])
        .execute();

      // Per-minute outcome counters per (destination, source); HOUR/DAY summaries sum these, never deliveries.
      await db.schema
        .createTable('delivery_metrics')
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('minute', time, (c) => c.notNull())
        .addColumn('successes_first', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('successes_retry', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expired', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('discarded', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('retried', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('success_ms_sum', time, (c) => c.notNull().defaultTo(0))
        .addColumn('first_attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('first_attempt_ms_sum', time, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('delivery_metrics_pk', ['destination_id', 'source_id', 'minute'])
        .execute();

      // Log-scale latency histograms per minute, merged by summing bucket counts (p95 within 10%).
      await db.schema
        .createTable('delivery_latency')
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('minute', time, (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_latency_pk', ['destination_id', 'source_id', 'minute', 'metric', 'bucket'])
        .execute();
    },
  };
}
