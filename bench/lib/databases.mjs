// One fresh database per server run: a temporary SQLite directory, or a new PostgreSQL database that is
// dropped afterwards. Both are handed to the server through the same environment it reads in production.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SQLITE_FILE_NAME = 'switchyard.sqlite';

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Databases not dropped yet, so an interrupted bench can still remove them (see dropAllDatabases). */
const live = new Set();

export async function dropAllDatabases() {
  await Promise.allSettled([...live].map((db) => db.drop()));
}

export async function postgresReachable() {
  try {
    await adminQuery('select 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * @returns {Promise<{ backend: string, env: Record<string,string>, sqliteFile?: string, postgresUrl?: string, drop(): Promise<void> }>}
 */
export async function createBenchDatabase(backend) {
  const database = await create(backend);
  const drop = database.drop;
  let dropped;
  database.drop = () => {
    live.delete(database);
    return (dropped ??= drop());
  };
  live.add(database);
  return database;
}

async function create(backend) {
  if (backend === 'sqlite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
    return {
      backend,
      // Empty, not absent: a DATABASE_URL inherited from the shell must not turn this run into a PostgreSQL one.
      env: { SWITCHYARD_DATA_DIR: dataDir, DATABASE_URL: '' },
      sqliteFile: path.join(dataDir, SQLITE_FILE_NAME),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const postgresUrl = withDatabase(POSTGRES_ADMIN_URL, name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
  return {
    backend,
    env: { SWITCHYARD_DATA_DIR: dataDir, DATABASE_URL: postgresUrl },
    postgresUrl,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

export async function postgresVersion() {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query('show server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}
