// Applies the append-only migration list. Kysely's migrator holds a lock table while it runs, so two
// processes starting together cannot both apply the same migration.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
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
  const migrator = new Migrator({ db: storage.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
