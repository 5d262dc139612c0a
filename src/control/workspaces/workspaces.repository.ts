import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from '../../storage/schema.js';

export function findWorkspace(db: Kysely<Database>, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFirstWorkspace(db: Kysely<Database>) {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

export function listWorkspaces(db: Kysely<Database>) {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertWorkspace(db: Kysely<Database>, row: WorkspaceRow): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export async function setSubscriptionsEnabled(db: Kysely<Database>, id: string, enabled: boolean): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ subscriptions_enabled: enabled ? 1 : 0 })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
