import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config/config.js';

describe('configuration', () => {
  it('has defaults that work on a laptop and is frozen', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', rateLimitPerMinute: 3000, subscriptionWritesPerMinute: 5, logLevel: 'info' });
    expect(config.delivery).toMatchObject({ timeoutMs: 10_000, maxAgeMs: 4 * 3_600_000, perDestinationConcurrency: 10 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.delivery)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be between'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres://'],
    [{ SWITCHYARD_BOOTSTRAP_TOKEN: 'short' }, 'at least 16 characters'],
    [{ SWITCHYARD_RATE_LIMIT: '-1' }, 'SWITCHYARD_RATE_LIMIT must be a whole number'],
    [{ SWITCHYARD_LEASE_SECONDS: '5' }, 'SWITCHYARD_LEASE_SECONDS must exceed'],
    [{ SWITCHYARD_EVENT_RETENTION_DAYS: '3' }, 'SWITCHYARD_EVENT_RETENTION_DAYS must be at least'],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('accepts a lease comfortably longer than the delivery timeout', () => {
    expect(readConfig({ SWITCHYARD_LEASE_SECONDS: '4', SWITCHYARD_DELIVERY_TIMEOUT_MS: '1000' }).delivery.leaseMs).toBe(4000);
  });
});
