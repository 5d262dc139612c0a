import type { Kysely } from 'kysely';
import type { PageQuery } from '../paging.js';
import { keysetPage } from '../../storage/keyset.js';
import type { Database, SubscriptionRow } from '../../storage/schema.js';

export function findSubscription(db: Kysely<Database>, destinationId: string, id: string) {
  return db
    .selectFrom('destination_subscriptions')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function pageSubscriptions(db: Kysely<Database>, destinationId: string, page: PageQuery) {
  const query = db.selectFrom('destination_subscriptions').selectAll().where('destination_id', '=', destinationId);
  return keysetPage(query, { sort: 'created_at', id: 'id' }, page).execute();
}

export async function countSubscriptions(db: Kysely<Database>, destinationId: string): Promise<number> {
  const row = await db
    .selectFrom('destination_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('destination_id', '=', destinationId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function insertSubscription(db: Kysely<Database>, row: SubscriptionRow): Promise<void> {
  await db.insertInto('destination_subscriptions').values(row).execute();
}

export async function updateSubscription(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<SubscriptionRow, 'name' | 'trigger' | 'enabled' | 'settings'>>,
): Promise<void> {
  await db.updateTable('destination_subscriptions').set(changes).where('id', '=', id).execute();
}

export async function deleteSubscription(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('destination_subscriptions').where('id', '=', id).execute();
}
