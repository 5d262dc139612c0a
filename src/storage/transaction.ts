// Transactions that survive the database's transient refusals. PostgreSQL aborts one side of a deadlock or a
// serialization conflict (a subscription deleted while a worker settles its deliveries, say); SQLite reports
// BUSY when another process held the write lock past busy_timeout. Re-running the whole transaction is the
// documented remedy, and every caller's work is safe to repeat because nothing was committed.
import type { Kysely, Transaction } from 'kysely';

const TRANSIENT_CODES = new Set(['40P01', '40001', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
const ATTEMPTS = 4;

export function isTransientDatabaseError(error: unknown): boolean {
  return TRANSIENT_CODES.has(String((error as { code?: unknown } | null)?.code));
}

export async function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientDatabaseError(error)) throw error;
      // A short randomised pause lets the transaction that won go first.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
