import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database } from '../../storage/schema.js';

export function findActiveTokenByHash(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function findTokenByHash(db: Kysely<Database>, tokenHash: string) {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function insertToken(db: Kysely<Database>, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function listTokens(db: Kysely<Database>, workspaceId?: string) {
  let query = db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id');
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.execute();
}

export async function revokeToken(db: Kysely<Database>, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
