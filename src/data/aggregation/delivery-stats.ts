// In-process delivery outcome counters and attempt latency for operators (Prometheus). They describe this
// process since it started; the Public API's per-minute metrics live in the database instead.
import type { Settlement, SettleTiming } from '../queue/queue.js';

export type OutcomeKind = 'delivered' | 'retried' | 'discarded' | 'expired';

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['delivered', 'retried', 'discarded', 'expired'];

/** Upper bounds in seconds; a request that hits the 10 s default timeout lands in the last finite bucket. */
export const ATTEMPT_SECONDS_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class SecondsHistogram {
  /** Non-cumulative count per bucket; the extra last slot is +Inf. */
  private readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(seconds: number): void {
    const index = this.bounds.findIndex((bound) => seconds <= bound);
    this.counts[index === -1 ? this.bounds.length : index]! += 1;
    this.sum += seconds;
    this.count += 1;
  }

  /** Cumulative counts per finite bound, as Prometheus exposes them (+Inf equals `count`). */
  cumulative(): number[] {
    let running = 0;
    return this.bounds.map((_, i) => (running += this.counts[i]!));
  }
}

export class DeliveryStats {
  readonly outcomes: Record<OutcomeKind, number> = { delivered: 0, retried: 0, discarded: 0, expired: 0 };
  readonly attemptSeconds = new SecondsHistogram(ATTEMPT_SECONDS_BUCKETS);

  observe(settlement: Settlement, timing?: SettleTiming): void {
    const kind: OutcomeKind = settlement.kind === 'dead' ? settlement.outcome : settlement.kind === 'retry' ? 'retried' : 'delivered';
    this.outcomes[kind] += 1;
    // Disabled destinations or subscriptions are settled without a request; they have no latency.
    if (timing?.attempted) this.attemptSeconds.observe(Math.max(0, timing.finishedAt - timing.startedAt) / 1000);
  }
}
