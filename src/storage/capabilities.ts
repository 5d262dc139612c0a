// Everything that differs between SQLite and PostgreSQL lives here, as flags and small builders.
// Queries elsewhere are written once against Kysely and consult these only where a dialect forces it.
import { sql, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';

type TableBuilder = CreateTableBuilder<string, never>;

export type DialectName = 'sqlite' | 'postgres';

export interface DialectCapabilities {
  readonly name: DialectName;
  /** `SELECT … FOR UPDATE SKIP LOCKED` is available, so several workers can claim concurrently. */
  readonly skipLocked: boolean;
  /** Column type for epoch-millisecond times and other 64-bit counters. */
  readonly bigint: ColumnDataType;
  /** Adds an auto-incrementing integer primary key column. */
  serialPrimaryKey(table: TableBuilder, column: string): TableBuilder;
  /**
   * Runs writes whose loss in a crash is harmless without waiting for a disk flush: lease bookkeeping on
   * SQLite, where the single worker process releases every lease when it starts.
   */
  withoutFlush<DB, T>(db: Kysely<DB>, work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  skipLocked: false,
  bigint: 'integer',
  serialPrimaryKey: (table, column) => table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
  // The pragma applies to the connection, so it is held for the whole piece of work and restored after it.
  withoutFlush: (db, work) =>
    db.connection().execute(async (connection) => {
      await sql`pragma synchronous = normal`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`pragma synchronous = full`.execute(connection);
      }
    }),
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  skipLocked: true,
  bigint: 'bigint',
  serialPrimaryKey: (table, column) => table.addColumn(column, 'bigserial', (c) => c.primaryKey()),
  // Several workers rely on PostgreSQL leases being exclusive, so they stay fully durable.
  withoutFlush: (db, work) => work(db),
};
