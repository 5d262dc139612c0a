// Keyset pagination shared by every list (public-api.md §1.6). Cursors are opaque base64url JSON naming the
// collection, its parent and the sort key of the row they continue from, so a walk never skips or repeats rows
// while others are inserted or deleted. Legacy offset cursors (base64 of a decimal) are accepted as well.
import { invalidField } from './errors.js';

export type SortKey = [string | number, string];

export interface PageRequest {
  count: number;
  cursor?: string;
}

export interface PageInfo {
  current: string;
  next?: string;
  previous?: string;
  totalEntries: number;
}

/** What the collection's query must return: rows strictly after/before a key in page order, or from an offset. */
export interface PageQuery {
  after?: SortKey;
  before?: SortKey;
  /** Rows come back in reverse page order (used when walking backwards). */
  reverse: boolean;
  limit: number;
  offset: number;
}

interface CursorPayload {
  v: 1;
  c: string;
  p: string;
  k: SortKey;
  d: 'f' | 'b';
  /** Collection-specific pinned value (the audit trail pins its end time). */
  e?: number;
}

export const FIRST_PAGE_CURSOR = 'MA==';
/** base64url as we mint it, or standard base64 with padding (legacy offset cursors). */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

type Position = { kind: 'start' } | { kind: 'offset'; offset: number } | { kind: 'key'; key: SortKey; backward: boolean };

export interface DecodedCursor {
  position: Position;
  pinned?: number;
}

function invalidCursor(): never {
  throw invalidField('pagination.cursor', '"pagination.cursor" is not a cursor issued for this list');
}

export function decodeCursor(raw: string | undefined, collection: string, parent: string): DecodedCursor {
  if (raw === undefined || raw === '' || raw === FIRST_PAGE_CURSOR) return { position: { kind: 'start' } };
  // Node's base64 decoder skips characters it does not know; check the alphabet first so junk is refused.
  if (!BASE64.test(raw)) invalidCursor();
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (/^\d{1,9}$/.test(text)) return { position: { kind: 'offset', offset: Number(text) } };
  let payload: CursorPayload;
  try {
    payload = JSON.parse(text) as CursorPayload;
  } catch {
    invalidCursor();
  }
  const keyOk =
    Array.isArray(payload?.k) &&
    payload.k.length === 2 &&
    ['string', 'number'].includes(typeof payload.k[0]) &&
    typeof payload.k[1] === 'string';
  if (payload?.v !== 1 || payload.c !== collection || payload.p !== parent || !keyOk || !['f', 'b'].includes(payload.d)) {
    invalidCursor();
  }
  return {
    position: { kind: 'key', key: payload.k, backward: payload.d === 'b' },
    ...(typeof payload.e === 'number' ? { pinned: payload.e } : {}),
  };
}

function encodeCursor(collection: string, parent: string, key: SortKey, direction: 'f' | 'b', pinned?: number): string {
  const payload: CursorPayload = { v: 1, c: collection, p: parent, k: key, d: direction };
  if (pinned !== undefined) payload.e = pinned;
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export interface PageSpec<Row> {
  collection: string;
  parent: string;
  request: PageRequest;
  /** Decoded from request.cursor by the caller when it needs the pinned value first. */
  decoded?: DecodedCursor;
  pinned?: number;
  keyOf(row: Row): SortKey;
  /** Type of the sort key's first part (default: number, an epoch or sequence); a cursor carrying another is refused. */
  sortKind?: 'number' | 'string';
  fetch(query: PageQuery): Promise<Row[]>;
  total(): Promise<number>;
}

export async function fetchPage<Row>(spec: PageSpec<Row>): Promise<{ items: Row[]; pagination: PageInfo }> {
  const { collection, parent, request, pinned } = spec;
  const { count } = request;
  const decoded = spec.decoded ?? decodeCursor(request.cursor, collection, parent);
  const position = decoded.position;
  // A hand-made cursor with the wrong kind of key would otherwise reach SQL (and fail there, or compare oddly).
  if (position.kind === 'key') {
    const sortValue = position.key[0];
    const valid = (spec.sortKind ?? 'number') === 'number' ? Number.isSafeInteger(sortValue) : typeof sortValue === 'string';
    if (!valid) invalidCursor();
  }
  const current = request.cursor && request.cursor !== '' ? request.cursor : FIRST_PAGE_CURSOR;
  const cursorFor = (row: Row, direction: 'f' | 'b') => encodeCursor(collection, parent, spec.keyOf(row), direction, pinned);
  const totalPromise = spec.total();

  let items: Row[];
  let hasNext: boolean;
  let hasPrevious: boolean;
  if (position.kind === 'key' && position.backward) {
    const rows = await spec.fetch({ before: position.key, reverse: true, limit: count + 1, offset: 0 });
    if (rows.length > count) {
      items = rows.slice(0, count).reverse();
      hasNext = true;
      hasPrevious = true;
    } else {
      // Fewer rows than a page remain before the key: this is the first page, served whole.
      const first = await spec.fetch({ reverse: false, limit: count + 1, offset: 0 });
      items = first.slice(0, count);
      hasNext = first.length > count;
      hasPrevious = false;
    }
  } else {
    const offset = position.kind === 'offset' ? position.offset : 0;
    const after = position.kind === 'key' ? position.key : undefined;
    const rows = await spec.fetch({ ...(after ? { after } : {}), reverse: false, limit: count + 1, offset });
    items = rows.slice(0, count);
    hasNext = rows.length > count;
    hasPrevious = position.kind === 'key' || offset > 0;
  }

  const pagination: PageInfo = { current, totalEntries: await totalPromise };
  const last = items[items.length - 1];
  const first = items[0];
  if (hasNext && last !== undefined) pagination.next = cursorFor(last, 'f');
  if (hasPrevious) {
    if (first !== undefined) pagination.previous = cursorFor(first, 'b');
    else if (position.kind === 'key') pagination.previous = encodeCursor(collection, parent, position.key, 'b', pinned);
  }
  return { items, pagination };
}

/** Pages over an array already sorted in page order (the in-memory catalogs). */
export function arrayPageFetcher<Row>(rows: readonly Row[], keyOf: (row: Row) => SortKey) {
  const compare = (a: SortKey, b: SortKey) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  return async (query: PageQuery): Promise<Row[]> => {
    if (query.reverse) {
      const before = query.before;
      const end = before ? rows.findIndex((r) => compare(keyOf(r), before) >= 0) : rows.length;
      const stop = end === -1 ? rows.length : end;
      return rows.slice(Math.max(0, stop - query.limit), stop).reverse();
    }
    const after = query.after;
    const start = after ? rows.findIndex((r) => compare(keyOf(r), after) > 0) : query.offset;
    if (start === -1) return [];
    return rows.slice(start, start + query.limit);
  };
}
