// The queue port the delivery workers use. Workers receive these functions and never see SQL.
import type { Storage } from '../../storage/database.js';
import { claimDeliveries, loadEventBodies, readyDestinations, type ClaimedDelivery } from './claim.js';
import { createSettler, type Settlement, type SettleTiming } from './settle.js';

export type { ClaimedDelivery } from './claim.js';
export type { Settlement, SettleTiming } from './settle.js';

export interface DeliveryQueue {
  readyDestinations(now: number): Promise<string[]>;
  claim(destinationId: string, limit: number, now: number): Promise<ClaimedDelivery[]>;
  eventBodies(eventIds: string[]): Promise<Map<string, Record<string, unknown>>>;
  /** False when the lease was lost (another worker owns the delivery now); nothing was written then. */
  settle(claim: ClaimedDelivery, settlement: Settlement, timing: SettleTiming): Promise<boolean>;
}

export function createSqlQueue(storage: Storage, options: { leaseMs: number }): DeliveryQueue {
  const { db, caps } = storage;
  return {
    readyDestinations: (now) => readyDestinations(db, now),
    claim: (destinationId, limit, now) => claimDeliveries(db, caps, destinationId, limit, options.leaseMs, now),
    eventBodies: (ids) => loadEventBodies(db, ids),
    settle: createSettler(db),
  };
}
