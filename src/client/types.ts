// Wire types of the Switchyard Public API (Segment Public API Destinations resources plus our extensions).
// Field names are exactly what the server sends; optional keys are the ones the server may leave out.

export type JsonObject = Record<string, unknown>;

/** Output pagination: `next` is absent on the last page, `previous` on the first. */
export interface Pagination {
  current: string;
  next?: string;
  previous?: string;
  totalEntries: number;
}

/** Input pagination of every list: page size (1..1000, server default 200) and a cursor from `next`/`previous`. */
export interface PageParams {
  count?: number;
  cursor?: string;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
}

export interface IntegrationOption {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  label?: string;
}

export interface SourceMetadata {
  id: string;
  slug: string;
  name: string;
  description: string;
  categories: string[];
  logos: { default: string; mark?: string | null; alt?: string };
  options: IntegrationOption[];
  isCloudEventSource: boolean;
}

export interface Source {
  id: string;
  slug: string;
  name: string;
  workspaceId: string;
  enabled: boolean;
  writeKeys: string[];
  settings: JsonObject;
  labels: Array<{ key: string; value: string; description?: string }>;
  metadata: SourceMetadata;
}

export type ActionFieldType = 'BOOLEAN' | 'DATETIME' | 'HIDDEN' | 'INTEGER' | 'NUMBER' | 'OBJECT' | 'PASSWORD' | 'STRING' | 'TEXT';

export interface DestinationActionField {
  id: string;
  sortOrder: number;
  fieldKey: string;
  label: string;
  type: ActionFieldType;
  description: string;
  required: boolean;
  multiple: boolean;
  dynamic: boolean;
  allowNull: boolean;
  defaultValue?: unknown;
  choices?: unknown[] | null;
}

export interface DestinationAction {
  id: string;
  slug: string;
  name: string;
  description: string;
  platform: 'CLOUD' | 'MOBILE' | 'WEB';
  hidden: boolean;
  defaultTrigger?: string | null;
  fields: DestinationActionField[];
}

export interface SubscriptionPreset {
  actionId: string;
  name: string;
  trigger: string;
  fields: JsonObject;
}

export interface DestinationMetadata {
  id: string;
  name: string;
  slug: string;
  description: string;
  website: string;
  status: 'DEPRECATED' | 'PRIVATE_BETA' | 'PRIVATE_BUILDING' | 'PRIVATE_SUBMITTED' | 'PUBLIC' | 'PUBLIC_BETA' | 'UNAVAILABLE';
  categories: string[];
  previousNames: string[];
  logos: { default: string; mark?: string | null; alt?: string };
  options: IntegrationOption[];
  components: { type: 'ANDROID' | 'BROWSER' | 'IOS' | 'SERVER'; owner?: 'PARTNER' | 'SEGMENT'; code: string }[];
  supportedFeatures: JsonObject;
  supportedMethods: Record<string, boolean>;
  supportedPlatforms: Record<string, boolean>;
  actions: DestinationAction[];
  presets: SubscriptionPreset[];
  contacts?: { name?: string; email: string; role?: string; isPrimary?: boolean }[];
  partnerOwned?: boolean;
  supportedRegions?: string[];
  regionEndpoints?: string[];
}

export interface Destination {
  id: string;
  /** `""` when never set. */
  name: string;
  enabled: boolean;
  sourceId: string;
  /** Stored settings; secrets come back as ten `•` characters. */
  settings: JsonObject;
  metadata: DestinationMetadata;
}

export interface Subscription {
  id: string;
  name: string;
  actionId: string;
  actionSlug: string;
  destinationId: string;
  trigger: string;
  enabled: boolean;
  /** The action mapping, as stored. */
  settings: JsonObject;
  modelId?: string;
}

export interface AuditEvent {
  id: string;
  timestamp: string;
  type: string;
  actor: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
}

export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';

export interface MetricSummary {
  metricName: 'successes' | 'expired' | 'discarded' | 'retried' | 'time_to_success' | 'time_to_first_attempt' | (string & {});
  total: number;
  breakdown?: Array<{ metricName: string; value: number }>;
}

export interface DeliveryMetricsSummary {
  sourceId: string;
  destinationMetadataId: string;
  /** Always six metrics in a fixed order; durations in milliseconds. */
  metrics: MetricSummary[];
}

/** A dead letter of a destination (our extension). */
export interface FailedDelivery {
  id: string;
  eventId: string;
  /** null once the event itself has been pruned. */
  messageId: string | null;
  subscriptionId: string;
  sourceId: string;
  outcome: 'discarded' | 'expired';
  reason: string;
  status: number | null;
  error: string;
  responseExcerpt: string | null;
  attempts: number;
  firstAttemptAt: string | null;
  lastAttemptAt: string;
  replayedAt: string | null;
}

/** An event a source received, as the live tail shows it (our extension). */
export interface SourceEvent {
  id: string;
  type: string;
  /** The track event name, or the page/screen name; null for other types. */
  event: string | null;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  receivedAt: string;
}

export interface SourceEventsPage {
  /** Oldest first. */
  events: SourceEvent[];
  /** Pass back as `after` to get only events received since. */
  cursor: string;
}

/** Inputs. A time as an RFC 3339 string or a Date (sent as ISO 8601 UTC). */
export type TimeInput = string | Date;

export interface CreateSourceInput {
  slug: string;
  enabled: boolean;
  metadataId: string;
  settings?: JsonObject;
}

export interface UpdateSourceInput {
  name?: string;
  slug?: string;
  enabled?: boolean;
  /** Shallow merge; a key set to null is deleted. */
  settings?: JsonObject;
}

export interface CreateDestinationInput {
  sourceId: string;
  metadataId: string;
  settings: JsonObject;
  enabled?: boolean;
  name?: string;
}

export interface UpdateDestinationInput {
  /** null resets the name to `""`. */
  name?: string | null;
  enabled?: boolean;
  /** Shallow merge; a key set to null is deleted. */
  settings?: JsonObject;
}

export interface CreateSubscriptionInput {
  name: string;
  actionId: string;
  trigger: string;
  enabled: boolean;
  settings?: JsonObject;
  modelId?: string;
}

export interface UpdateSubscriptionInput {
  name?: string;
  trigger?: string;
  enabled?: boolean;
  /** Replaces the whole mapping. */
  settings?: JsonObject;
}

export interface DeliveryMetricsQuery {
  sourceId: string;
  startTime?: TimeInput;
  endTime?: TimeInput;
  granularity?: Granularity;
}

export interface FailedDeliveriesQuery extends PageParams {
  reason?: string;
  subscriptionId?: string;
}

export interface ReplayInput {
  subscriptionId?: string;
  reason?: string;
  since?: TimeInput;
  until?: TimeInput;
}

export interface ReplayResult {
  replayed: number;
}

export interface AuditEventsQuery extends PageParams {
  startTime?: TimeInput;
  endTime?: TimeInput;
  resourceId?: string;
  resourceType?: string;
}

export interface SourceEventsQuery {
  /** A cursor from an earlier answer; without it the latest events are returned. */
  after?: string;
  /** 1..200, default 20. */
  limit?: number;
}
