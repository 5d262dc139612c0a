// Stores accepted events and their deliveries in one transaction: nothing is acknowledged without its work.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, NewDelivery } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';

export interface AcceptedEvent {
  messageId: string;
  type: string;
  receivedAt: number;
  body: Record<string, unknown>;
  deliveries: { destinationId: string; subscriptionId: string }[];
}

export interface StoreResult {
  stored: number;
  deduplicated: number;
  unrouted: number;
  deliveries: number;
}

// Keeps multi-row inserts under SQLite's bound-parameter limit.
const CHUNK = 400;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function storeEvents(
  db: Kysely<Database>,
  source: { sourceId: string; workspaceId: string },
  events: AcceptedEvent[],
): Promise<StoreResult> {
  // Duplicates inside one request count as duplicates too; the first occurrence wins.
  const unique = new Map<string, AcceptedEvent>();
  for (const event of events) if (!unique.has(event.messageId)) unique.set(event.messageId, event);
  const candidates = [...unique.values()];
  // Dedup keys are locked in messageId order, so two requests sharing keys in different orders cannot deadlock.
  const keyOrder = [...candidates].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));

  return inTransaction(db, async (trx) => {
    const fresh = new Set<string>();
    for (const chunk of chunks(keyOrder)) {
      const inserted = await trx
        .insertInto('event_dedup')
        .values(chunk.map((e) => ({ source_id: source.sourceId, message_id: e.messageId, received_at: e.receivedAt })))
        .onConflict((oc) => oc.columns(['source_id', 'message_id']).doNothing())
        .returning('message_id')
        .execute();
      for (const row of inserted) fresh.add(row.message_id);
    }
    const accepted = candidates.filter((e) => fresh.has(e.messageId));
    const eventRows = accepted.map((e) => ({
      id: randomUUID(),
      workspace_id: source.workspaceId,
      source_id: source.sourceId,
      message_id: e.messageId,
      type: e.type,
      received_at: e.receivedAt,
      body: JSON.stringify(e.body),
    }));
    for (const chunk of chunks(eventRows)) await trx.insertInto('events').values(chunk).execute();
    const deliveries: NewDelivery[] = accepted.flatMap((e, i) =>
      e.deliveries.map((d) => ({
        event_id: eventRows[i]!.id,
        workspace_id: source.workspaceId,
        source_id: source.sourceId,
        destination_id: d.destinationId,
        subscription_id: d.subscriptionId,
        received_at: e.receivedAt,
        next_attempt_at: e.receivedAt,
        first_attempt_at: null,
        lease_token: null,
        leased_until: null,
        last_error: null,
      })),
    );
    for (const chunk of chunks(deliveries)) await trx.insertInto('deliveries').values(chunk).execute();
    return {
      stored: accepted.length,
      deduplicated: events.length - accepted.length,
      unrouted: accepted.filter((e) => e.deliveries.length === 0).length,
      deliveries: deliveries.length,
    };
  });
}
