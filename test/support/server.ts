// Starts a real Switchyard (HTTP on a loopback port, real database) for one test file or test.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/main/logger.js';
import { startSwitchyard, type RunningSwitchyard } from '../../src/main/server.js';
import { apiClient, type ApiRequestInit } from './api-client.js';
import { dropPostgresSchema, POSTGRES_URL, type Backend } from './backends.js';

export interface TestServer {
  backend: Backend;
  url: string;
  token: string;
  running: RunningSwitchyard;
  config: Config;
  /** Stops the process part only; the database stays for a restart. */
  stop(): Promise<void>;
  /** Starts a new server over the same database (restart persistence). */
  restart(): Promise<TestServer>;
  /** Stops and deletes the database. */
  destroy(): Promise<void>;
  /** fetch() against the server with the bootstrap token. */
  api(pathAndQuery: string, init?: ApiRequestInit): Promise<Response>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
}

export async function startTestServer(backend: Backend, options: TestServerOptions = {}): Promise<TestServer> {
  const token = `sy_test_${randomBytes(16).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-test-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_BOOTSTRAP_TOKEN: token,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(backend === 'postgres' ? { DATABASE_URL: POSTGRES_URL } : {}),
    ...options.env,
  });
  const start = async (): Promise<TestServer> => {
    const running = await startSwitchyard(config, createLogger(config.logLevel), {
      ...(backend === 'postgres' ? { postgresSchema: schema } : {}),
    });
    const server: TestServer = {
      backend,
      url: running.url,
      token,
      running,
      config,
      stop: () => running.close(),
      restart: async () => {
        await running.close();
        return start();
      },
      destroy: async () => {
        await running.close();
        if (backend === 'postgres') await dropPostgresSchema(schema);
        rmSync(dataDir, { recursive: true, force: true });
      },
      api: apiClient(running.url, token).api,
    };
    return server;
  };
  return start();
}
