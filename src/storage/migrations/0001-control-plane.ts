import type { Kysely, Migration } from 'kysely';
import type { Storage } from '../database.js';

export function controlPlaneMigration({ caps }: Storage): Migration {
  const time = caps.bigint;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('subscriptions_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .execute();

      await db.schema
        .createTable('sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('metadata_id', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('sources_workspace_slug', ['workspace_id', 'slug'])
        .execute();
      await db.schema.createIndex('sources_page').on('sources').columns(['workspace_id', 'created_at', 'id']).execute();

      await db.schema
        .createTable('write_keys')
        .addColumn('write_key', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('write_keys_source').on('write_keys').columns(['source_id', 'created_at']).execute();

      await db.schema
        .createTable('destinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id').onDelete('cascade'))
        .addColumn('metadata_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('destinations_page')
        .on('destinations')
        .columns(['workspace_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('destinations_source')
        .on('destinations')
        .columns(['source_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('destination_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull().references('destinations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('action_id', 'text', (c) => c.notNull())
        .addColumn('action_slug', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('destination_subscriptions_page')
        .on('destination_subscriptions')
        .columns(['destination_id', 'created_at', 'id'])
        .execute();

      await caps
        .serialPrimaryKey(db.schema.createTable('audit_events'), 'seq')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('occurred_at', time, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_page').on('audit_events').columns(['workspace_id', 'seq']).execute();
      await db.schema.createIndex('audit_events_time').on('audit_events').columns(['occurred_at']).execute();

      await db.schema
        .createTable('config_version')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', time, (c) => c.notNull())
        .execute();
      await (db as Kysely<{ config_version: { id: number; version: number } }>)
        .insertInto('config_version')
        .values({ id: 1, version: 0 })
        .execute();
    },
  };
}
