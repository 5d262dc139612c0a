// Reads the configuration routing needs, in four small queries, for the whole installation.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export async function loadRoutingRows(db: Kysely<Database>) {
  const [writeKeys, sources, destinations, subscriptions] = await Promise.all([
    db.selectFrom('write_keys').select(['write_key', 'source_id']).execute(),
    db.selectFrom('sources').select(['id', 'workspace_id', 'enabled']).execute(),
    db
      .selectFrom('destinations')
      .select(['id', 'source_id', 'metadata_id', 'name'])
      .where('enabled', '=', 1)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('destination_subscriptions')
      .select(['id', 'destination_id', 'trigger'])
      .where('enabled', '=', 1)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  return { writeKeys, sources, destinations, subscriptions };
}
