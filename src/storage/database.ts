// Opens the database chosen by configuration: the embedded SQLite file by default, PostgreSQL when a URL is given.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase as SqliteConnectionFile,
} from 'kysely';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './capabilities.js';
import type { Database } from './schema.js';

export interface Storage {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** PostgreSQL connection string; absent means SQLite. */
  databaseUrl?: string;
  /** Directory holding the SQLite file (created when missing). */
  dataDir?: string;
  /** PostgreSQL schema to use instead of `public` (tests isolate themselves this way). */
  postgresSchema?: string;
  poolSize?: number;
}

export const SQLITE_FILE_NAME = 'switchyard.sqlite';

// int8 (counts, epoch-ms times, serial ids) arrives as a string by default; ours always fit in a double.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openStorage(options: StorageOptions): Promise<Storage> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options.dataDir ?? './data');
}

/**
 * Transactions start with `BEGIN IMMEDIATE`: the write lock is taken up front, so a second process waits
 * (busy_timeout) instead of failing when its read snapshot turns stale on the first write. This is also what
 * serialises concurrent migrations, which Kysely does not lock on SQLite.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite does run DDL inside transactions; saying so makes the migrator apply everything in one. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew, and on SQLite preparing costs more than running most of ours, so the most
 * recently used statements are kept. The single connection runs one statement at a time; a statement still
 * being iterated is never handed out twice.
 */
function cachingStatements(file: SqliteDatabase.Database): SqliteConnectionFile {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => file.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is the recency order: move the hit to the end.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = file.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        const oldest = cache.size > STATEMENT_CACHE_SIZE ? cache.keys().next().value : undefined;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}

class SwitchyardSqliteDialect extends SqliteDialect {
  constructor(private readonly file: SqliteDatabase.Database) {
    super({ database: file });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: cachingStatements(this.file) });
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

function openSqlite(dataDir: string): Storage {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME));
  // WAL with synchronous=FULL: a commit is on disk before we acknowledge anything.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SwitchyardSqliteDialect(file) });
  return { db, caps: sqliteCapabilities, close: () => db.destroy() };
}

async function openPostgres(url: string, options: StorageOptions): Promise<Storage> {
  const schema = options.postgresSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } catch (error) {
      // Two processes creating the same schema at once: the loser sees a unique violation; the schema exists.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, caps: postgresCapabilities, close: () => db.destroy() };
}
