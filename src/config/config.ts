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
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(env.SWITCHYARD_DATA_DIR?.trim() || './data'),
    databaseUrl,
    bootstrapToken,
    rateLimitPerMinute: integer(env, 'SWITCHYARD_RATE_LIMIT', 3000, 0, 10_000_000),
    subscriptionWritesPerMinute: integer(env, 'SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES', 5, 0, 10_000_000),
    logLevel,
    auditRetentionDays: integer(env, 'SWITCHYARD_AUDIT_RETENTION_DAYS', 90, 1, 36_500),
  });
}
