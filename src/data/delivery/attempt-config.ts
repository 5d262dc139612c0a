// Destination settings and subscription mappings are read at attempt time, so fixing credentials or a
// mapping fixes pending retries too (data-plane.md §8).
import type { Kysely } from 'kysely';
import type { ActionField } from '../../control/catalog/catalog.types.js';
import type { DestinationCatalog } from '../../control/catalog/destination-catalog.js';
import type { Database } from '../../storage/schema.js';

export interface AttemptSubscription {
  id: string;
  enabled: boolean;
  trigger: string;
  actionSlug: string;
  mapping: Record<string, unknown>;
  fields: ActionField[];
}

export interface AttemptConfig {
  destinationId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  runtimeDirectory: string | null;
  subscriptions: Map<string, AttemptSubscription>;
}

export type AttemptConfigReader = (destinationId: string, subscriptionIds: string[]) => Promise<AttemptConfig | undefined>;

export function createAttemptConfigReader(db: Kysely<Database>, catalog: DestinationCatalog): AttemptConfigReader {
  return async (destinationId, subscriptionIds) => {
    const destination = await db
      .selectFrom('destinations')
      .select(['id', 'enabled', 'settings', 'metadata_id'])
      .where('id', '=', destinationId)
      .executeTakeFirst();
    if (!destination) return undefined;
    const entry = catalog.get(destination.metadata_id);
    const rows = subscriptionIds.length
      ? await db
          .selectFrom('destination_subscriptions')
          .select(['id', 'enabled', 'trigger', 'action_id', 'action_slug', 'settings'])
          .where('destination_id', '=', destinationId)
          .where('id', 'in', [...new Set(subscriptionIds)])
          .execute()
      : [];
    return {
      destinationId,
      enabled: destination.enabled === 1,
      settings: JSON.parse(destination.settings) as Record<string, unknown>,
      runtimeDirectory: entry?.runtimeDirectory ?? null,
      subscriptions: new Map(
        rows.map((r) => [
          r.id,
          {
            id: r.id,
            enabled: r.enabled === 1,
            trigger: r.trigger,
            actionSlug: r.action_slug,
            mapping: JSON.parse(r.settings) as Record<string, unknown>,
            fields: entry?.actionsById.get(r.action_id)?.fields ?? [],
          },
        ]),
      ),
    };
  };
}
