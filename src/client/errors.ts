// Errors the client throws. An answer from the server becomes a SwitchyardApiError carrying the envelope;
// a request that never got an answer becomes a SwitchyardNetworkError.

/** One entry of the `{"errors":[…]}` envelope. */
export interface ApiErrorEntry {
  type: string;
  message: string;
  field?: string;
  data?: Record<string, unknown>;
}

export interface ApiErrorDetails {
  status: number;
  method: string;
  url: string;
  errors: ApiErrorEntry[];
  /** What the server asked to wait before retrying (429/503), in milliseconds. */
  retryAfterMs?: number;
}

export class SwitchyardApiError extends Error {
  readonly status: number;
  /** `type` of the first envelope entry, e.g. `not-found`, `input-validation`, `unauthorized`, `RequestError`. */
  readonly type: string;
  readonly field: string | undefined;
  /** Every entry: a 422 lists one per failing field. */
  readonly errors: ApiErrorEntry[];
  readonly method: string;
  readonly url: string;
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails) {
    const first = details.errors[0] ?? { type: `http-${details.status}`, message: `HTTP ${details.status}` };
    super(first.message);
    this.name = 'SwitchyardApiError';
    this.status = details.status;
    this.type = first.type;
    this.field = first.field;
    this.errors = details.errors;
    this.method = details.method;
    this.url = details.url;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export class SwitchyardNetworkError extends Error {
  readonly method: string;
  readonly url: string;
  /** True when the per-request timeout fired (not the caller's own AbortSignal). */
  readonly timedOut: boolean;

  constructor(message: string, details: { method: string; url: string; timedOut: boolean; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SwitchyardNetworkError';
    this.method = details.method;
    this.url = details.url;
    this.timedOut = details.timedOut;
  }
}

function isEntry(value: unknown): value is ApiErrorEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.type === 'string' && typeof entry.message === 'string';
}

/**
 * The envelope's entries, or one synthetic entry when the body is not an envelope (a proxy's HTML page,
 * an empty 502), so callers can always read `type` and `message`.
 */
export function errorEntriesOf(status: number, statusText: string, body: string): ApiErrorEntry[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0 && parsed.errors.every(isEntry)) {
      return parsed.errors.map((entry) => {
        const { type, message, field, data } = entry;
        return { type, message, ...(typeof field === 'string' ? { field } : {}), ...(data !== undefined ? { data } : {}) };
      });
    }
  } catch {
    // Not JSON: described below.
  }
  const excerpt = body.trim().slice(0, 200);
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''}${excerpt ? `: ${excerpt}` : ''}`;
  return [{ type: `http-${status}`, message }];
}
