// Helpers for tests that send events and read the delivery metrics and failed deliveries back.
import type { Pipeline } from './pipeline.js';
import type { TestServer } from './server.js';
import type { FailedDelivery } from '../../src/client/types.js';

export interface TrackOptions {
  prefix: string;
  count: number;
}

/** Sends `count` track events in one batch; returns their messageIds. */
export async function sendTracks(server: TestServer, writeKey: string, { prefix, count }: TrackOptions): Promise<string[]> {
  const messageIds = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      batch: messageIds.map((messageId, n) => ({ type: 'track', event: 'Order Completed', userId: `u${n}`, messageId, properties: { n } })),
    }),
  });
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  return messageIds;
}

export interface MetricsSummary {
  sourceId: string;
  destinationMetadataId: string;
  metrics: { metricName: string; total: number; breakdown?: { metricName: string; value: number }[] }[];
}

export async function getMetrics(server: TestServer, destinationId: string, query: string): Promise<{ status: number; body: any }> {
  const response = await server.api(`/destinations/${encodeURIComponent(destinationId)}/delivery-metrics${query ? `?${query}` : ''}`);
  return { status: response.status, body: (await response.json()) as any };
}

/** Every total and breakdown value by metric name, e.g. `successes`, `successes_after_retry`, `time_to_success_p95`. */
export function flattenMetrics(summary: MetricsSummary): Record<string, number> {
  const values: Record<string, number> = {};
  for (const metric of summary.metrics) {
    values[metric.metricName] = metric.total;
    for (const entry of metric.breakdown ?? []) values[entry.metricName] = entry.value;
  }
  return values;
}

/** Polls the pipeline's default-window metrics until `predicate` holds. */
export async function waitForMetrics(
  server: TestServer,
  pipeline: Pick<Pipeline, 'destinationId' | 'sourceId'>,
  predicate: (values: Record<string, number>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, number> = {};
  for (;;) {
    const { status, body } = await getMetrics(server, pipeline.destinationId, `sourceId=${pipeline.sourceId}`);
    if (status !== 200) throw new Error(`delivery-metrics answered ${status}: ${JSON.stringify(body)}`);
    last = flattenMetrics(body.data.deliveryMetricsSummary as MetricsSummary);
    if (predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`metrics condition not met within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type { FailedDelivery };

export async function listFailed(
  server: TestServer,
  destinationId: string,
  query = '',
): Promise<{ status: number; body: any; items: FailedDelivery[] }> {
  const response = await server.api(`/destinations/${destinationId}/failed-deliveries${query ? `?${query}` : ''}`);
  const body = (await response.json()) as any;
  return { status: response.status, body, items: (body?.data?.failedDeliveries ?? []) as FailedDelivery[] };
}

/** The messageId of each (non-batched) request a sink received, in arrival order. */
export function messageIdsOf(requests: { json: unknown }[]): string[] {
  return requests.map((r) => (r.json as { messageId: string }).messageId);
}
