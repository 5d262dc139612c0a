// The delivery scheduler: serves destinations with ready work round-robin, never lets one destination hold
// more than its in-flight cap, and pauses a destination that throttles us or keeps failing, resuming it with a
// single probe. Retries are rows with a next-attempt time, never sleeping workers.
import type { ClaimedDelivery, DeliveryQueue } from '../queue/queue.js';
import type { ExecutionSummary } from './execute.js';

export interface SchedulerOptions {
  /** Requests one destination may have in flight (a batched request counts once). */
  perDestinationCap: number;
  /** Requests in flight across all destinations in this process. */
  concurrency: number;
  /** How long to wait for new work when nothing is ready. */
  idlePollMs: number;
  /** First pause after repeated failures; doubles per pause, up to 10 minutes. */
  pauseBaseMs: number;
}

export interface SchedulerDeps {
  queue: DeliveryQueue;
  /** Deliveries one request to the destination carries (its batch size; 1 when it does not batch). */
  deliveriesPerSlot?(destinationId: string): Promise<number>;
  execute(claims: ClaimedDelivery[]): Promise<ExecutionSummary>;
  onError(error: unknown): void;
  now?: () => number;
}

const FAILURES_BEFORE_PAUSE = 5;
const MAX_PAUSE_MS = 10 * 60_000;

interface DestinationState {
  inFlight: number;
  consecutiveFailures: number;
  pauses: number;
  pausedUntil: number;
  /** After a pause, one delivery at a time until one succeeds. */
  probing: boolean;
}

export class DeliveryScheduler {
  private readonly states = new Map<string, DestinationState>();
  private inFlight = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private rotation = 0;
  private readonly now: () => number;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly options: SchedulerOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop early, e.g. right after ingest stored new deliveries. */
  notify(): void {
    this.wake?.();
  }

  /** Stops claiming and waits for the deliveries in flight to settle. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    while (this.inFlight > 0) await this.sleep(50);
  }

  private state(destinationId: string): DestinationState {
    let state = this.states.get(destinationId);
    if (!state) {
      state = { inFlight: 0, consecutiveFailures: 0, pauses: 0, pausedUntil: 0, probing: false };
      this.states.set(destinationId, state);
    }
    return state;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.claimRound();
      } catch (error) {
        this.deps.onError(error);
      }
      if (!this.running) break;
      // Saturated or idle: wait for a delivery to finish, new work, or the poll interval.
      if (claimed === 0 || this.inFlight >= this.options.concurrency) await this.sleep(this.options.idlePollMs);
    }
  }

  private async claimRound(): Promise<number> {
    const now = this.now();
    const ready = await this.deps.queue.readyDestinations(now);
    if (ready.length === 0) return 0;
    // Start each round one destination further along, so none is always served first.
    this.rotation = (this.rotation + 1) % ready.length;
    const ordered = [...ready.slice(this.rotation), ...ready.slice(0, this.rotation)];
    let claimed = 0;
    for (const destinationId of ordered) {
      if (!this.running || this.inFlight >= this.options.concurrency) break;
      const state = this.state(destinationId);
      if (state.pausedUntil > now) continue;
      const cap = state.probing ? 1 : this.options.perDestinationCap;
      const free = Math.min(cap - state.inFlight, this.options.concurrency - this.inFlight);
      if (free <= 0) continue;
      // A probe after a pause is one delivery, not a full batch, so a dead endpoint costs next to nothing.
      const perSlot = state.probing ? 1 : Math.max(1, (await this.deps.deliveriesPerSlot?.(destinationId)) ?? 1);
      const claims = await this.deps.queue.claim(destinationId, free * perSlot, now);
      if (claims.length === 0) continue;
      claimed += claims.length;
      this.dispatch(destinationId, state, claims, Math.ceil(claims.length / perSlot));
    }
    return claimed;
  }

  private dispatch(destinationId: string, state: DestinationState, claims: ClaimedDelivery[], slots: number): void {
    state.inFlight += slots;
    this.inFlight += slots;
    this.deps
      .execute(claims)
      .then((summary) => this.observe(state, summary))
      .catch((error: unknown) => this.deps.onError(error))
      .finally(() => {
        state.inFlight -= slots;
        this.inFlight -= slots;
        if (state.inFlight === 0 && state.pausedUntil <= this.now() && !state.probing && state.consecutiveFailures === 0) {
          this.states.delete(destinationId);
        }
        this.notify();
      });
  }

  private observe(state: DestinationState, summary: ExecutionSummary): void {
    if (summary.delivered > 0) {
      state.consecutiveFailures = 0;
      state.pauses = 0;
      state.probing = false;
    }
    if (summary.retryable === 0) return;
    state.consecutiveFailures += summary.retryable;
    if (summary.retryAfterMs !== undefined || state.consecutiveFailures >= FAILURES_BEFORE_PAUSE) {
      const backoff = Math.min(MAX_PAUSE_MS, this.options.pauseBaseMs * 2 ** state.pauses);
      state.pausedUntil = this.now() + Math.max(summary.retryAfterMs ?? 0, summary.retryAfterMs !== undefined ? 0 : backoff);
      state.pauses += 1;
      state.consecutiveFailures = 0;
      state.probing = true;
    }
  }
}
