// `switchyard metrics <destinationId>`: the delivery metrics summary as a table, and a sparkline per window.
// The API answers one summary per time range, so the series is built from consecutive one-window queries.
import type { DeliveryMetricsSummary, Granularity, SwitchyardClient } from '../../client/index.js';
import { CliUsageError, integerOption, stringOption, type Command } from './command.js';
import { printJson, renderTable, sparkline } from './output.js';

const WINDOW_MS: Record<Granularity, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
/** The widest range the API accepts per granularity (public-api.md §4.11), in windows. */
const MAX_WINDOWS: Record<Granularity, number> = { MINUTE: 240, HOUR: 168, DAY: 14 };
const DEFAULT_WINDOWS = 12;
/** Queries in flight at once while building the series. */
const CONCURRENCY = 6;

interface WindowCounts {
  startTime: string;
  endTime: string;
  successes: number;
  expired: number;
  discarded: number;
  retried: number;
}

function valuesOf(summary: DeliveryMetricsSummary): Record<string, number> {
  const values: Record<string, number> = {};
  for (const metric of summary.metrics) {
    values[metric.metricName] = metric.total;
    for (const item of metric.breakdown ?? []) values[item.metricName] = item.value;
  }
  return values;
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function parseGranularity(raw: string | undefined): Granularity {
  const value = (raw ?? 'HOUR').toUpperCase();
  if (value !== 'MINUTE' && value !== 'HOUR' && value !== 'DAY') {
    throw new CliUsageError(`--granularity must be MINUTE, HOUR or DAY, got "${raw}"`, 'metrics');
  }
  return value;
}

/** UTC labels: times of day for minute and hour windows, dates for day windows. */
function label(time: number, granularity: Granularity): string {
  const iso = new Date(time).toISOString();
  return granularity === 'DAY' ? iso.slice(5, 10) : iso.slice(11, 16);
}

function breakdownText(values: Record<string, number>, metricName: string): string {
  switch (metricName) {
    case 'successes':
      return `${values.successes_on_first_attempt ?? 0} on first attempt, ${values.successes_after_retry ?? 0} after retry`;
    case 'time_to_success':
    case 'time_to_first_attempt':
      return `p95 ${values[`${metricName}_p95`] ?? 0} ms`;
    default:
      return '';
  }
}

export async function deliveryMetricsSeries(
  client: SwitchyardClient,
  request: { destinationId: string; sourceId: string; granularity: Granularity; windows: number; now: number; signal?: AbortSignal },
) {
  const size = WINDOW_MS[request.granularity];
  // Windows line up with clock boundaries; the last one is the current, partial window.
  const lastStart = Math.floor(request.now / size) * size;
  const starts = Array.from({ length: request.windows }, (_, i) => lastStart - (request.windows - 1 - i) * size);
  const query = (startTime: number, endTime: number) =>
    client.destinations.deliveryMetrics(
      request.destinationId,
      { sourceId: request.sourceId, granularity: request.granularity, startTime: new Date(startTime), endTime: new Date(endTime) },
      request.signal ? { signal: request.signal } : undefined,
    );
  const summary = await query(starts[0]!, request.now);
  const windows = await mapLimited(starts, CONCURRENCY, async (start): Promise<WindowCounts> => {
    const end = Math.min(start + size, request.now);
    // At the very instant a window opens it is empty, and the API refuses a zero-length range.
    const values = end > start ? valuesOf(await query(start, end)) : {};
    return {
      startTime: new Date(start).toISOString(),
      endTime: new Date(end).toISOString(),
      successes: values.successes ?? 0,
      expired: values.expired ?? 0,
      discarded: values.discarded ?? 0,
      retried: values.retried ?? 0,
    };
  });
  return { startTime: new Date(starts[0]!).toISOString(), endTime: new Date(request.now).toISOString(), summary, windows };
}

export const metricsCommand: Command = {
  path: ['metrics'],
  args: ['<destinationId>'],
  summary: 'Delivery metrics of a destination: totals and a sparkline per window',
  usageSummary: 'Delivery metrics: a table and a sparkline',
  description: 'Covers the last --windows windows of the granularity (UTC), the current one included.',
  options: {
    granularity: { type: 'string', value: '<MINUTE|HOUR|DAY>', help: 'Window size (default HOUR)' },
    windows: { type: 'string', value: '<n>', help: `How many windows (default ${DEFAULT_WINDOWS}; at most 240 minutes, 168 hours or 14 days)` },
    source: { type: 'string', value: '<sourceId>', help: "Source to report on (default: the destination's source)" },
  },
  examples: ['switchyard metrics <destinationId> --granularity HOUR', 'switchyard metrics <destinationId> --granularity MINUTE --windows 30 --json'],
  async run(ctx, args) {
    const granularity = parseGranularity(stringOption(args, 'granularity'));
    const windows = integerOption(args, 'windows', 'metrics', { min: 1, max: MAX_WINDOWS[granularity] }) ?? DEFAULT_WINDOWS;
    const destinationId = args.positionals[0]!;
    const client = ctx.client();
    const destination = await client.destinations.get(destinationId, { signal: ctx.signal });
    const sourceId = stringOption(args, 'source') ?? destination.sourceId;
    const now = Date.now();
    const series = await deliveryMetricsSeries(client, { destinationId, sourceId, granularity, windows, now, signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { destinationId, sourceId, granularity, ...series });

    const values = valuesOf(series.summary);
    const unit = granularity.toLowerCase();
    ctx.out(`Delivery metrics of ${destination.name || destination.metadata.name} (${destinationId}) from source ${sourceId}`);
    ctx.out(`Last ${windows} ${unit}${windows === 1 ? '' : 's'}, since ${series.startTime.slice(0, 16).replace('T', ' ')} UTC\n`);
    const rows = series.summary.metrics.map((metric) => {
      const isTime = metric.metricName.startsWith('time_to_');
      return [metric.metricName, isTime ? `${metric.total} ms` : metric.total, breakdownText(values, metric.metricName)];
    });
    ctx.out(renderTable(['METRIC', 'TOTAL', 'DETAIL'], rows, [1]));
    const successes = series.windows.map((w) => w.successes);
    const failures = series.windows.map((w) => w.discarded + w.expired);
    const gutter = ' '.repeat(`successes per ${unit}`.length);
    ctx.out('');
    ctx.out(`successes per ${unit}`.padEnd(gutter.length) + `  ${sparkline(successes)}  max ${Math.max(...successes)}`);
    ctx.out(`failures per ${unit}`.padEnd(gutter.length) + `  ${sparkline(failures)}  max ${Math.max(...failures)} (discarded + expired)`);
    const first = label(Date.parse(series.windows[0]!.startTime), granularity);
    const last = label(Date.parse(series.windows.at(-1)!.startTime), granularity);
    ctx.out(`${gutter}  ${first}${windows > first.length + last.length ? ' '.repeat(windows - first.length - last.length) + last : ` → ${last}`} UTC`);
  },
};
