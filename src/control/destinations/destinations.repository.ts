import type { Kysely } from 'kysely';
import type { PageQuery } from '../paging.js';
import { keysetPage } from '../../storage/keyset.js';
import type { Database, DestinationRow } from '../../storage/schema.js';

export interface DestinationScope {
  workspaceId: string;
  sourceId?: string;
}

function scoped(db: Kysely<Database>, scope: DestinationScope) {
  let query = db.selectFrom('destinations').where('workspace_id', '=', scope.workspaceId);
  if (scope.sourceId !== undefined) query = query.where('source_id', '=', scope.sourceId);
  return query;
}

export function findDestination(db: Kysely<Database>, workspaceId: string, id: string) {
  return scoped(db, { workspaceId }).selectAll().where('id', '=', id).executeTakeFirst();
}

export function pageDestinations(db: Kysely<Database>, scope: DestinationScope, page: PageQuery) {
  return keysetPage(scoped(db, scope).selectAll(), { sort: 'created_at', id: 'id' }, page).execute();
}

export async function countDestinations(db: Kysely<Database>, scope: DestinationScope): Promise<number> {
  const row = await scoped(db, scope)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function insertDestination(db: Kysely<Database>, row: DestinationRow): Promise<void> {
  await db.insertInto('destinations').values(row).execute();
}

export async function updateDestination(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<DestinationRow, 'name' | 'enabled' | 'settings'>>,
): Promise<void> {
  await db.updateTable('destinations').set(changes).where('id', '=', id).execute();
}

export async function deleteDestination(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('destinations').where('id', '=', id).execute();
}
