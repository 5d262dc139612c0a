// Accepting events over the Tracking API: authenticate the write key, normalise, route, store durably.
// The 200 is only returned after the events and their deliveries have committed together.
import type { RoutingTable, SourceRoute } from '../routing/routing-table.js';
import { routeEvent } from '../routing/route-event.js';
import type { AcceptedEvent, StoreResult } from '../queue/enqueue.js';
import { defaultMessageId, isJsonObject, normalizeBatch, normalizeSingle, type EventType, type NormalizedEvent, type RejectedEvent } from './normalize.js';
import { extractWriteKey } from './write-key.js';

export interface IngestCounters {
  received: number;
  rejected: number;
  deduplicated: number;
  unrouted: number;
  deliveriesCreated: number;
}

export interface IngestRequest {
  target: EventType | 'batch';
  authorization: string | undefined;
  body: unknown;
  clientIp: string;
}

export interface IngestReply {
  status: number;
  body: Record<string, unknown>;
}

export interface IngestDeps {
  routing: RoutingTable;
  store(source: SourceRoute, events: AcceptedEvent[]): Promise<StoreResult>;
  /** Called after a commit that created deliveries (wakes a local scheduler). */
  onDeliveriesCreated?(): void;
  onStoreFailure?(error: unknown): void;
  now?: () => Date;
}

export function ingestError(status: number, code: string, message: string, errors?: unknown[]): IngestReply {
  return { status, body: { success: false, code, message, ...(errors ? { errors } : {}) } };
}

export class IngestService {
  readonly counters: IngestCounters = { received: 0, rejected: 0, deduplicated: 0, unrouted: 0, deliveriesCreated: 0 };

  constructor(private readonly deps: IngestDeps) {}

  async ingest(request: IngestRequest): Promise<IngestReply> {
    if (!isJsonObject(request.body)) return ingestError(400, 'bad-request', 'The request body must be a JSON object');
    const writeKey = extractWriteKey(request.authorization, request.body);
    if (!writeKey) return ingestError(401, 'unauthorized', 'Missing write key: send it as Basic auth or as "writeKey" in the body');
    const source = await this.deps.routing.sourceForWriteKey(writeKey);
    if (!source) return ingestError(401, 'unauthorized', 'Invalid write key');
    if (!source.enabled) return ingestError(403, 'forbidden', 'This source is disabled');

    const ctx = { receivedAt: (this.deps.now ?? (() => new Date()))(), clientIp: request.clientIp, newMessageId: defaultMessageId };
    let events: NormalizedEvent[];
    let rejected: RejectedEvent[] = [];
    if (request.target === 'batch') {
      const result = normalizeBatch(request.body, ctx);
      if (!result.ok) return ingestError(400, result.code, result.message);
      events = result.events;
      rejected = result.rejected;
    } else {
      const result = normalizeSingle(request.target, request.body, ctx);
      if (!result.ok) {
        this.counters.rejected += 1;
        return ingestError(400, 'input-validation', result.errors[0]?.message ?? 'Invalid event', result.errors);
      }
      events = [result.event];
    }
    this.counters.rejected += rejected.length;
    if (events.length > 0) {
      const accepted: AcceptedEvent[] = events.map((e) => ({
        messageId: e.messageId,
        type: e.type,
        receivedAt: Date.parse(e.receivedAt),
        body: e.body,
        deliveries: routeEvent(source, e.body),
      }));
      let stored: StoreResult;
      try {
        stored = await this.deps.store(source, accepted);
      } catch (error) {
        this.deps.onStoreFailure?.(error);
        return ingestError(503, 'unavailable', 'Events could not be stored; nothing was accepted, retry later');
      }
      this.counters.received += stored.stored;
      this.counters.deduplicated += stored.deduplicated;
      this.counters.unrouted += stored.unrouted;
      this.counters.deliveriesCreated += stored.deliveries;
      if (stored.deliveries > 0) this.deps.onDeliveriesCreated?.();
    }
    return { status: 200, body: rejected.length > 0 ? { success: true, rejected } : { success: true } };
  }
}
