// Row types of every table. Times are epoch milliseconds; booleans are 0/1 integers and JSON is text,
// so one query code path serves SQLite and PostgreSQL alike.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface WorkspacesTable {
  id: string;
  name: string;
  slug: string;
  subscriptions_enabled: number;
  created_at: number;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  token_hash: string;
  role: 'owner' | 'read-only';
  label: string;
  created_at: number;
  revoked_at: number | null;
}

export interface SourcesTable {
  id: string;
  workspace_id: string;
  slug: string;
  name: string;
  enabled: number;
  metadata_id: string;
  settings: string;
  created_at: number;
}

export interface WriteKeysTable {
  write_key: string;
  source_id: string;
  workspace_id: string;
  created_at: number;
}

export interface DestinationsTable {
  id: string;
  workspace_id: string;
  source_id: string;
  metadata_id: string;
  name: string;
  enabled: number;
  settings: string;
  created_at: number;
}

export interface SubscriptionsTable {
  id: string;
  workspace_id: string;
  destination_id: string;
  name: string;
  action_id: string;
  action_slug: string;
  trigger: string;
  enabled: number;
  settings: string;
  model_id: string | null;
  created_at: number;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  workspace_id: string;
  occurred_at: number;
  type: string;
  actor: string;
  resource_id: string;
  resource_type: string;
  resource_name: string;
}

/** One row whose version moves on every change that affects routing, so other processes notice. */
export interface ConfigVersionTable {
  id: number;
  version: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  api_tokens: ApiTokensTable;
  sources: SourcesTable;
  write_keys: WriteKeysTable;
  destinations: DestinationsTable;
  destination_subscriptions: SubscriptionsTable;
  audit_events: AuditEventsTable;
  config_version: ConfigVersionTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SourceRow = Selectable<SourcesTable>;
export type DestinationRow = Selectable<DestinationsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
