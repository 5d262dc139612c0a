// Configuration is read from the environment once, validated, and frozen. Nothing else reads process.env.
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite file in dataDir is used. */
  readonly databaseUrl: string | undefined;
  readonly bootstrapToken: string | undefined;
  /** Requests per minute per token; 0 disables the general limit. */
  readonly rateLimitPerMinute: number;
  /** Successful subscription writes per minute per token and operation; 0 disables. */
  readonly subscriptionWritesPerMinute: number;
  readonly logLevel: string;
  readonly auditRetentionDays: number;
  readonly delivery: DeliveryConfig;
  readonly retention: RetentionConfig;
  /** Outbound address rules for deliveries (SSRF guard). */
  readonly outbound: OutboundConfig;
}

export interface DeliveryConfig {
  /** Per-attempt timeout of a destination request. */
  readonly timeoutMs: number;
  /** A delivery expires once its next attempt would start this long after its first attempt. */
  readonly maxAgeMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly perDestinationConcurrency: number;
  readonly workerConcurrency: number;
  readonly leaseMs: number;
  readonly idlePollMs: number;
}

export interface RetentionConfig {
  readonly dedupWindowMs: number;
  readonly eventRetentionMs: number;
  readonly deadLetterRetentionMs: number;
  readonly metricsRetentionMs: number;
}

export interface OutboundConfig {
  /** CIDR blocks or host names refused in addition to link-local and cloud metadata addresses. */
  readonly deny: readonly string[];
  /** CIDR blocks or host names allowed even when a default rule would refuse them. */
  readonly allow: readonly string[];
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readConfig(env: Env = process.env): Config {
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  }
  const bootstrapToken = env.SWITCHYARD_BOOTSTRAP_TOKEN?.trim() || undefined;
  if (bootstrapToken !== undefined && bootstrapToken.length < 16) {
    throw new ConfigError('SWITCHYARD_BOOTSTRAP_TOKEN must be at least 16 characters');
  }
  const config: Config = Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(env.SWITCHYARD_DATA_DIR?.trim() || './data'),
    databaseUrl,
    bootstrapToken,
    rateLimitPerMinute: integer(env, 'SWITCHYARD_RATE_LIMIT', 3000, 0, 10_000_000),
    subscriptionWritesPerMinute: integer(env, 'SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES', 5, 0, 10_000_000),
    logLevel,
    auditRetentionDays: integer(env, 'SWITCHYARD_AUDIT_RETENTION_DAYS', 90, 1, 36_500),
    delivery: Object.freeze({
      timeoutMs: integer(env, 'SWITCHYARD_DELIVERY_TIMEOUT_MS', 10_000, 100, 300_000),
      maxAgeMs: integer(env, 'SWITCHYARD_DELIVERY_MAX_AGE_SECONDS', 4 * 3600, 1, 30 * 86_400) * SECOND,
      retryBaseMs: integer(env, 'SWITCHYARD_RETRY_BASE_MS', 10_000, 1, 3_600_000),
      retryMaxMs: integer(env, 'SWITCHYARD_RETRY_MAX_MS', 600_000, 1, 86_400_000),
      perDestinationConcurrency: integer(env, 'SWITCHYARD_DESTINATION_CONCURRENCY', 10, 1, 1000),
      workerConcurrency: integer(env, 'SWITCHYARD_WORKER_CONCURRENCY', 64, 1, 10_000),
      leaseMs: integer(env, 'SWITCHYARD_LEASE_SECONDS', 60, 1, 3600) * SECOND,
      idlePollMs: integer(env, 'SWITCHYARD_WORKER_POLL_MS', 200, 5, 60_000),
    }),
    retention: Object.freeze({
      dedupWindowMs: integer(env, 'SWITCHYARD_DEDUP_WINDOW_HOURS', 24, 1, 24 * 30) * HOUR,
      eventRetentionMs: integer(env, 'SWITCHYARD_EVENT_RETENTION_DAYS', 14, 1, 3650) * DAY,
      deadLetterRetentionMs: integer(env, 'SWITCHYARD_DEAD_LETTER_RETENTION_DAYS', 14, 1, 3650) * DAY,
      metricsRetentionMs: integer(env, 'SWITCHYARD_METRICS_RETENTION_DAYS', 15, 15, 3650) * DAY,
    }),
    outbound: Object.freeze({
      deny: Object.freeze(list(env, 'SWITCHYARD_OUTBOUND_DENY')),
      allow: Object.freeze(list(env, 'SWITCHYARD_OUTBOUND_ALLOW')),
    }),
  });
  checkConsistency(config);
  return config;
}

function checkConsistency({ delivery, retention }: Config): void {
  // A lease that ends while its request may still be running would let the delivery be claimed twice.
  if (delivery.leaseMs <= delivery.timeoutMs + 2 * SECOND) {
    throw new ConfigError('SWITCHYARD_LEASE_SECONDS must exceed SWITCHYARD_DELIVERY_TIMEOUT_MS by more than 2 seconds');
  }
  // Dead letters keep pointing at their event; the event must outlive them so replay can resend it.
  if (retention.eventRetentionMs < retention.deadLetterRetentionMs) {
    throw new ConfigError('SWITCHYARD_EVENT_RETENTION_DAYS must be at least SWITCHYARD_DEAD_LETTER_RETENTION_DAYS');
  }
}
