/**
 * The only module that invokes @segment/actions-core. It loads destination definitions lazily, runs one
 * subscription per call and turns whatever comes back into an AttemptResult (data-plane spec §8, §10).
 */
import { createRequire } from 'node:module';
import {
  classifyError,
  classifyStatus,
  describeError,
  excerptOfBody,
  settingsInvalid,
  type AttemptResult,
} from './outcome.js';

const require = createRequire(import.meta.url);

/** actions-core's mapping engine, loaded on first use. */
function core(): { transform(mapping: unknown, data: unknown): unknown } {
  return require('@segment/actions-core') as { transform(mapping: unknown, data: unknown): unknown };
}

export interface TokenRefreshResult {
  accessToken: string;
  refreshToken?: string;
}

export interface DeliverRequest {
  /** Directory under @segment/action-destinations/dist/destinations (e.g. `webhook`). */
  runtimeDirectory: string;
  settings: Record<string, unknown>;
  actionSlug: string;
  trigger: string;
  /** Subscription settings with field defaults already applied. */
  mapping: Record<string, unknown>;
  /** Handed to core as is (core may change it): pass an object that is not used afterwards. */
  event: Record<string, unknown>;
  /** Called after core refreshed an OAuth token (once, on a 401); persist the tokens into `settings.oauth`. */
  onTokenRefresh?: (tokens: TokenRefreshResult) => Promise<void>;
}

export interface DeliverBatchRequest extends Omit<DeliverRequest, 'event'> {
  events: Record<string, unknown>[];
}

export interface BatchSettings {
  enabled: boolean;
  size: number;
  keys: string[];
}

/** pino-compatible subset. */
export interface RuntimeLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ActionsRuntimeOptions {
  timeoutMs: number;
  logger?: RuntimeLogger;
}

export interface ActionsRuntime {
  deliver(req: DeliverRequest): Promise<AttemptResult>;
  deliverBatch(req: DeliverBatchRequest): Promise<AttemptResult[]>;
  supportsBatching(runtimeDirectory: string, actionSlug: string): boolean;
  batchSettings(runtimeDirectory: string, actionSlug: string, mapping: Record<string, unknown>): BatchSettings;
  /** Events whose mapped `keys` (the action's batch_keys, e.g. url/method/headers) agree may share one batch. */
  batchGroupKey(mapping: Record<string, unknown>, keys: readonly string[], event: Record<string, unknown>): string;
  /** The cached Destination for a directory, if already loaded (diagnostics and tests). */
  loadedDestination(runtimeDirectory: string): LoadedDestination | undefined;
}

/** The slice of actions-core's Destination this module relies on. */
export interface LoadedDestination {
  responses: unknown[];
  definition: { actions: Record<string, ActionDefinitionLike> };
  validateSettings(settings: Record<string, unknown>): void;
  onEvent(event: unknown, settings: Record<string, unknown>, options?: InvokeOptions): Promise<unknown[]>;
  onBatch(events: unknown[], settings: Record<string, unknown>, options?: InvokeOptions): Promise<unknown[]>;
}

interface ActionDefinitionLike {
  performBatch?: unknown;
  fields?: Record<string, { default?: unknown } | undefined>;
}

interface InvokeOptions {
  signal: AbortSignal;
  onTokenRefresh?: (tokens: TokenRefreshResult) => Promise<void>;
}

type MultistatusEntry = { status?: unknown; errortype?: unknown; errormessage?: unknown; body?: unknown };

export const MAX_BATCH_SIZE = 1000;
/** Extra time past the request timeout before we stop waiting on a destination that ignores the signal. */
const HARD_TIMEOUT_GRACE_MS = 2_000;
const DIRECTORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const NOT_SUBSCRIBED = 'not subscribed';
const TRIGGER_MISMATCH = 'Payload is either invalid or does not match the subscription';
const INVALID_TRIGGER_PREFIXES = ['Invalid subscription', 'Failed to validate subscription'];

/** Requires one destination definition by directory; never the package index, which loads all of them. */
export function requireDestinationDefinition(runtimeDirectory: string): unknown {
  if (!DIRECTORY_PATTERN.test(runtimeDirectory)) {
    throw new Error(`Invalid destination directory: ${JSON.stringify(runtimeDirectory)}`);
  }
  const mod = require(`@segment/action-destinations/dist/destinations/${runtimeDirectory}`) as { default?: unknown };
  if (!mod.default) throw new Error(`Destination module ${runtimeDirectory} has no default export`);
  return mod.default;
}

function outputOf(result: unknown): string | undefined {
  const output = typeof result === 'object' && result !== null ? (result as { output?: unknown }).output : undefined;
  return typeof output === 'string' ? output : undefined;
}

function isAjvError(err: unknown): boolean {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'AggregateAjvError' || name === 'ValidationError';
}

/** Result of `onEvent` that did not throw: only an executed action counts as delivered. */
function interpretEventResults(results: unknown[]): AttemptResult {
  if (results.length === 0) {
    return { kind: 'discard', reason: 'unknown-action', error: 'The destination has no action with this slug' };
  }
  if (results.some((r) => outputOf(r) === 'Action Executed')) return { kind: 'delivered' };
  const output = results.map(outputOf).find((o) => o !== undefined) ?? JSON.stringify(results).slice(0, 200);
  if (output === NOT_SUBSCRIBED) {
    return { kind: 'discard', reason: 'not-subscribed', error: 'The event does not match the subscription trigger' };
  }
  if (INVALID_TRIGGER_PREFIXES.some((p) => output.startsWith(p))) {
    return { kind: 'discard', reason: 'invalid-trigger', status: 400, error: describeError(new Error(output)) };
  }
  return { kind: 'retry', reason: 'unclassified', unclassified: true, error: `Unexpected result: ${output}` };
}

function interpretMultistatusEntry(entry: MultistatusEntry | undefined): AttemptResult {
  if (!entry || typeof entry.status !== 'number') {
    return { kind: 'retry', reason: 'unclassified', unclassified: true, error: 'Missing multistatus entry' };
  }
  const message = typeof entry.errormessage === 'string' ? entry.errormessage : undefined;
  const responseExcerpt = excerptOfBody(entry.body);
  if (entry.status >= 200 && entry.status < 300) return { kind: 'delivered', status: entry.status };
  if (entry.errortype === 'PAYLOAD_VALIDATION_FAILED' && entry.status === 400) {
    // core reports trigger mismatches and bad FQL with the same errortype; tell them apart by message.
    if (message === TRIGGER_MISMATCH) {
      return { kind: 'discard', reason: 'not-subscribed', status: 400, error: message };
    }
    const reason = message && INVALID_TRIGGER_PREFIXES.some((p) => message.startsWith(p)) ? 'invalid-trigger' : 'payload-invalid';
    return { kind: 'discard', reason, status: 400, error: describeError(new Error(message ?? 'Payload validation failed')) };
  }
  const error = message ?? (typeof entry.errortype === 'string' ? entry.errortype : `HTTP ${entry.status}`);
  return classifyStatus(entry.status, undefined, { error, ...(responseExcerpt === undefined ? {} : { responseExcerpt }) });
}

/** Races the call against a hard deadline so a destination that ignores the abort signal cannot pin a worker. */
function withHardDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Destination did not settle within ${ms}ms`);
      err.name = 'TimeoutError';
      reject(err);
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The settings actions-core validates: everything but the keys it strips before validation. */
function destinationSettingsOf(settings: Record<string, unknown>): Record<string, unknown> {
  const { subscriptions: _s, subcription: _t, subscription: _u, oauth: _o, ...rest } = settings;
  return rest;
}

export function createActionsRuntime(opts: ActionsRuntimeOptions): ActionsRuntime {
  const { Destination } = require('@segment/actions-core') as {
    Destination: new (definition: unknown) => LoadedDestination;
  };
  const cache = new Map<string, LoadedDestination>();
  const logger = opts.logger;

  function load(runtimeDirectory: string): LoadedDestination {
    const cached = cache.get(runtimeDirectory);
    if (cached) return cached;
    const destination = new Destination(requireDestinationDefinition(runtimeDirectory));
    cache.set(runtimeDirectory, destination);
    return destination;
  }

  function tryLoad(runtimeDirectory: string): LoadedDestination | AttemptResult {
    try {
      return load(runtimeDirectory);
    } catch (err) {
      logger?.warn({ err, runtimeDirectory }, 'failed to load destination definition');
      return { kind: 'retry', reason: 'unclassified', unclassified: true, error: describeError(err) };
    }
  }

  function actionOf(runtimeDirectory: string, actionSlug: string): ActionDefinitionLike | undefined {
    try {
      const actions = load(runtimeDirectory).definition.actions;
      return Object.prototype.hasOwnProperty.call(actions, actionSlug) ? actions[actionSlug] : undefined;
    } catch {
      return undefined;
    }
  }

  function supportsBatching(runtimeDirectory: string, actionSlug: string): boolean {
    return typeof actionOf(runtimeDirectory, actionSlug)?.performBatch === 'function';
  }

  function batchSettings(runtimeDirectory: string, actionSlug: string, mapping: Record<string, unknown>): BatchSettings {
    const action = actionOf(runtimeDirectory, actionSlug);
    if (!action || typeof action.performBatch !== 'function') return { enabled: false, size: 1, keys: [] };
    const fields = action.fields ?? {};
    const resolve = (key: string): unknown => (key in mapping ? mapping[key] : fields[key]?.default);

    const rawSize = Number(resolve('batch_size'));
    const size = Number.isFinite(rawSize) && rawSize >= 1 ? Math.min(Math.floor(rawSize), MAX_BATCH_SIZE) : MAX_BATCH_SIZE;
    let enabled: boolean;
    if ('enable_batching' in fields || 'enable_batching' in mapping) {
      const flag = resolve('enable_batching');
      enabled = flag === true || flag === 'true';
    } else {
      // Actions without an enable_batching field (webhook) opt in by a batch size above one.
      enabled = Number.isFinite(rawSize) && rawSize > 1;
    }
    const rawKeys = 'batch_keys' in fields ? resolve('batch_keys') : undefined;
    const keys = Array.isArray(rawKeys) ? rawKeys.filter((k): k is string => typeof k === 'string') : [];
    return { enabled, size: enabled ? size : 1, keys };
  }

  function batchGroupKey(mapping: Record<string, unknown>, keys: readonly string[], event: Record<string, unknown>): string {
    if (keys.length === 0) return '';
    const picked = Object.fromEntries(keys.filter((key) => key in mapping).map((key) => [key, mapping[key]]));
    try {
      return JSON.stringify(core().transform(picked, event));
    } catch {
      // A mapping that cannot be resolved fails the same way in the batch call; group it on its own.
      return JSON.stringify(picked);
    }
  }

  function invocation(req: Omit<DeliverRequest, 'event'>): { settings: Record<string, unknown>; options: InvokeOptions } {
    // Deep copies: core's settings validation deletes unknown keys and coerces types in place.
    const settings = {
      ...structuredClone(req.settings),
      subscriptions: [{ partnerAction: req.actionSlug, subscribe: req.trigger, mapping: structuredClone(req.mapping) }],
    };
    const options: InvokeOptions = { signal: AbortSignal.timeout(opts.timeoutMs) };
    if (req.onTokenRefresh) options.onTokenRefresh = req.onTokenRefresh;
    return { settings, options };
  }

  function classifyThrown(destination: LoadedDestination, settings: Record<string, unknown>, err: unknown): AttemptResult {
    if (isAjvError(err)) {
      // Settings and payload failures share the error class; re-validate settings alone to tell them apart.
      try {
        destination.validateSettings(structuredClone(destinationSettingsOf(settings)));
      } catch (settingsErr) {
        return settingsInvalid(settingsErr);
      }
    }
    return classifyError(err);
  }

  async function deliver(req: DeliverRequest): Promise<AttemptResult> {
    const loaded = tryLoad(req.runtimeDirectory);
    if ('kind' in loaded) return loaded;
    const destination = loaded;
    try {
      const { settings, options } = invocation(req);
      // Events are parsed afresh from storage for every attempt, so core may have them without a copy.
      const call = destination.onEvent(req.event, settings, options);
      const results = await withHardDeadline(call, opts.timeoutMs + HARD_TIMEOUT_GRACE_MS);
      return interpretEventResults(Array.isArray(results) ? results : []);
    } catch (err) {
      return classifyThrown(destination, req.settings, err);
    } finally {
      // Core keeps every HTTP response on the instance forever; drop them after each call.
      destination.responses.length = 0;
    }
  }

  async function deliverBatch(req: DeliverBatchRequest): Promise<AttemptResult[]> {
    const { events, ...rest } = req;
    if (events.length === 0) return [];
    if (!supportsBatching(req.runtimeDirectory, req.actionSlug)) {
      // core throws a 501 for onBatch on such actions; deliver one by one instead.
      return Promise.all(events.map((event) => deliver({ ...rest, event })));
    }
    const loaded = tryLoad(req.runtimeDirectory);
    if ('kind' in loaded) return events.map(() => ({ ...loaded }));
    const destination = loaded;
    try {
      const { settings, options } = invocation(rest);
      const call = destination.onBatch(events, settings, options);
      const results = await withHardDeadline(call, opts.timeoutMs + HARD_TIMEOUT_GRACE_MS);
      const first = Array.isArray(results) ? (results[0] as { multistatus?: unknown } | undefined) : undefined;
      if (first && Array.isArray(first.multistatus)) {
        const multistatus = first.multistatus as (MultistatusEntry | undefined)[];
        return events.map((_, i) => interpretMultistatusEntry(multistatus[i]));
      }
      const whole = interpretEventResults(Array.isArray(results) ? results : []);
      return events.map(() => ({ ...whole }));
    } catch (err) {
      const result = classifyThrown(destination, req.settings, err);
      return events.map(() => ({ ...result }));
    } finally {
      destination.responses.length = 0;
    }
  }

  return {
    deliver,
    deliverBatch,
    supportsBatching,
    batchSettings,
    batchGroupKey,
    loadedDestination: (runtimeDirectory) => cache.get(runtimeDirectory),
  };
}
