// Delivery metrics summary (public-api.md §4.11): validates the query, resolves the window and sums the
// per-minute counters and latency histograms of one (destination, source) pair.
import type { Kysely } from 'kysely';
import { latencyCounts, sumMetrics, type MetricWindow } from '../../data/aggregation/metrics.repository.js';
import { quantileOf } from '../../data/aggregation/latency-histogram.js';
import type { Database } from '../../storage/schema.js';
import type { DestinationService } from '../destinations/destinations.service.js';
import { invalidInput, notFound, type FieldIssue } from '../errors.js';
import { singleParam as single, timestampOrIssue, type QueryParams as Query } from '../query-params.js';
import { GRANULARITIES, resolveWindow, type Granularity } from './metrics-window.js';

interface BreakdownEntry {
  metricName: string;
  value: number;
}

export interface MetricSummary {
  metricName: string;
  total: number;
  breakdown?: BreakdownEntry[];
}

export interface DeliveryMetricsSummary {
  sourceId: string;
  destinationMetadataId: string;
  metrics: MetricSummary[];
}

interface ParsedQuery {
  sourceId: string;
  granularity: Granularity;
  startTime?: number;
  endTime?: number;
}

export function parseMetricsQuery(query: Query): ParsedQuery {
  const issues: FieldIssue[] = [];
  const sourceId = single(query, 'sourceId', issues);
  if (sourceId === '' || (sourceId === undefined && !issues.some((i) => i.field === 'sourceId'))) {
    issues.push({ field: 'sourceId', message: '"sourceId" is required' });
  }
  const startTime = timestampOrIssue(single(query, 'startTime', issues), 'startTime', issues);
  const endTime = timestampOrIssue(single(query, 'endTime', issues), 'endTime', issues);
  const rawGranularity = single(query, 'granularity', issues);
  const granularity = (rawGranularity ?? 'MINUTE').toUpperCase() as Granularity;
  if (rawGranularity !== undefined && !GRANULARITIES.includes(granularity)) {
    issues.push({ field: 'granularity', message: `"granularity" must be one of ${GRANULARITIES.join(', ')}` });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return {
    sourceId: sourceId!,
    granularity,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
  };
}

const average = (sum: number, count: number) => (count > 0 ? Math.round(sum / count) : 0);

export class DeliveryMetricsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly destinations: DestinationService,
  ) {}

  async summary(workspaceId: string, destinationId: string, query: Query, now = Date.now()): Promise<DeliveryMetricsSummary> {
    const destination = await this.destinations.require(workspaceId, destinationId);
    const parsed = parseMetricsQuery(query);
    // A destination belongs to exactly one source; any other id (unknown, foreign or a sibling) is not found.
    if (parsed.sourceId !== destination.source_id) throw notFound('Source', parsed.sourceId, 'sourceId');
    const { from, to } = resolveWindow(parsed, now);
    const window: MetricWindow = { destinationId: destination.id, sourceId: destination.source_id, from, to };
    const [sums, successLatency, firstAttemptLatency] = await Promise.all([
      sumMetrics(this.db, window),
      latencyCounts(this.db, window, 'time_to_success'),
      latencyCounts(this.db, window, 'time_to_first_attempt'),
    ]);
    const successes = sums.successes_first + sums.successes_retry;
    const successAverage = average(sums.success_ms_sum, successes);
    const firstAttemptAverage = average(sums.first_attempt_ms_sum, sums.first_attempt_count);
    return {
      sourceId: destination.source_id,
      destinationMetadataId: destination.metadata_id,
      metrics: [
        {
          metricName: 'successes',
          total: successes,
          breakdown: [
            { metricName: 'successes_on_first_attempt', value: sums.successes_first },
            { metricName: 'successes_after_retry', value: sums.successes_retry },
          ],
        },
        { metricName: 'expired', total: sums.expired },
        { metricName: 'discarded', total: sums.discarded },
        { metricName: 'retried', total: sums.retried },
        {
          metricName: 'time_to_success',
          total: successAverage,
          breakdown: [
            { metricName: 'time_to_success_average', value: successAverage },
            { metricName: 'time_to_success_p95', value: quantileOf(successLatency, 0.95) },
          ],
        },
        {
          metricName: 'time_to_first_attempt',
          total: firstAttemptAverage,
          breakdown: [
            { metricName: 'time_to_first_attempt_average', value: firstAttemptAverage },
            { metricName: 'time_to_first_attempt_p95', value: quantileOf(firstAttemptLatency, 0.95) },
          ],
        },
      ],
    };
  }
}
