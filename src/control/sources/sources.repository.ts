import type { Kysely } from 'kysely';
import type { PageQuery } from '../paging.js';
import { keysetPage } from '../../storage/keyset.js';
import type { Database, SourceRow } from '../../storage/schema.js';

export function findSource(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('sources')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findSourceBySlug(db: Kysely<Database>, workspaceId: string, slug: string) {
  return db
    .selectFrom('sources')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export function pageSources(db: Kysely<Database>, workspaceId: string, page: PageQuery) {
  const query = db.selectFrom('sources').selectAll().where('workspace_id', '=', workspaceId);
  return keysetPage(query, { sort: 'created_at', id: 'id' }, page).execute();
}

export async function countSources(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('sources')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function insertSource(db: Kysely<Database>, row: SourceRow): Promise<void> {
  await db.insertInto('sources').values(row).execute();
}

export async function updateSource(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<SourceRow, 'name' | 'slug' | 'enabled' | 'settings'>>,
): Promise<void> {
  await db.updateTable('sources').set(changes).where('id', '=', id).execute();
}

export async function deleteSource(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sources').where('id', '=', id).execute();
}

/** Write keys of many sources at once, oldest first, so a list page costs one extra query. */
export async function writeKeysOf(db: Kysely<Database>, sourceIds: string[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>(sourceIds.map((id) => [id, []]));
  if (sourceIds.length === 0) return keys;
  const rows = await db
    .selectFrom('write_keys')
    .select(['source_id', 'write_key'])
    .where('source_id', 'in', sourceIds)
    .orderBy('created_at')
    .orderBy('write_key')
    .execute();
  for (const row of rows) keys.get(row.source_id)?.push(row.write_key);
  return keys;
}

export async function insertWriteKey(db: Kysely<Database>, sourceId: string, workspaceId: string, writeKey: string) {
  await db
    .insertInto('write_keys')
    .values({ write_key: writeKey, source_id: sourceId, workspace_id: workspaceId, created_at: Date.now() })
    .execute();
}

export async function deleteWriteKey(db: Kysely<Database>, sourceId: string, writeKey: string): Promise<boolean> {
  const result = await db
    .deleteFrom('write_keys')
    .where('source_id', '=', sourceId)
    .where('write_key', '=', writeKey)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
