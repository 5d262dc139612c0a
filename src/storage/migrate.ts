// Applies the append-only migration list. Kysely's migrator holds a lock table while it runs, so two
// processes starting together cannot both apply the same migration.
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Storage } from './database.js';
import { controlPlaneMigration } from './migrations/0001-control-plane.js';
import { dataPlaneMigration } from './migrations/0002-data-plane.js';

export type MigrationFactory = (storage: Storage) => Migration;

/** Append only: never edit or reorder an entry that has shipped. */
const MIGRATIONS: ReadonlyArray<[string, MigrationFactory]> = [
  ['0001-control-plane', controlPlaneMigration],
  ['0002-data-plane', dataPlaneMigration],
];

export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(MIGRATIONS.map(([name, make]) => [name, make(storage)])),
  };
  // Kysely looks for its bookkeeping tables in every schema unless told which one; another Switchyard (or test)
  // in a sibling schema of the same database would otherwise make it skip creating ours.
  const schema = storage.caps.name === 'postgres' ? await currentSchema(storage) : undefined;
  const migrator = new Migrator({ db: storage.db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(storage: Storage): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(storage.db);
  return rows[0]?.schema ?? undefined;
}
