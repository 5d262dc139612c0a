// Turns Tracking API bodies into the events we store (data-plane.md §3–§6). Pure: the HTTP layer
// supplies the request's clock, client IP and messageId generator, and owns auth, byte limits and status codes.
import { randomUUID } from 'node:crypto';
import { formatIsoTimestamp, parseIsoTimestamp } from './timestamps.js';

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Decompressed body limit of the single-event endpoints (`/v1/track`, …). */
export const SINGLE_CALL_MAX_BYTES = 32_768;
/** Decompressed body limit of `/v1/batch`, `/v1/import`, `/v1/b`. */
export const BATCH_MAX_BYTES = 512_000;
/** More items than this fails the whole batch request. */
export const MAX_BATCH_EVENTS = 2_500;
/** UTF-8 length of one batch item's JSON; a larger item alone is rejected. */
export const EVENT_MAX_BYTES = 32_768;

const MESSAGE_ID_MAX_CHARS = 100;
// ECMAScript's representable time range.
const MAX_EPOCH_MS = 8.64e15;
const OBJECT_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;

export interface FieldError {
  type: 'input-validation';
  /** Top-level field at fault; `$` when the event as a whole is (not an object, too large). */
  field: string;
  message: string;
}

export interface NormalizeContext {
  receivedAt: Date;
  clientIp: string;
  newMessageId: () => string;
}

export interface NormalizedEvent {
  messageId: string;
  type: EventType;
  /** ISO-8601 UTC with ms; identical for every event of one request. */
  receivedAt: string;
  /** The full event as stored: client fields verbatim plus the server-filled ones, without `writeKey`. */
  body: Record<string, unknown>;
}

export interface RejectedEvent {
  index: number;
  messageId?: string;
  errors: FieldError[];
}

export type SingleNormalizeResult = { ok: true; event: NormalizedEvent } | { ok: false; errors: FieldError[] };

export type BatchNormalizeResult =
  | { ok: true; events: NormalizedEvent[]; rejected: RejectedEvent[] }
  | { ok: false; code: 'bad-request' | 'payload-too-large'; message: string };

/** Values a batch lends to each of its items. */
interface BatchDefaults {
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  sentAt?: unknown;
}

export function defaultMessageId(): string {
  return `api-${randomUUID()}`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** One event of a single-call endpoint; the path's type wins over any `type` in the body. */
export function normalizeSingle(type: EventType, body: unknown, ctx: NormalizeContext): SingleNormalizeResult {
  if (!isJsonObject(body)) return { ok: false, errors: [wholeEventError('the body must be a JSON object')] };
  return normalizeEvent(type, body, {}, ctx);
}

/** A `/v1/batch` body: invalid items are rejected one by one so the valid ones are still stored. */
export function normalizeBatch(body: unknown, ctx: NormalizeContext): BatchNormalizeResult {
  if (!isJsonObject(body)) return { ok: false, code: 'bad-request', message: 'the body must be a JSON object' };
  const batch = body['batch'];
  if (!Array.isArray(batch)) return { ok: false, code: 'bad-request', message: '"batch" must be an array' };
  if (batch.length > MAX_BATCH_EVENTS) {
    return {
      ok: false,
      code: 'payload-too-large',
      message: `"batch" has ${batch.length} events; at most ${MAX_BATCH_EVENTS} are accepted`,
    };
  }

  const defaults: BatchDefaults = { sentAt: body['sentAt'] };
  for (const key of ['context', 'integrations'] as const) {
    const value = body[key];
    if (isJsonObject(value)) defaults[key] = value;
    else if (value !== undefined && value !== null) {
      return { ok: false, code: 'bad-request', message: `batch-level "${key}" must be an object` };
    }
  }

  const events: NormalizedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  batch.forEach((item: unknown, index) => {
    const result = normalizeBatchItem(item, defaults, ctx);
    if (result.ok) events.push(result.event);
    else rejected.push({ index, ...rejectedMessageId(item), errors: result.errors });
  });
  return { ok: true, events, rejected };
}

function normalizeBatchItem(item: unknown, defaults: BatchDefaults, ctx: NormalizeContext): SingleNormalizeResult {
  if (!isJsonObject(item)) return { ok: false, errors: [wholeEventError('each batch item must be a JSON object')] };
  const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
  if (bytes > EVENT_MAX_BYTES) {
    return { ok: false, errors: [wholeEventError(`the event is ${bytes} bytes; at most ${EVENT_MAX_BYTES} are accepted`)] };
  }
  const type = item['type'];
  if (!isEventType(type)) {
    const message =
      type === undefined || type === null ? '"type" is required' : `"type" must be one of ${EVENT_TYPES.join(', ')}`;
    return { ok: false, errors: [fieldError('type', message)] };
  }
  return normalizeEvent(type, item, defaults, ctx);
}

function normalizeEvent(
  type: EventType,
  raw: Record<string, unknown>,
  defaults: BatchDefaults,
  ctx: NormalizeContext,
): SingleNormalizeResult {
  const { errors, coerced } = validateEvent(type, raw);
  if (errors.length > 0) return { ok: false, errors };

  // Spreading copies `__proto__` as a plain own key, so hostile JSON cannot reach the prototype.
  const body: Record<string, unknown> = { ...raw, ...coerced, type };
  delete body['writeKey'];

  const messageId = typeof raw['messageId'] === 'string' ? raw['messageId'] : ctx.newMessageId();
  body['messageId'] = messageId;

  for (const key of ['context', 'integrations'] as const) {
    const own = raw[key];
    const inherited = defaults[key];
    if (inherited !== undefined) body[key] = isJsonObject(own) ? deepMerge(inherited, own) : inherited;
  }
  fillClientIp(body, ctx.clientIp);

  const receivedMs = ctx.receivedAt.getTime();
  fillClockFields(body, raw, defaults.sentAt, receivedMs);
  const receivedAt = formatIsoTimestamp(receivedMs);
  body['receivedAt'] = receivedAt;

  return { ok: true, event: { messageId, type, receivedAt, body } };
}

/** Field errors of one event plus the identifier fields rewritten as strings. */
function validateEvent(
  type: EventType,
  raw: Record<string, unknown>,
): { errors: FieldError[]; coerced: Record<string, string> } {
  const errors: FieldError[] = [];
  const coerced: Record<string, string> = {};
  const addError = (field: string, message: string): void => {
    errors.push(fieldError(field, message));
  };
  // Reports a wrongly typed identifier itself; returns the string form, '' counting as missing.
  const readId = (field: string): { value?: string; invalid: boolean } => {
    const read = readIdentifier(raw[field]);
    if (read === 'invalid') {
      addError(field, `"${field}" must be a string or a number`);
      return { invalid: true };
    }
    if (read !== undefined) coerced[field] = read;
    return { value: read, invalid: false };
  };

  const userId = readId('userId');
  const anonymousId = readId('anonymousId');
  if (type === 'alias') {
    // An alias links previousId to a known user, so an anonymousId alone cannot stand in.
    if (!userId.value && !userId.invalid) addError('userId', '"userId" is required for alias');
    const previousId = readId('previousId');
    if (!previousId.value && !previousId.invalid) addError('previousId', '"previousId" is required for alias');
  } else if (!userId.value && !anonymousId.value && !userId.invalid && !anonymousId.invalid) {
    addError('userId', '"userId" or "anonymousId" is required');
  }

  if (type === 'track') {
    const event = raw['event'];
    if (event === undefined || event === null || event === '') addError('event', '"event" is required for track');
    else if (typeof event !== 'string') addError('event', '"event" must be a string');
  }
  if (type === 'group') {
    const groupId = readId('groupId');
    if (!groupId.value && !groupId.invalid) addError('groupId', '"groupId" is required for group');
  }

  for (const field of OBJECT_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null && !isJsonObject(value)) {
      addError(field, `"${field}" must be an object`);
    }
  }

  const messageId = raw['messageId'];
  if (
    messageId !== undefined &&
    messageId !== null &&
    (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > MESSAGE_ID_MAX_CHARS)
  ) {
    addError('messageId', `"messageId" must be a string of 1 to ${MESSAGE_ID_MAX_CHARS} characters`);
  }
  return { errors, coerced };
}

/** String as given, finite numbers as strings, null/absent as undefined; anything else is invalid. */
function readIdentifier(value: unknown): string | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return 'invalid';
}

/**
 * sentAt: the event's own, else the batch's; timestamp: skew-corrected when both clocks are readable.
 * Unreadable values never reject the event: the raw timestamp survives in originalTimestamp.
 */
function fillClockFields(
  body: Record<string, unknown>,
  raw: Record<string, unknown>,
  batchSentAt: unknown,
  receivedMs: number,
): void {
  const rawTimestamp = raw['timestamp'];
  const rawSentAt = raw['sentAt'];
  if (rawTimestamp !== undefined && rawTimestamp !== null) body['originalTimestamp'] = rawTimestamp;

  const timestampMs = parseIsoTimestamp(rawTimestamp);
  const sentAtMs = parseIsoTimestamp(rawSentAt) ?? parseIsoTimestamp(batchSentAt);
  if (sentAtMs !== undefined) body['sentAt'] = formatIsoTimestamp(sentAtMs);

  let eventMs = receivedMs;
  if (timestampMs !== undefined) {
    eventMs = sentAtMs === undefined ? timestampMs : receivedMs - (sentAtMs - timestampMs);
  }
  // A wildly wrong client clock can push the correction outside Date's range.
  body['timestamp'] = formatIsoTimestamp(Math.abs(eventMs) <= MAX_EPOCH_MS ? eventMs : receivedMs);
}

/** Browser-direct calls cannot know their public IP, so the server fills it in. */
function fillClientIp(body: Record<string, unknown>, clientIp: string): void {
  const context = body['context'];
  if (!isJsonObject(context) || context['direct'] !== true) return;
  if (context['ip'] !== undefined && context['ip'] !== null) return;
  body['context'] = { ...context, ip: clientIp };
}

/** `over` wins; nested plain objects merge, arrays and scalars replace. Inputs are not mutated. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = Object.hasOwn(result, key) ? result[key] : undefined;
    const merged = isJsonObject(existing) && isJsonObject(value) ? deepMerge(existing, value) : value;
    // defineProperty keeps a `__proto__` key an ordinary property instead of a prototype swap.
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function fieldError(field: string, message: string): FieldError {
  return { type: 'input-validation', field, message };
}

function wholeEventError(message: string): FieldError {
  return fieldError('$', message);
}

function rejectedMessageId(item: unknown): { messageId?: string } {
  if (!isJsonObject(item)) return {};
  const messageId = item['messageId'];
  return typeof messageId === 'string' && messageId.length > 0 && messageId.length <= MESSAGE_ID_MAX_CHARS
    ? { messageId }
    : {};
}
