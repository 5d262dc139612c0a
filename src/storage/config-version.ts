import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Moves the routing configuration version so every process refreshes its routing cache. */
export async function bumpConfigVersion(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('config_version')
    .set({ version: sql`version + 1` })
    .where('id', '=', 1)
    .execute();
}

export async function readConfigVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('config_version').select('version').where('id', '=', 1).executeTakeFirst();
  return row?.version ?? 0;
}
