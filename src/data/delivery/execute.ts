// Runs one destination's claimed deliveries: reads configuration at attempt time, calls the actions runtime
// (batched where the action supports it), decides each outcome and settles it.
import { applyFieldDefaults } from '../../actions/mapping.js';
import type { AttemptResult, BackoffPolicy } from '../../actions/outcome.js';
import type { ActionsRuntime } from '../../actions/runtime.js';
import type { ClaimedDelivery, DeliveryQueue, Settlement, SettleTiming } from '../queue/queue.js';
import type { AttemptConfig, AttemptConfigReader, AttemptSubscription } from './attempt-config.js';
import { decide } from './decide.js';

export interface ExecutorDeps {
  queue: DeliveryQueue;
  readConfig: AttemptConfigReader;
  runtime: ActionsRuntime;
  maxAgeMs: number;
  backoff: BackoffPolicy;
  now?: () => number;
  /** Called for every settled outcome (operator metrics, logs); must not throw. */
  onSettled?: (claim: ClaimedDelivery, settlement: Settlement, timing: SettleTiming) => void;
}

/** What the scheduler learns from a run: whether the endpoint looks healthy and when it asked us to come back. */
export interface ExecutionSummary {
  delivered: number;
  retryable: number;
  retryAfterMs?: number;
}

function skip(reason: string, error: string): Settlement {
  return { kind: 'dead', outcome: 'discarded', reason, error };
}

async function runSubscription(
  runtime: ActionsRuntime,
  config: AttemptConfig,
  subscription: AttemptSubscription,
  claims: { claim: ClaimedDelivery; event: Record<string, unknown> }[],
): Promise<AttemptResult[]> {
  const directory = config.runtimeDirectory!;
  const mapping = applyFieldDefaults(subscription.fields, subscription.mapping);
  const base = { runtimeDirectory: directory, settings: config.settings, actionSlug: subscription.actionSlug, trigger: subscription.trigger, mapping };
  const batch = runtime.batchSettings(directory, subscription.actionSlug, mapping);
  if (!batch.enabled || claims.length < 2) {
    return Promise.all(claims.map(({ event }) => runtime.deliver({ ...base, event })));
  }
  // Events go in one batch only when their batch keys (e.g. the resolved URL) agree; chunks run side by side.
  const groups = new Map<string, number[]>();
  claims.forEach(({ event }, i) => {
    const key = runtime.batchGroupKey(mapping, batch.keys, event);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const chunks: number[][] = [];
  for (const indexes of groups.values()) {
    for (let i = 0; i < indexes.length; i += batch.size) chunks.push(indexes.slice(i, i + batch.size));
  }
  const results: AttemptResult[] = new Array<AttemptResult>(claims.length);
  await Promise.all(
    chunks.map(async (chunk) => {
      const outcomes = await runtime.deliverBatch({ ...base, events: chunk.map((i) => claims[i]!.event) });
      chunk.forEach((index, j) => (results[index] = outcomes[j]!));
    }),
  );
  return results;
}

export async function executeClaims(claims: ClaimedDelivery[], deps: ExecutorDeps): Promise<ExecutionSummary> {
  const now = deps.now ?? Date.now;
  const summary: ExecutionSummary = { delivered: 0, retryable: 0 };
  const first = claims[0];
  if (!first) return summary;
  const startedAt = now();
  const [config, bodies] = await Promise.all([
    deps.readConfig(first.destinationId, claims.map((c) => c.subscriptionId)),
    deps.queue.eventBodies(claims.map((c) => c.eventId)),
  ]);
  // A deleted destination's deliveries were removed with it; nothing is left to settle.
  if (!config) return summary;

  const settle = async (claim: ClaimedDelivery, settlement: Settlement, attempted: boolean) => {
    const timing = { startedAt, finishedAt: now(), attempted };
    if (await deps.queue.settle(claim, settlement, timing)) deps.onSettled?.(claim, settlement, timing);
  };
  const groups = new Map<AttemptSubscription, { claim: ClaimedDelivery; event: Record<string, unknown> }[]>();
  const skipped: Promise<void>[] = [];
  for (const claim of claims) {
    const subscription = config.subscriptions.get(claim.subscriptionId);
    const event = bodies.get(claim.eventId);
    if (!subscription) continue; // removed with its subscription
    if (!event) skipped.push(settle(claim, skip('event-missing', 'The stored event no longer exists'), false));
    else if (!config.enabled) skipped.push(settle(claim, skip('destination-disabled', 'The destination is disabled'), false));
    else if (!subscription.enabled) skipped.push(settle(claim, skip('subscription-disabled', 'The subscription is disabled'), false));
    else if (!config.runtimeDirectory) skipped.push(settle(claim, skip('no-runtime', 'This destination has no delivery runtime'), false));
    else groups.set(subscription, [...(groups.get(subscription) ?? []), { claim, event }]);
  }
  await Promise.all(skipped);

  await Promise.all(
    [...groups].map(async ([subscription, members]) => {
      const results = await runSubscription(deps.runtime, config, subscription, members);
      await Promise.all(
        members.map(({ claim }, i) => {
          const result = results[i] ?? { kind: 'retry', reason: 'unclassified', unclassified: true, error: 'No result for this event' };
          if (result.kind === 'delivered') summary.delivered += 1;
          if (result.kind === 'retry') {
            summary.retryable += 1;
            if (result.retryAfterMs !== undefined) summary.retryAfterMs = Math.max(summary.retryAfterMs ?? 0, result.retryAfterMs);
          }
          const settlement = decide({
            result,
            attemptNumber: claim.attempts + 1,
            firstAttemptAt: claim.firstAttemptAt ?? startedAt,
            now: now(),
            maxAgeMs: deps.maxAgeMs,
            backoff: deps.backoff,
          });
          return settle(claim, settlement, true);
        }),
      );
    }),
  );
  return summary;
}
