// The fetch wrapper under every client call: base URL, bearer token, JSON in and out, the `{"data"}` envelope,
// per-attempt timeouts, and retries of 429/5xx that honour Retry-After before falling back to capped
// exponential backoff with jitter.
import { errorEntriesOf, SwitchyardApiError, SwitchyardNetworkError } from './errors.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RetryInfo {
  method: HttpMethod;
  url: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused the retry, or undefined after a network failure. */
  status: number | undefined;
}

export interface TransportOptions {
  /** e.g. `http://127.0.0.1:8080`; a path prefix (behind a proxy) is kept. */
  baseUrl: string;
  token: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Retries after the first attempt; 0 disables retrying. Default 3. */
  maxRetries?: number;
  /** Per-attempt timeout in ms; 0 disables. Default 30 000. */
  timeoutMs?: number;
  /** First backoff step when the server gave no Retry-After. Default 500 ms. */
  retryBaseMs?: number;
  /** Backoff cap. Default 20 000 ms. */
  retryMaxMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown at once. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /**
   * Also retry POST after a 5xx or a network failure. Off by default: such a request may already have
   * taken effect, and creating a source, destination or subscription twice is worse than an error.
   * 429 is always retried, since a rate-limited request was refused before it ran.
   */
  retryUnsafeRequests?: boolean;
  userAgent?: string;
  /** Called before each retry's wait (logging, progress). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | Date | null | undefined;

export interface ApiCall {
  method: HttpMethod;
  /** Already percent-encoded (see `apiPath`). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  options?: RequestOptions | undefined;
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/** Builds a path with every interpolated value percent-encoded: ids may contain `/` or `%`. */
export function apiPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((path, text, i) => path + text + (i < values.length ? encodeURIComponent(values[i]!) : ''), '');
}

/** Retry-After as seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Rejects with the signal's reason when it aborts during the wait. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    params.append(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class HttpTransport {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;

  constructor(private readonly options: TransportOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bound so a browser's fetch is not called with the client as `this`.
    this.fetchImpl = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** Sends the call and returns the envelope's `data`. */
  async request<T>(call: ApiCall): Promise<T> {
    const url = `${this.baseUrl}${call.path}${encodeQuery(call.query)}`;
    const maxRetries = this.options.maxRetries ?? 3;
    const signal = call.options?.signal;
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < maxRetries;
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await this.attempt(call, url));
      } catch (error) {
        if (!(error instanceof SwitchyardNetworkError) || !canRetry || !this.mayRetryUnanswered(call.method)) throw error;
        await this.waitBeforeRetry(call.method, url, attempt, this.backoff(attempt), undefined, signal);
        continue;
      }
      if (response.ok) return this.dataOf<T>(call.method, url, response, text);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const error = new SwitchyardApiError({
        status: response.status,
        method: call.method,
        url,
        errors: errorEntriesOf(response.status, response.statusText, text),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      const delay = retryAfterMs ?? this.backoff(attempt);
      if (!canRetry || !this.mayRetryStatus(call.method, response.status) || delay > (this.options.maxRetryAfterMs ?? 60_000)) {
        throw error;
      }
      await this.waitBeforeRetry(call.method, url, attempt, delay, response.status, signal);
    }
  }

  private async attempt(call: ApiCall, url: string): Promise<{ response: Response; text: string }> {
    const timeoutMs = call.options?.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const callerSignal = call.options?.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const controller = new AbortController();
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
    const forwardAbort = () => controller.abort(callerSignal!.reason);
    callerSignal?.addEventListener('abort', forwardAbort, { once: true });
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.options.token}`,
      'user-agent': this.options.userAgent ?? 'switchyard-client',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.fetchImpl(url, {
        method: call.method,
        headers,
        signal: controller.signal,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
      // The body is read under the same timeout: a server that stalls mid-body is a failed attempt too.
      return { response, text: await response.text() };
    } catch (error) {
      // The caller's own abort is theirs to handle: rethrow its reason untouched.
      if (callerSignal?.aborted) throw callerSignal.reason;
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : describeCause(error);
      throw new SwitchyardNetworkError(`${call.method} ${url} failed: ${reason}`, { method: call.method, url, timedOut, cause: error });
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', forwardAbort);
    }
  }

  private dataOf<T>(method: HttpMethod, url: string, response: Response, text: string): T {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed)) {
      throw new SwitchyardApiError({
        status: response.status,
        method,
        url,
        errors: [{ type: 'invalid-response', message: `Expected a {"data": ...} JSON body, got: ${text.slice(0, 200) || '(empty)'}` }],
      });
    }
    return (parsed as { data: T }).data;
  }

  private mayRetryStatus(method: HttpMethod, status: number): boolean {
    if (status === 429) return true;
    return RETRYABLE_5XX.has(status) && this.mayRetryUnanswered(method);
  }

  private mayRetryUnanswered(method: HttpMethod): boolean {
    return method !== 'POST' || this.options.retryUnsafeRequests === true;
  }

  /** min(cap, base × 2^attempt), jittered to [½, 1] so many clients do not retry in step. */
  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs ?? 500;
    const cap = this.options.retryMaxMs ?? 20_000;
    const step = Math.min(cap, base * 2 ** attempt);
    return Math.round(step * (0.5 + Math.random() * 0.5));
  }

  private async waitBeforeRetry(
    method: HttpMethod,
    url: string,
    attempt: number,
    delayMs: number,
    status: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.options.onRetry?.({ method, url, attempt: attempt + 1, delayMs, status });
    await sleep(delayMs, signal);
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED …) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
