// A migrated database of its own for storage-level tests: a temp SQLite file or a fresh PostgreSQL schema.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { dropPostgresSchema, POSTGRES_URL, type Backend } from './backends.js';

export interface TestStorage {
  storage: Storage;
  /** Opens another connection pool to the same database (a second process, as far as locking goes). */
  openAnother(): Promise<Storage>;
  destroy(): Promise<void>;
}

export async function createTestStorage(backend: Backend): Promise<TestStorage> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-storage-'));
  const schema = `s_${randomBytes(6).toString('hex')}`;
  const open = () =>
    backend === 'postgres' ? openStorage({ databaseUrl: POSTGRES_URL, postgresSchema: schema }) : openStorage({ dataDir });
  const storage = await open();
  await migrateToLatest(storage);
  const others: Storage[] = [];
  return {
    storage,
    async openAnother() {
      const another = await open();
      others.push(another);
      return another;
    },
    async destroy() {
      for (const s of others) await s.close();
      await storage.close();
      if (backend === 'postgres') await dropPostgresSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
