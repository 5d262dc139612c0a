/**
 * Outcome of one delivery attempt and the single place that maps runtime errors and HTTP statuses
 * onto it (data-plane spec §8.1).
 */
import { OUTBOUND_ADDRESS_REFUSED } from './outbound-guard.js';

export type RetryReason =
  | 'network'
  | 'timeout'
  | 'retryable-error'
  | 'http-5xx'
  | 'http-transient-4xx'
  | 'unclassified';

export type DiscardReason =
  | 'http-501'
  | 'http-4xx'
  | 'payload-invalid'
  | 'settings-invalid'
  | 'unknown-action'
  | 'not-subscribed'
  | 'invalid-trigger'
  | 'destination-address-refused'
  | 'unclassified-error';

export interface DeliveredResult {
  kind: 'delivered';
  status?: number;
}

export interface RetryResult {
  kind: 'retry';
  reason: RetryReason;
  /** True when nothing identified the failure; the caller allows these at most UNCLASSIFIED_MAX_ATTEMPTS. */
  unclassified: boolean;
  status?: number;
  retryAfterMs?: number;
  error: string;
  responseExcerpt?: string;
}

export interface DiscardResult {
  kind: 'discard';
  reason: DiscardReason;
  status?: number;
  error: string;
  responseExcerpt?: string;
}

export type AttemptResult = DeliveredResult | RetryResult | DiscardResult;

export const UNCLASSIFIED_MAX_ATTEMPTS = 3;
export const MAX_ERROR_BYTES = 1024;
export const MAX_EXCERPT_BYTES = 2048;

const BASE_DELAY_MS = 10_000;
const MAX_DELAY_MS = 10 * 60_000;

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_ERROR_CODES = new Set(['ETIMEDOUT', 'REQUESTTIMEOUTERROR', 'SELF_TIMEOUT', 'ESOCKETTIMEDOUT']);
const TIMEOUT_ERROR_NAMES = new Set(['TimeoutError', 'RequestTimeoutError', 'SelfTimeoutError', 'AbortError']);
const PAYLOAD_ERROR_NAMES = new Set(['AggregateAjvError', 'ValidationError', 'PayloadValidationError']);

export type HeaderSource =
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>;

export interface StatusDetail {
  error?: string;
  responseExcerpt?: string;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  try {
    if (typeof (headers as { get?: unknown }).get === 'function') {
      return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
    }
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const raw = key === undefined ? undefined : record[key];
    return Array.isArray(raw) ? raw[0] : raw;
  } catch {
    return undefined;
  }
}

/** Classifies a non-exception HTTP status (a response or a multistatus entry). */
export function classifyStatus(status: number, headers?: HeaderSource, detail: StatusDetail = {}): AttemptResult {
  const error = truncateUtf8(detail.error ?? `HTTP ${status}`, MAX_ERROR_BYTES);
  const excerpt = detail.responseExcerpt === undefined ? {} : { responseExcerpt: detail.responseExcerpt };
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 408 || status === 423 || status === 429) {
    const retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'));
    return {
      kind: 'retry',
      reason: 'http-transient-4xx',
      unclassified: false,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      error,
      ...excerpt,
    };
  }
  if (status === 501) return { kind: 'discard', reason: 'http-501', status, error, ...excerpt };
  if (status >= 500 && status < 600) {
    // A 503 may carry Retry-After too; honour it whenever present.
    const retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'));
    return {
      kind: 'retry',
      reason: 'http-5xx',
      unclassified: false,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      error,
      ...excerpt,
    };
  }
  if (status >= 400 && status < 500) return { kind: 'discard', reason: 'http-4xx', status, error, ...excerpt };
  // 1xx/3xx surfacing as failures are not in the table: retry a bounded number of times.
  return { kind: 'retry', reason: 'unclassified', unclassified: true, status, error, ...excerpt };
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  cause?: unknown;
  response?: {
    status?: unknown;
    headers?: unknown;
    content?: unknown;
    data?: unknown;
  };
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

/** "<name>: <message>" capped at 1 KB; never throws on exotic values. */
export function describeError(err: unknown): string {
  try {
    if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
      const e = err as ErrorLike;
      const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
      const message = typeof e.message === 'string' ? e.message : String(e.message);
      const code = typeof e.code === 'string' && !message.includes(e.code) ? ` (${e.code})` : '';
      return truncateUtf8(`${name}: ${message}${code}`, MAX_ERROR_BYTES);
    }
    return truncateUtf8(String(err), MAX_ERROR_BYTES);
  } catch {
    return 'Unprintable error';
  }
}

/** Body text already buffered by actions-core (`response.content`), capped at 2 KB. */
export function responseExcerptOf(err: unknown): string | undefined {
  try {
    const response = asErrorLike(err).response;
    if (!response || typeof response !== 'object') return undefined;
    return excerptOfBody(response.content ?? response.data);
  } catch {
    return undefined;
  }
}

export function excerptOfBody(body: unknown): string | undefined {
  try {
    if (body === undefined || body === null) return undefined;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    if (text === undefined || text === '') return undefined;
    return truncateUtf8(text, MAX_EXCERPT_BYTES);
  } catch {
    return undefined;
  }
}

function errorCodes(e: ErrorLike): string[] {
  const codes: string[] = [];
  if (typeof e.code === 'string') codes.push(e.code);
  const cause = asErrorLike(e.cause);
  if (typeof cause.code === 'string') codes.push(cause.code);
  return codes;
}

function statusOf(e: ErrorLike): number | undefined {
  const fromResponse = e.response && typeof e.response === 'object' ? e.response.status : undefined;
  const status = fromResponse ?? e.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** Maps anything thrown by `onEvent`/`onBatch` onto an attempt result. */
export function classifyError(err: unknown): AttemptResult {
  const e = asErrorLike(err);
  const name = typeof e.name === 'string' ? e.name : '';
  const codes = errorCodes(e);
  const error = describeError(err);
  const status = statusOf(e);
  const responseExcerpt = responseExcerptOf(err);
  const extra = {
    ...(status === undefined ? {} : { status }),
    ...(responseExcerpt === undefined ? {} : { responseExcerpt }),
  };

  // The SSRF guard refused the address; node-fetch wraps it in a FetchError that keeps the code. Retrying cannot help.
  if (codes.includes(OUTBOUND_ADDRESS_REFUSED)) return { kind: 'discard', reason: 'destination-address-refused', error, ...extra };
  if (PAYLOAD_ERROR_NAMES.has(name) || codes.includes('PAYLOAD_VALIDATION_FAILED')) {
    return { kind: 'discard', reason: 'payload-invalid', error, ...extra, status: status ?? 400 };
  }
  if (name === 'RetryableError' || codes.includes('RETRYABLE_ERROR')) {
    return { kind: 'retry', reason: 'retryable-error', unclassified: false, error, ...extra };
  }
  if (TIMEOUT_ERROR_NAMES.has(name) || codes.some((c) => TIMEOUT_ERROR_CODES.has(c))) {
    return { kind: 'retry', reason: 'timeout', unclassified: false, error, ...extra };
  }
  if (name === 'FetchError' || codes.some((c) => NETWORK_ERROR_CODES.has(c))) {
    return { kind: 'retry', reason: 'network', unclassified: false, error, ...extra };
  }
  if (status !== undefined) {
    const headers = e.response && typeof e.response === 'object' ? (e.response.headers as HeaderSource) : undefined;
    return classifyStatus(status, headers, { error, ...(responseExcerpt === undefined ? {} : { responseExcerpt }) });
  }
  return { kind: 'retry', reason: 'unclassified', unclassified: true, error };
}

/** A settings validation failure (actions-core's validateSettings), reported as a discard. */
export function settingsInvalid(err: unknown): DiscardResult {
  return { kind: 'discard', reason: 'settings-invalid', status: 400, error: describeError(err) };
}

/** Turns an unclassified retry that has used up its attempts into the final discard. */
export function exhaustedUnclassified(result: RetryResult): DiscardResult {
  const { status, error, responseExcerpt } = result;
  return {
    kind: 'discard',
    reason: 'unclassified-error',
    error,
    ...(status === undefined ? {} : { status }),
    ...(responseExcerpt === undefined ? {} : { responseExcerpt }),
  };
}

/**
 * Wait after the n-th failed attempt (n ≥ 1): min(10 min, 10 s × 2^(n−1)) jittered uniformly in [½, 1] of
 * that value, raised to at least Retry-After when the destination gave one.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: BASE_DELAY_MS, maxMs: MAX_DELAY_MS };

export function nextRetryDelayMs(
  attemptNumber: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const n = Number.isFinite(attemptNumber) ? Math.max(1, Math.floor(attemptNumber)) : 1;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (n - 1));
  const r = Math.min(1, Math.max(0, random()));
  const jittered = Math.round(ceiling * (0.5 + 0.5 * r));
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, Math.ceil(retryAfterMs)) : 0;
  return Math.max(jittered, floor);
}
