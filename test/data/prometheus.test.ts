import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecondsHistogram } from '../../src/data/aggregation/delivery-stats.js';
import { renderFamilies } from '../../src/data/aggregation/prometheus.js';
import { BACKENDS } from '../support/backends.js';
import { sendTracks, waitForMetrics } from '../support/delivery-metrics.js';
import { createWebhookPipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/;

/** Parses exposition text into `name{labels}` → value, checking every line's syntax on the way. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# TYPE ')) typed.add(line.split(' ')[2]!);
    if (line.startsWith('#')) {
      expect(line).toMatch(/^# (HELP|TYPE) [a-z_]+ .+$/);
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    expect(match, line).not.toBeNull();
    const [, name, labels] = match!;
    expect([...typed].some((family) => name!.startsWith(family)), `${name} has no TYPE line`).toBe(true);
    samples.set(`${name}${labels ?? ''}`, Number(match![3] === '+Inf' ? Infinity : match![3]));
  }
  return samples;
}

describe.each(BACKENDS)('GET /metrics [%s]', (backend) => {
  let server: TestServer;
  const sinks: Sink[] = [];
  const scrape = async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await response.text());
  };
  const pipelineAnswering = async (slug: string, status: number) => {
    const sink = await startSink(() => ({ status, body: '{}' }));
    sinks.push(sink);
    return createWebhookPipeline(server, { slug, sinkUrl: sink.url });
  };

  beforeAll(async () => {
    // The default 10 s backoff keeps a failed delivery queued for the queue-depth check.
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20' } });
  });
  afterAll(async () => {
    await server.destroy();
    await Promise.all(sinks.map((s) => s.close()));
  });

  it('serves every family without authentication, zero at start', async () => {
    const samples = await scrape();
    for (const name of [
      'switchyard_ingest_events_received_total',
      'switchyard_ingest_events_rejected_total',
      'switchyard_ingest_events_deduplicated_total',
      'switchyard_ingest_events_unrouted_total',
      'switchyard_deliveries_created_total',
      'switchyard_delivery_queue_depth',
      'switchyard_dead_letters',
      'switchyard_delivery_outcomes_total{outcome="delivered"}',
      'switchyard_delivery_outcomes_total{outcome="retried"}',
      'switchyard_delivery_outcomes_total{outcome="discarded"}',
      'switchyard_delivery_outcomes_total{outcome="expired"}',
      'switchyard_delivery_attempt_duration_seconds_bucket{le="+Inf"}',
      'switchyard_delivery_attempt_duration_seconds_sum',
      'switchyard_delivery_attempt_duration_seconds_count',
    ]) {
      expect(samples.get(name), name).toBe(0);
    }
  });

  it('counts ingest outcomes, deliveries, settled outcomes and attempt latency', async () => {
    const ok = await pipelineAnswering('prom-ok', 200);
    await sendTracks(server, ok.writeKey, { prefix: 'ok', count: 3 });
    const mixed = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ok.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch: [
          { type: 'track', event: 'Again', userId: 'u', messageId: 'ok-0' },
          { type: 'identify', userId: 'u', messageId: 'who' },
          { type: 'bogus', userId: 'u', messageId: 'bad' },
        ],
      }),
    });
    expect(mixed.status).toBe(200);
    await waitForMetrics(server, ok, (v) => v.successes === 3);

    const samples = await scrape();
    expect(samples.get('switchyard_ingest_events_received_total')).toBe(4);
    expect(samples.get('switchyard_ingest_events_deduplicated_total')).toBe(1);
    expect(samples.get('switchyard_ingest_events_unrouted_total')).toBe(1);
    expect(samples.get('switchyard_ingest_events_rejected_total')).toBe(1);
    expect(samples.get('switchyard_deliveries_created_total')).toBe(3);
    expect(samples.get('switchyard_delivery_outcomes_total{outcome="delivered"}')).toBe(3);
    expect(samples.get('switchyard_delivery_queue_depth')).toBe(0);

    const buckets = [...samples].filter(([key]) => key.startsWith('switchyard_delivery_attempt_duration_seconds_bucket'));
    const counts = buckets.map(([, value]) => value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)).toEqual(['switchyard_delivery_attempt_duration_seconds_bucket{le="+Inf"}', 3]);
    expect(samples.get('switchyard_delivery_attempt_duration_seconds_count')).toBe(3);
    expect(samples.get('switchyard_delivery_attempt_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('reports discards, retries, dead letters and the queue depth', async () => {
    const rejecting = await pipelineAnswering('prom-400', 400);
    await sendTracks(server, rejecting.writeKey, { prefix: 'rejected', count: 2 });
    await waitForMetrics(server, rejecting, (v) => v.discarded === 2);
    const failing = await pipelineAnswering('prom-500', 500);
    await sendTracks(server, failing.writeKey, { prefix: 'failing', count: 1 });
    await waitForMetrics(server, failing, (v) => v.retried === 1);

    const samples = await scrape();
    expect(samples.get('switchyard_delivery_outcomes_total{outcome="discarded"}')).toBe(2);
    expect(samples.get('switchyard_delivery_outcomes_total{outcome="retried"}')).toBe(1);
    expect(samples.get('switchyard_dead_letters')).toBe(2);
    expect(samples.get('switchyard_delivery_queue_depth')).toBe(1);
    expect(samples.get('switchyard_delivery_attempt_duration_seconds_count')).toBe(6);
  });
});

describe('Prometheus rendering', () => {
  it('escapes label values and writes cumulative histogram buckets', () => {
    const histogram = new SecondsHistogram([0.1, 1]);
    for (const seconds of [0.05, 0.5, 0.7, 3]) histogram.observe(seconds);
    expect(histogram.cumulative()).toEqual([1, 3]);
    const text = renderFamilies([
      { name: 'x_total', help: 'Line one\nline "two"', type: 'counter', samples: [{ labels: { path: 'a"b\\c\nd' }, value: 2 }] },
      { name: 'y', help: 'Gauge.', type: 'gauge', samples: [{ value: Infinity }] },
    ]);
    expect(text).toBe(
      '# HELP x_total Line one\\nline "two"\n# TYPE x_total counter\nx_total{path="a\\"b\\\\c\\nd"} 2\n# HELP y Gauge.\n# TYPE y gauge\ny +Inf\n',
    );
  });
});
