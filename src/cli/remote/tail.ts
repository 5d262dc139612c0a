// `switchyard tail <sourceId>`: the source's latest events, then new ones as they arrive (polling
// GET /sources/{id}/events with the cursor of the previous answer).
import type { SourceEvent } from '../../client/index.js';
import { integerOption, type Command, type CommandContext } from './command.js';

const DEFAULT_BACKLOG = 10;
const DEFAULT_INTERVAL_MS = 1000;
/** The endpoint's largest page; a full page means more is waiting, so the next poll does not sleep. */
const PAGE = 200;

function formatEvent(event: SourceEvent): string {
  const who = event.userId ? `user ${event.userId}` : event.anonymousId ? `anon ${event.anonymousId}` : '-';
  return [event.receivedAt, event.type.padEnd(8), (event.event ?? '-').padEnd(24), who.padEnd(16), event.messageId].join('  ').trimEnd();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const tailCommand: Command = {
  path: ['tail'],
  args: ['<sourceId>'],
  summary: 'Show the events a source receives, live (Ctrl-C stops)',
  usageSummary: 'Show live events of a source',
  description: 'Prints the latest events first, then polls for new ones. With --json, one JSON object per line.',
  options: {
    backlog: { type: 'string', value: '<n>', help: `Recent events to show first (default ${DEFAULT_BACKLOG}; 0 = only new ones)` },
    limit: { type: 'string', value: '<n>', help: 'Exit after printing n events' },
    once: { type: 'boolean', help: 'Print the recent events and exit, without following' },
    interval: { type: 'string', value: '<ms>', help: `Polling interval (default ${DEFAULT_INTERVAL_MS})` },
  },
  examples: ['switchyard tail <sourceId>', 'switchyard tail <sourceId> --backlog 0 --limit 5 --json'],
  async run(ctx, args) {
    const backlog = integerOption(args, 'backlog', 'tail', { min: 0, max: PAGE }) ?? DEFAULT_BACKLOG;
    const limit = integerOption(args, 'limit', 'tail', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const interval = integerOption(args, 'interval', 'tail', { min: 50, max: 3_600_000 }) ?? DEFAULT_INTERVAL_MS;
    await follow(ctx, args.positionals[0]!, { backlog, limit, interval, once: args.values.once === true });
  },
};

async function follow(ctx: CommandContext, sourceId: string, opts: { backlog: number; limit: number | undefined; interval: number; once: boolean }) {
  const client = ctx.client();
  let printed = 0;
  // True once --limit is reached.
  const print = (events: SourceEvent[]): boolean => {
    for (const event of events) {
      ctx.out(ctx.json ? JSON.stringify(event) : formatEvent(event));
      printed += 1;
      if (opts.limit !== undefined && printed >= opts.limit) return true;
    }
    return false;
  };
  try {
    // Even with no backlog wanted, the first call positions the cursor at the newest event.
    const first = await client.sources.events(sourceId, { limit: Math.max(opts.backlog, 1) }, { signal: ctx.signal });
    if (print(opts.backlog > 0 ? first.events.slice(-opts.backlog) : []) || opts.once) return;
    // On stderr, so it never mixes with the events, even with --json.
    ctx.err(`Waiting for events on source ${sourceId} (Ctrl-C to stop)...`);
    let cursor = first.cursor;
    let full = false;
    while (!ctx.signal.aborted) {
      if (!full) await sleep(opts.interval, ctx.signal);
      if (ctx.signal.aborted) return;
      const page = await client.sources.events(sourceId, { after: cursor, limit: PAGE }, { signal: ctx.signal });
      if (print(page.events)) return;
      cursor = page.cursor;
      full = page.events.length === PAGE;
    }
  } catch (error) {
    // Ctrl-C is how a tail normally ends.
    if (ctx.signal.aborted) return;
    throw error;
  }
}
