// Operator metrics in the Prometheus text exposition format 0.0.4, served at GET /metrics without auth
// (scrapers run inside the operator's network; nothing here identifies a tenant).
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { IngestCounters } from '../ingest/ingest.service.js';
import { countQueued } from '../queue/claim.js';
import { countDeadLetters } from '../dead-letters/dead-letters.repository.js';
import { OUTCOME_KINDS, type DeliveryStats } from './delivery-stats.js';
import { getMetricsDoc } from './prometheus.docs.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

interface Sample {
  suffix?: string;
  labels?: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
}

export interface PrometheusSnapshot {
  ingest: IngestCounters;
  stats: DeliveryStats;
  queueDepth: number;
  deadLetters: number;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function renderFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ''}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', samples: [{ value }] });
const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ value }] });

export function buildFamilies(snapshot: PrometheusSnapshot): MetricFamily[] {
  const { ingest, stats } = snapshot;
  const histogram = stats.attemptSeconds;
  const cumulative = histogram.cumulative();
  return [
    counter('switchyard_ingest_events_received_total', 'Events accepted and stored by the Tracking API.', ingest.received),
    counter('switchyard_ingest_events_rejected_total', 'Events refused by validation.', ingest.rejected),
    counter('switchyard_ingest_events_deduplicated_total', 'Events dropped as duplicates of a messageId already seen.', ingest.deduplicated),
    counter('switchyard_ingest_events_unrouted_total', 'Stored events that matched no subscription.', ingest.unrouted),
    counter('switchyard_deliveries_created_total', 'Deliveries (event x subscription) queued by ingest.', ingest.deliveriesCreated),
    gauge('switchyard_delivery_queue_depth', 'Deliveries waiting, retrying or in flight.', snapshot.queueDepth),
    gauge('switchyard_dead_letters', 'Discarded or expired deliveries kept for inspection and replay.', snapshot.deadLetters),
    {
      name: 'switchyard_delivery_outcomes_total',
      help: 'Settled delivery attempts by outcome (this process).',
      type: 'counter',
      samples: OUTCOME_KINDS.map((outcome) => ({ labels: { outcome }, value: stats.outcomes[outcome] })),
    },
    {
      name: 'switchyard_delivery_attempt_duration_seconds',
      help: 'Duration of delivery attempts (this process).',
      type: 'histogram',
      samples: [
        ...histogram.bounds.map((bound, i) => ({ suffix: '_bucket', labels: { le: String(bound) }, value: cumulative[i]! })),
        { suffix: '_bucket', labels: { le: '+Inf' }, value: histogram.count },
        { suffix: '_sum', value: histogram.sum },
        { suffix: '_count', value: histogram.count },
      ],
    },
  ];
}

export function prometheusRoutes(deps: { db: Kysely<Database>; ingest: { counters: IngestCounters }; stats: DeliveryStats }) {
  return async function prometheusMetrics(app: FastifyInstance): Promise<void> {
    app.get('/metrics', { config: { openapi: getMetricsDoc } }, async (_request, reply) => {
      const [queueDepth, deadLetters] = await Promise.all([countQueued(deps.db), countDeadLetters(deps.db)]);
      const text = renderFamilies(buildFamilies({ ingest: deps.ingest.counters, stats: deps.stats, queueDepth, deadLetters }));
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
    });
  };
}
