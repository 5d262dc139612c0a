// Destination settings and subscription mappings are read at attempt time, so fixing credentials or a
// mapping fixes pending retries too (data-plane.md §8).
import type { Kysely } from 'kysely';
import { applyFieldDefaults } from '../../actions/mapping.js';
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

/**
 * How many deliveries one request to this destination can carry: the largest batch size among its enabled
 * subscriptions whose action batches, else 1. The scheduler claims that many per in-flight slot.
 */
export function createBatchSizeReader(
  db: Kysely<Database>,
  catalog: DestinationCatalog,
  batchSizeOf: (runtimeDirectory: string, actionSlug: string, mapping: Record<string, unknown>) => number,
  ttlMs = 2_000,
): (destinationId: string) => Promise<number> {
  // Asked on every scheduling round, so remembered briefly; a changed batch size applies within ttlMs.
  const remembered = new Map<string, { size: number; until: number }>();
  return async (destinationId) => {
    const hit = remembered.get(destinationId);
    if (hit && hit.until > Date.now()) return hit.size;
    const rows = await db
      .selectFrom('destination_subscriptions')
      .innerJoin('destinations', 'destinations.id', 'destination_subscriptions.destination_id')
      .select(['destinations.metadata_id', 'destination_subscriptions.action_id', 'destination_subscriptions.action_slug', 'destination_subscriptions.settings'])
      .where('destination_subscriptions.destination_id', '=', destinationId)
      .where('destination_subscriptions.enabled', '=', 1)
      .execute();
    let size = 1;
    for (const row of rows) {
      const entry = catalog.get(row.metadata_id);
      if (!entry?.runtimeDirectory) continue;
      const fields = entry.actionsById.get(row.action_id)?.fields ?? [];
      const mapping = applyFieldDefaults(fields, JSON.parse(row.settings) as Record<string, unknown>);
      size = Math.max(size, batchSizeOf(entry.runtimeDirectory, row.action_slug, mapping));
    }
    if (remembered.size > 10_000) remembered.clear();
    remembered.set(destinationId, { size, until: Date.now() + ttlMs });
    return size;
  };
}
