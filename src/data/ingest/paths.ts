// The Tracking API's POST endpoints (data-plane.md §1) and the body limit of each (§4).
import { BATCH_MAX_BYTES, SINGLE_CALL_MAX_BYTES, type EventType } from './normalize.js';

export interface IngestRoute {
  /** The event type a single-call path forces on its body, or 'batch' for the multi-event paths. */
  target: EventType | 'batch';
  /** Limit on the decompressed request body. */
  maxBytes: number;
}

const single = (target: EventType): IngestRoute => ({ target, maxBytes: SINGLE_CALL_MAX_BYTES });
const batch: IngestRoute = { target: 'batch', maxBytes: BATCH_MAX_BYTES };

export const INGEST_ROUTES: Readonly<Record<string, Readonly<IngestRoute>>> = Object.freeze({
  '/v1/track': single('track'),
  '/v1/identify': single('identify'),
  '/v1/page': single('page'),
  '/v1/screen': single('screen'),
  '/v1/group': single('group'),
  '/v1/alias': single('alias'),
  '/v1/batch': batch,
  // Legacy batch path of older mobile/Java libraries.
  '/v1/import': batch,
  // Short paths used by browser analytics.js.
  '/v1/t': single('track'),
  '/v1/i': single('identify'),
  '/v1/p': single('page'),
  '/v1/s': single('screen'),
  '/v1/g': single('group'),
  '/v1/a': single('alias'),
  '/v1/b': batch,
});

export const INGEST_PATHS: readonly string[] = Object.freeze(Object.keys(INGEST_ROUTES));

/** Route of a request path; ignores a query string and trailing slashes (clients configured with `host/`). */
export function resolveIngestRoute(path: string): Readonly<IngestRoute> | undefined {
  const withoutQuery = path.split('?', 1)[0] ?? '';
  const normalized = withoutQuery.replace(/\/+$/, '');
  return Object.hasOwn(INGEST_ROUTES, normalized) ? INGEST_ROUTES[normalized] : undefined;
}
