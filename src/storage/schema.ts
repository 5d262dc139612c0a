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

export interface EventsTable {
  id: string;
  workspace_id: string;
  source_id: string;
  message_id: string;
  type: string;
  received_at: number;
  body: string;
}

export interface EventDedupTable {
  source_id: string;
  message_id: string;
  received_at: number;
}

export interface DeliveriesTable {
  id: Generated<number>;
  event_id: string;
  workspace_id: string;
  source_id: string;
  destination_id: string;
  subscription_id: string;
  received_at: number;
  attempts: Generated<number>;
  first_attempt_at: number | null;
  next_attempt_at: number;
  lease_token: string | null;
  leased_until: number | null;
  last_error: string | null;
}

export interface DeadLettersTable {
  id: Generated<number>;
  delivery_id: number;
  event_id: string;
  workspace_id: string;
  source_id: string;
  destination_id: string;
  subscription_id: string;
  received_at: number;
  outcome: 'discarded' | 'expired';
  reason: string;
  status: number | null;
  error: string;
  response_excerpt: string | null;
  attempts: number;
  first_attempt_at: number | null;
  last_attempt_at: number;
  replayed_at: number | null;
}

export interface DeliveryMetricsTable {
  destination_id: string;
  source_id: string;
  minute: number;
  successes_first: number;
  successes_retry: number;
  expired: number;
  discarded: number;
  retried: number;
  success_ms_sum: number;
  first_attempt_count: number;
  first_attempt_ms_sum: number;
}

export interface DeliveryLatencyTable {
  destination_id: string;
  source_id: string;
  minute: number;
  metric: 'time_to_success' | 'time_to_first_attempt';
  bucket: number;
  count: number;
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
  events: EventsTable;
  event_dedup: EventDedupTable;
  deliveries: DeliveriesTable;
  dead_letters: DeadLettersTable;
  delivery_metrics: DeliveryMetricsTable;
  delivery_latency: DeliveryLatencyTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SourceRow = Selectable<SourcesTable>;
export type DestinationRow = Selectable<DestinationsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type NewDelivery = Insertable<DeliveriesTable>;
export type DeadLetterRow = Selectable<DeadLettersTable>;
export type EventRow = Selectable<EventsTable>;
