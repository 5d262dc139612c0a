// Transactions re-run when the database aborts them for a deadlock, instead of failing the request.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { inTransaction, isTransientDatabaseError } from '../../src/storage/transaction.js';
import { BACKENDS } from '../support/backends.js';
import { createTestStorage } from '../support/storage.js';

describe('transient database errors', () => {
  it('are recognised by their codes and nothing else is', () => {
    expect(isTransientDatabaseError({ code: '40P01' })).toBe(true);
    expect(isTransientDatabaseError({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isTransientDatabaseError({ code: '23505' })).toBe(false);
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
  });
});

describe.skipIf(!BACKENDS.includes('postgres'))('inTransaction [postgres]', () => {
  it('completes both sides of a real deadlock by re-running the one PostgreSQL aborted', async () => {
    const test = await createTestStorage('postgres');
    try {
      const db = test.storage.db;
      await db.insertInto('config_version').values({ id: 2, version: 0 }).execute();
      let attempts = 0;
      let release: () => void = () => undefined;
      const bothLocked = new Promise<void>((resolve) => {
        let locked = 0;
        release = () => (++locked === 2 ? resolve() : undefined);
      });
      // Each side locks one row, waits until the other has locked its row, then asks for the other's row.
      const side = (first: number, second: number) =>
        inTransaction(db, async (trx) => {
          attempts += 1;
          await sql`update config_version set version = version + 1 where id = ${first}`.execute(trx);
          release();
          await Promise.race([bothLocked, new Promise((resolve) => setTimeout(resolve, 2000))]);
          await sql`update config_version set version = version + 1 where id = ${second}`.execute(trx);
        });
      await Promise.all([side(1, 2), side(2, 1)]);
      expect(attempts).toBeGreaterThanOrEqual(3);
      const rows = await db.selectFrom('config_version').select(['id', 'version']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, version: 2 },
        { id: 2, version: 2 },
      ]);
    } finally {
      await test.destroy();
    }
  });
});
