// Helpers for talking to the Tracking API (/v1/*) and for waiting on the delivery queue of a test server.
import type { TestServer } from './server.js';

// Responses are read loosely typed: the suites assert the wire shape themselves.
export type Json = any;

export interface TrackingResult {
  status: number;
  headers: Headers;
  body: Json;
}

export function basicAuth(writeKey: string, withColon = true): string {
  return `Basic ${Buffer.from(withColon ? `${writeKey}:` : writeKey).toString('base64')}`;
}

export interface PostOptions {
  writeKey?: string;
  headers?: Record<string, string>;
}

/** POSTs to a Tracking API path; an object body is sent as JSON, a string or bytes as they are. */
export async function postTracking(server: TestServer, path: string, body: unknown, options: PostOptions = {}): Promise<TrackingResult> {
  const headers: Record<string, string> = {};
  if (options.writeKey) headers.authorization = basicAuth(options.writeKey);
  let payload: string | Uint8Array;
  if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
  else {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, ...options.headers }, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function queuedDeliveries(server: TestServer, destinationId?: string): Promise<number> {
  let query = server.running.storage.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'));
  if (destinationId) query = query.where('destination_id', '=', destinationId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Waits until no delivery (of that destination) is left in the queue: delivered or dead-lettered. */
export async function waitForEmptyQueue(server: TestServer, destinationId?: string, timeoutMs = 20_000): Promise<void> {
  await waitUntil(async () => (await queuedDeliveries(server, destinationId)) === 0, timeoutMs, 'empty delivery queue');
}

export function messageIdsOf(requests: { json: unknown }[]): string[] {
  return requests.map((r) => (r.json as { messageId?: string } | undefined)?.messageId ?? '');
}

/** Sends one track event per messageId in a single /v1/batch request; throws unless it is acknowledged. */
export async function sendTrackBatch(server: TestServer, writeKey: string, messageIds: string[], extra: Json = {}): Promise<void> {
  const batch = messageIds.map((messageId, n) => ({ type: 'track', event: 'Order Completed', userId: `u${n}`, messageId, properties: { n }, ...extra }));
  const result = await postTracking(server, '/v1/batch', { batch }, { writeKey });
  if (result.status !== 200 || result.body.rejected) throw new Error(`ingest answered ${result.status}: ${JSON.stringify(result.body)}`);
}

export function idsWithPrefix(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

export function deadLettersOf(server: TestServer, destinationId: string) {
  return server.running.storage.db.selectFrom('dead_letters').selectAll().where('destination_id', '=', destinationId).orderBy('id').execute();
}

/** Waits until the destination has `count` dead letters and returns them. */
export async function waitForDeadLetters(server: TestServer, destinationId: string, count: number, timeoutMs = 15_000) {
  await waitUntil(async () => (await deadLettersOf(server, destinationId)).length >= count, timeoutMs, `${count} dead letters`);
  return deadLettersOf(server, destinationId);
}
