import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { flattenMetrics, getMetrics, listFailed, messageIdsOf, sendTracks, waitForMetrics } from '../support/delivery-metrics.js';
import { createSource, createWebhookPipeline, WEBHOOK_METADATA_ID, webhookActionId, type Pipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (time: number) => new Date(time).toISOString();
const fieldsOf = (body: { errors: { field?: string; type: string }[] }) => body.errors.map((e) => `${e.type}:${e.field ?? ''}`);

const EMPTY_METRICS = [
  { metricName: 'successes', total: 0, breakdown: [{ metricName: 'successes_on_first_attempt', value: 0 }, { metricName: 'successes_after_retry', value: 0 }] },
  { metricName: 'expired', total: 0 },
  { metricName: 'discarded', total: 0 },
  { metricName: 'retried', total: 0 },
  { metricName: 'time_to_success', total: 0, breakdown: [{ metricName: 'time_to_success_average', value: 0 }, { metricName: 'time_to_success_p95', value: 0 }] },
  {
    metricName: 'time_to_first_attempt',
    total: 0,
    breakdown: [{ metricName: 'time_to_first_attempt_average', value: 0 }, { metricName: 'time_to_first_attempt_p95', value: 0 }],
  },
];

describe.each(BACKENDS)('GET /destinations/{id}/delivery-metrics [%s]', (backend) => {
  let server: TestServer;
  const sinks: Sink[] = [];
  let idle: Pipeline;
  const sink = async (...args: Parameters<typeof startSink>) => {
    const started = await startSink(...args);
    sinks.push(started);
    return started;
  };

  beforeAll(async () => {
    server = await startTestServer(backend, {
      env: {
        SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0',
        SWITCHYARD_WORKER_POLL_MS: '20',
        SWITCHYARD_RETRY_BASE_MS: '50',
        SWITCHYARD_RETRY_MAX_MS: '400',
        SWITCHYARD_DELIVERY_MAX_AGE_SECONDS: '2',
      },
    });
    idle = await createWebhookPipeline(server, { slug: 'idle', sinkUrl: (await sink()).url });
  });
  afterAll(async () => {
    await server.destroy();
    await Promise.all(sinks.map((s) => s.close()));
  });

  const query = (params: Record<string, string>) => new URLSearchParams({ sourceId: idle.sourceId, ...params }).toString();
  const expectOk = async (params: Record<string, string>) => {
    const { status, body } = await getMetrics(server, idle.destinationId, query(params));
    expect(status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const expect422 = async (params: Record<string, string> | string, fields: string[]) => {
    const { status, body } = await getMetrics(server, idle.destinationId, typeof params === 'string' ? params : query(params));
    expect(status, JSON.stringify(body)).toBe(422);
    expect(fieldsOf(body)).toEqual(fields.map((f) => `input-validation:${f}`));
    return body;
  };

  it('answers all six metrics, zeros when empty, for every granularity without times', async () => {
    for (const granularity of [undefined, 'MINUTE', 'HOUR', 'DAY', 'minute', 'Hour', 'day']) {
      const body = await expectOk(granularity ? { granularity } : {});
      expect(body).toEqual({
        data: { deliveryMetricsSummary: { sourceId: idle.sourceId, destinationMetadataId: WEBHOOK_METADATA_ID, metrics: EMPTY_METRICS } },
      });
    }
  });

  it('reports every malformed query field at once', async () => {
    const missing = await expect422('', ['sourceId']);
    expect(missing.errors[0].message).toBe('"sourceId" is required');
    await expect422(`sourceId=`, ['sourceId']);
    await expect422(`sourceId=${idle.sourceId}&sourceId=other`, ['sourceId']);
    for (const bad of ['yesterday', '2025-11-26', '1700000000', '2025-11-26T12:00:00', '2025-13-40T12:00:00Z', '']) {
      await expect422({ startTime: bad }, ['startTime']);
      await expect422({ endTime: bad }, ['endTime']);
    }
    await expect422({ granularity: 'WEEK' }, ['granularity']);
    await expect422({ granularity: '' }, ['granularity']);
    await expect422('startTime=nope&endTime=nope&granularity=SECOND', ['sourceId', 'startTime', 'endTime', 'granularity']);
  });

  it('applies the granularity limits to explicit times with a five-minute grace', async () => {
    const now = Date.now();
    await expectOk({ startTime: iso(now - 4 * HOUR - 4 * MINUTE) });
    await expect422({ startTime: iso(now - 5 * HOUR) }, ['startTime']);
    await expect422({ startTime: iso(now - 49 * HOUR), endTime: iso(now - 47 * HOUR) }, ['startTime']);
    await expectOk({ startTime: iso(now - 47 * HOUR), endTime: iso(now - 46 * HOUR) });
    await expectOk({ granularity: 'HOUR', startTime: iso(now - 7 * DAY) });
    await expect422({ granularity: 'HOUR', startTime: iso(now - 7 * DAY - 10 * MINUTE) }, ['startTime']);
    await expectOk({ granularity: 'DAY', startTime: iso(now - 14 * DAY), endTime: iso(now) });
    await expect422({ granularity: 'DAY', startTime: iso(now - 15 * DAY) }, ['startTime']);
    await expect422({ granularity: 'DAY', startTime: iso(now - 15 * DAY), endTime: iso(now - 10 * DAY) }, ['startTime']);
    // startTime must precede endTime; a future endTime is clamped to now first.
    await expect422({ startTime: iso(now - HOUR), endTime: iso(now - HOUR) }, ['startTime']);
    await expect422({ startTime: iso(now - HOUR), endTime: iso(now - 2 * HOUR) }, ['startTime']);
    await expect422({ startTime: iso(now + HOUR) }, ['startTime']);
    await expectOk({ startTime: iso(now - HOUR), endTime: iso(now + DAY) });
    // Only endTime: the default window ends there, clamped to the oldest allowed start.
    await expectOk({ endTime: iso(now - 30 * MINUTE) });
    await expectOk({ granularity: 'DAY', endTime: iso(now - DAY) });
    await expect422({ endTime: iso(now - 3 * DAY) }, ['endTime']);
  });

  it('accepts offsets and fractions, even with an unencoded plus sign', async () => {
    const start = new Date(Date.now() - 30 * MINUTE + 2 * HOUR).toISOString().replace('Z', '123+02:00');
    await expectOk({ startTime: start });
    const { status } = await getMetrics(server, idle.destinationId, `sourceId=${idle.sourceId}&startTime=${start}`);
    expect(status).toBe(200);
  });

  it('answers 404 for unknown or foreign destinations and sources, after path and before query checks', async () => {
    const { status, body } = await getMetrics(server, 'nope', `sourceId=${idle.sourceId}`);
    expect(status).toBe(404);
    expect(body.errors[0]).toMatchObject({ type: 'not-found', message: "Destination with id 'nope' not found" });
    expect((await getMetrics(server, 'nope', '')).status).toBe(404);

    const sibling = await createSource(server, 'sibling');
    const other = await server.running.controlPlane.workspaces.create('elsewhere');
    const foreignToken = other.token.token;
    const foreignSource = (await (
      await server.api('/sources', { method: 'POST', token: foreignToken, json: { slug: 'theirs', enabled: true, metadataId: 'U9mT0bPcI6' } })
    ).json()) as { data: { source: { id: string } } };
    const foreignSourceId = foreignSource.data.source.id;
    for (const sourceId of ['unknown-source', sibling.sourceId, foreignSourceId]) {
      const answer = await getMetrics(server, idle.destinationId, `sourceId=${sourceId}`);
      expect(answer.status).toBe(404);
      expect(answer.body.errors[0]).toMatchObject({ type: 'not-found', message: `Source with id '${sourceId}' not found`, field: 'sourceId' });
    }
    // Malformed query fields are reported before the source id is looked up.
    await expect422(`sourceId=unknown-source&granularity=WEEK`, ['granularity']);

    const foreignDestination = (await (
      await server.api('/destinations', {
        method: 'POST',
        token: foreignToken,
        json: { sourceId: foreignSourceId, metadataId: WEBHOOK_METADATA_ID, settings: {} },
      })
    ).json()) as { data: { destination: { id: string } } };
    const foreign = await getMetrics(server, foreignDestination.data.destination.id, `sourceId=${foreignSourceId}`);
    expect(foreign.status).toBe(404);
    expect((await server.api(`/destinations/${idle.destinationId}/delivery-metrics?sourceId=${idle.sourceId}`, { token: null })).status).toBe(401);
  });

  it('counts first-attempt successes per event × subscription, with latency averages and p95', async () => {
    const target = await sink();
    const pipeline = await createWebhookPipeline(server, { slug: 'happy', sinkUrl: target.url });
    const second = await server.api(`/destinations/${pipeline.destinationId}/subscriptions`, {
      method: 'POST',
      json: {
        name: 'second hook',
        actionId: await webhookActionId(server),
        trigger: 'type = "track"',
        enabled: true,
        settings: { url: target.url, method: 'POST', data: { '@path': '$.' } },
      },
    });
    expect(second.status).toBe(200);
    const n = 15;
    await sendTracks(server, pipeline.writeKey, { prefix: 'happy', count: n });
    const values = await waitForMetrics(server, pipeline, (v) => v.successes! >= 2 * n);
    expect(target.requests).toHaveLength(2 * n);
    expect(values).toMatchObject({ successes: 2 * n, successes_on_first_attempt: 2 * n, successes_after_retry: 0, expired: 0, discarded: 0, retried: 0 });
    expect(values.time_to_success).toBe(values.time_to_success_average);
    expect(values.time_to_first_attempt).toBe(values.time_to_first_attempt_average);
    for (const name of ['time_to_success', 'time_to_first_attempt']) {
      expect(values[`${name}_average`], name).toBeGreaterThan(0);
      expect(values[`${name}_p95`], name).toBeGreaterThan(0);
      expect(values[`${name}_p95`]! * 1.1 + 1, name).toBeGreaterThanOrEqual(values[`${name}_average`]! * 0.5);
    }
    // Success latency includes the wait before the first attempt.
    expect(values.time_to_success_average).toBeGreaterThanOrEqual(values.time_to_first_attempt_average!);

    // Granularity only changes the default window: the same buckets are summed.
    for (const granularity of ['HOUR', 'DAY']) {
      const { body } = await getMetrics(server, pipeline.destinationId, `sourceId=${pipeline.sourceId}&granularity=${granularity}`);
      expect(flattenMetrics(body.data.deliveryMetricsSummary)).toEqual(values);
    }
    // A window that ended before the deliveries is empty; the idle pipeline saw nothing.
    const before = await getMetrics(server, pipeline.destinationId, `sourceId=${pipeline.sourceId}&startTime=${iso(Date.now() - 3 * HOUR)}&endTime=${iso(Date.now() - 2 * HOUR)}`);
    expect(before.body.data.deliveryMetricsSummary.metrics).toEqual(EMPTY_METRICS);
    expect((await expectOk({})).data.deliveryMetricsSummary.metrics).toEqual(EMPTY_METRICS);
  });

  it('counts retries and successes after retry when the endpoint fails at first', async () => {
    const failures = 3;
    const failedIds = new Set<string>();
    let answered = 0;
    const target = await sink((request) => {
      answered += 1;
      if (answered <= failures) {
        failedIds.add((request.json as { messageId: string }).messageId);
        return { status: 500, body: '{"error":"warming up"}' };
      }
      return { status: 200 };
    });
    const pipeline = await createWebhookPipeline(server, { slug: 'flaky', sinkUrl: target.url });
    const n = 6;
    const sent = await sendTracks(server, pipeline.writeKey, { prefix: 'flaky', count: n });
    const values = await waitForMetrics(server, pipeline, (v) => v.successes === n);
    const delivered = messageIdsOf(target.requests.slice(failures));
    expect(new Set(delivered)).toEqual(new Set(sent));
    expect(values.retried).toBeGreaterThanOrEqual(failures);
    expect(values.successes_after_retry).toBe(failedIds.size);
    expect(values.successes_on_first_attempt).toBe(n - failedIds.size);
    expect(values).toMatchObject({ expired: 0, discarded: 0 });
    // A retried event waited at least half the 50 ms backoff base before landing.
    expect(values.time_to_success_p95).toBeGreaterThanOrEqual(20);
  });

  it('counts expired deliveries once the retry window is exhausted', async () => {
    const target = await sink(() => ({ status: 500, body: '{"error":"down"}' }));
    const pipeline = await createWebhookPipeline(server, { slug: 'down', sinkUrl: target.url });
    const n = 3;
    await sendTracks(server, pipeline.writeKey, { prefix: 'down', count: n });
    const values = await waitForMetrics(server, pipeline, (v) => v.expired === n, 30_000);
    expect(values).toMatchObject({ successes: 0, discarded: 0 });
    expect(values.retried).toBeGreaterThanOrEqual(n);
    expect(values.time_to_first_attempt_p95).toBeGreaterThan(0);
    const { items } = await listFailed(server, pipeline.destinationId);
    expect(items).toHaveLength(n);
    for (const item of items) {
      expect(item).toMatchObject({ outcome: 'expired', reason: 'retry-window-exhausted', status: 500, subscriptionId: pipeline.subscriptionId });
      expect(item.attempts).toBeGreaterThan(1);
      expect(item.responseExcerpt).toContain('down');
    }
  });
});
