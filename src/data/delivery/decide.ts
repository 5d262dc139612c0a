// Turns one attempt's result into what happens to the delivery next (data-plane.md §8.1).
import { nextRetryDelayMs, UNCLASSIFIED_MAX_ATTEMPTS, type AttemptResult, type BackoffPolicy } from '../../actions/outcome.js';
import type { Settlement } from '../queue/queue.js';

export interface DecisionInput {
  result: AttemptResult;
  /** 1 for the first attempt. */
  attemptNumber: number;
  firstAttemptAt: number;
  now: number;
  maxAgeMs: number;
  backoff: BackoffPolicy;
  random?: () => number;
}

export function decide({ result, attemptNumber, firstAttemptAt, now, maxAgeMs, backoff, random }: DecisionInput): Settlement {
  switch (result.kind) {
    case 'delivered':
      return { kind: 'delivered' };
    case 'discard':
      return {
        kind: 'dead',
        outcome: 'discarded',
        reason: result.reason,
        error: result.error,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.responseExcerpt !== undefined ? { responseExcerpt: result.responseExcerpt } : {}),
      };
    case 'retry': {
      const detail = {
        error: result.error,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.responseExcerpt !== undefined ? { responseExcerpt: result.responseExcerpt } : {}),
      };
      if (result.unclassified && attemptNumber >= UNCLASSIFIED_MAX_ATTEMPTS) {
        return { kind: 'dead', outcome: 'discarded', reason: 'unclassified-error', ...detail };
      }
      const nextAttemptAt = now + nextRetryDelayMs(attemptNumber, result.retryAfterMs, random, backoff);
      // Nothing expires before its first attempt; after it, the retry window is counted from that attempt.
      if (nextAttemptAt > firstAttemptAt + maxAgeMs) return { kind: 'dead', outcome: 'expired', reason: 'retry-window-exhausted', ...detail };
      return { kind: 'retry', nextAttemptAt, error: result.error };
    }
  }
}
