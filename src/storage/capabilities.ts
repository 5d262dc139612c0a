// Everything that differs between SQLite and PostgreSQL lives here, as flags and small builders.
// Queries elsewhere are written once against Kysely and consult these only where a dialect forces it.
import type { ColumnDataType, CreateTableBuilder } from 'kysely';

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
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  skipLocked: false,
  bigint: 'integer',
  serialPrimaryKey: (table, column) => table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  skipLocked: true,
  bigint: 'bigint',
  serialPrimaryKey: (table, column) => table.addColumn(column, 'bigserial', (c) => c.primaryKey()),
};
