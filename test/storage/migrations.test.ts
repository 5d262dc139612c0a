// Migrations are append-only and run under a lock, so processes starting together cannot race.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { BACKENDS, dropPostgresSchema, POSTGRES_URL } from '../support/backends.js';

const run = promisify(execFile);
const CLI = path.resolve('bin/switchyard.js');

describe('migrations [sqlite]', () => {
  it('apply once when several processes migrate the same file at the same moment', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-migrate-'));
    try {
      const env = { ...process.env, SWITCHYARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      const results = await Promise.all([1, 2, 3].map(() => run(process.execPath, [CLI, 'migrate'], { env })));
      for (const result of results) expect(result.stdout).toContain('latest schema');
      const storage = await openStorage({ dataDir });
      try {
        expect(await migrateToLatest(storage)).toEqual([]);
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!BACKENDS.includes('postgres'))('migrations [postgres]', () => {
  it('apply once when several pools migrate the same schema at the same moment', async () => {
    const schema = `m_${randomBytes(6).toString('hex')}`;
    const storages: Storage[] = await Promise.all([1, 2, 3].map(() => openStorage({ databaseUrl: POSTGRES_URL, postgresSchema: schema })));
    try {
      const names = (await Promise.all(storages.map((s) => migrateToLatest(s)))).flat();
      expect(names).toContain('0001-control-plane');
      expect(new Set(names).size).toBe(names.length);
      expect(await migrateToLatest(storages[0]!)).toEqual([]);
      const tables = await storages[0]!.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['destinations', 'deliveries', 'dead_letters', 'events']));
    } finally {
      for (const s of storages) await s.close();
      await dropPostgresSchema(schema);
    }
  });
});
