// The official TypeScript SDK (47.x) against Switchyard: destinations, the docs' own examples, and the
// delivery metrics summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { MASKED, page, PublicAPI, sdkCall, sdkClient, sdkFailure, type SdkApis } from './sdk-client.js';
import { expectDestination, expectPagination } from './sdk-shapes.js';

const AMPLITUDE = '54521fd525e721e32a72ee91';
const WEBHOOK = '614a3c7d791c91c41bae7599';
const METRIC_NAMES = ['successes', 'expired', 'discarded', 'retried', 'time_to_success', 'time_to_first_attempt'];

describe.each(BACKENDS)('TypeScript SDK: destinations [%s]', (backend) => {
  let server: TestServer;
  let sdk: SdkApis;
  let sourceId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    sdk = sdkClient(server);
    sourceId = (await PublicAPI.unwrap(sdk.sources.createSource({ slug: 'web', enabled: true, metadataId: 'IqDTy1TpoU' }))).source.id;
  });
  afterAll(() => server.destroy());

  it('walks the docs example: create, list, get, update {enabled:false}, delete', async () => {
    const created = await sdkCall(
      sdk.destinations.createDestination({
        sourceId,
        metadataId: AMPLITUDE,
        name: 'Example Destination',
        enabled: true,
        settings: { apiKey: 'abc123def456', retarget: true },
      }),
    );
    expect(created.status).toBe(200);
    expect(created.sentHeaders['content-type']).toBe('application/json');
    const destination = created.data.destination;
    expectDestination(destination, {
      name: 'Example Destination',
      enabled: true,
      sourceId,
      // Secrets come back masked; unknown keys are echoed as stored.
      settings: { apiKey: MASKED, retarget: true },
    });
    expect(destination.settings).toEqual({ apiKey: MASKED, retarget: true });
    expect(destination.metadata).toMatchObject({ id: AMPLITUDE, name: 'Amplitude', slug: 'amplitude' });

    const listed = await sdkCall(sdk.destinations.listDestinations(page(10)));
    expect(listed.sentPath).toBe('/destinations?pagination%5Bcount%5D=10');
    expect(listed.data.destinations).toEqual([destination]);
    expectPagination(listed.data.pagination, 1);
    expect(listed.data.pagination).toMatchObject({ current: 'MA==' });
    expect(listed.data.pagination.next).toBeUndefined();

    const fetched = await sdkCall(sdk.destinations.getDestination(destination.id));
    expect(fetched.data.destination).toEqual(destination);

    const updated = await sdkCall(sdk.destinations.updateDestination(destination.id, { enabled: false }));
    expectDestination(updated.data.destination, { id: destination.id, enabled: false, name: 'Example Destination' });
    expect(updated.data.destination.settings).toEqual({ apiKey: MASKED, retarget: true });

    // Writing the mask back keeps the stored secret (what a read-modify-write client does).
    const roundTrip = await sdkCall(
      sdk.destinations.updateDestination(destination.id, { name: 'Renamed', settings: updated.data.destination.settings }),
    );
    expect(roundTrip.data.destination).toMatchObject({ name: 'Renamed', settings: { apiKey: MASKED, retarget: true } });

    const deleted = await sdkCall(sdk.destinations.deleteDestination(destination.id));
    expect(deleted.data).toEqual({ status: 'SUCCESS' });
    const gone = await sdkFailure(sdk.destinations.getDestination(destination.id));
    expect(gone.status).toBe(404);
    expect(gone.body.errors).toEqual([{ type: 'not-found', message: `Destination with id '${destination.id}' not found` }]);
  });

  it('pages listDestinations by next cursor with the SDK pagination object', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { destination } = await PublicAPI.unwrap(
        sdk.destinations.createDestination({ sourceId, metadataId: WEBHOOK, name: `hook ${i}`, enabled: false, settings: {} }),
      );
      ids.push(destination.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const call = await sdkCall(sdk.destinations.listDestinations(page(10, cursor)));
      call.data.destinations.forEach((destination) => expectDestination(destination, { sourceId }));
      expectPagination(call.data.pagination, 12);
      seen.push(...call.data.destinations.map((destination) => destination.id));
      cursor = call.data.pagination.next ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(ids);
    await Promise.all(ids.map((id) => PublicAPI.unwrap(sdk.destinations.deleteDestination(id))));
  });

  it('surfaces 422 with the field and 404 for referenced ids on create', async () => {
    const invalid = await sdkFailure(
      sdk.destinations.createDestination({ sourceId, metadataId: AMPLITUDE, enabled: true, settings: { retarget: 'yes' } }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((error) => [error.type, error.field])).toEqual(
      expect.arrayContaining([['input-validation', 'settings.apiKey']]),
    );
    const unknownSource = await sdkFailure(
      sdk.destinations.createDestination({ sourceId: 'missing', metadataId: AMPLITUDE, enabled: false, settings: {} }),
    );
    expect(unknownSource.status).toBe(404);
    expect(unknownSource.body.errors).toEqual([
      { type: 'not-found', message: "Source with id 'missing' not found", field: 'sourceId' },
    ]);
  });

  it('listDeliveryMetricsSummaryFromDestination returns all six metrics for a destination', async () => {
    const { destination } = await PublicAPI.unwrap(
      sdk.destinations.createDestination({ sourceId, metadataId: WEBHOOK, enabled: false, settings: {} }),
    );
    const call = await sdkCall(sdk.destinations.listDeliveryMetricsSummaryFromDestination(destination.id, sourceId, undefined, undefined, 'HOUR'));
    expect(call.sentPath).toBe(`/destinations/${destination.id}/delivery-metrics?sourceId=${sourceId}&granularity=HOUR`);
    const summary = call.data.deliveryMetricsSummary;
    expect(summary).toMatchObject({ sourceId, destinationMetadataId: WEBHOOK });
    expect(summary.metrics.map((metric) => metric.metricName)).toEqual(METRIC_NAMES);
    for (const metric of summary.metrics) {
      expect(metric.total).toBe(0);
      for (const item of metric.breakdown ?? []) expect(item).toEqual({ metricName: expect.any(String), value: 0 });
    }
    expect(summary.metrics[0]?.breakdown?.map((item) => item.metricName)).toEqual(['successes_on_first_attempt', 'successes_after_retry']);

    const now = Date.now();
    const windowed = await sdkCall(
      sdk.destinations.listDeliveryMetricsSummaryFromDestination(
        destination.id,
        sourceId,
        new Date(now - 2 * 3_600_000).toISOString(),
        new Date(now).toISOString(),
        'MINUTE',
      ),
    );
    expect(windowed.data.deliveryMetricsSummary.metrics).toHaveLength(6);

    const tooWide = await sdkFailure(
      sdk.destinations.listDeliveryMetricsSummaryFromDestination(
        destination.id,
        sourceId,
        new Date(now - 6 * 3_600_000).toISOString(),
        new Date(now).toISOString(),
        'MINUTE',
      ),
    );
    expect(tooWide.status).toBe(422);
    expect(tooWide.body.errors[0]).toMatchObject({ type: 'input-validation', field: 'startTime' });

    const unknown = await sdkFailure(sdk.destinations.listDeliveryMetricsSummaryFromDestination('missing', sourceId));
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ type: 'not-found', message: "Destination with id 'missing' not found" });
  });
});
