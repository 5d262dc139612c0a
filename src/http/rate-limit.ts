// Fixed 60-second windows per token (public-api.md §1.7). Counters live in this process: with several API
// processes each enforces the limit on its own share of traffic (see README, "Running at scale").
export interface WindowState {
  limit: number;
  consumed: number;
  remaining: number;
  resetAt: number;
  msBeforeNext: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; consumed: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  private window(key: string) {
    const now = this.now();
    const start = now - (now % this.windowMs);
    let entry = this.windows.get(key);
    if (!entry || entry.start !== start) {
      if (this.windows.size > 10_000) this.evictStale(start);
      entry = { start, consumed: 0 };
      this.windows.set(key, entry);
    }
    return { entry, now };
  }

  private evictStale(currentStart: number) {
    for (const [key, entry] of this.windows) if (entry.start !== currentStart) this.windows.delete(key);
  }

  private state(entry: { start: number; consumed: number }, now: number): WindowState {
    const resetAt = entry.start + this.windowMs;
    return {
      limit: this.limit,
      consumed: entry.consumed,
      remaining: Math.max(0, this.limit - entry.consumed),
      resetAt,
      msBeforeNext: resetAt - now,
    };
  }

  peek(key: string): WindowState {
    const { entry, now } = this.window(key);
    return this.state(entry, now);
  }

  consume(key: string): WindowState {
    const { entry, now } = this.window(key);
    entry.consumed += 1;
    return this.state(entry, now);
  }

  /** Gives back a point taken by consume() in the window ending at `resetAt` (a no-op once it has passed). */
  refund(key: string, resetAt: number): void {
    const entry = this.windows.get(key);
    if (entry && entry.start + this.windowMs === resetAt && entry.consumed > 0) entry.consumed -= 1;
  }
}

export function rateLimitHeaders(state: WindowState): Record<string, string> {
  return {
    'X-RateLimit-Consumed': String(state.consumed),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': new Date(state.resetAt).toUTCString(),
  };
}
