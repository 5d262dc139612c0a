// `createClient`: every Switchyard Public API endpoint as a typed method, grouped by resource, plus async
// iterators that walk paginated lists by their `next` cursors.
import { apiPath, HttpTransport, type QueryValue, type RequestOptions, type TransportOptions } from './http.js';
import type {
  AuditEvent,
  AuditEventsQuery,
  CreateDestinationInput,
  CreateSourceInput,
  CreateSubscriptionInput,
  DeliveryMetricsQuery,
  DeliveryMetricsSummary,
  Destination,
  DestinationMetadata,
  FailedDeliveriesQuery,
  FailedDelivery,
  Page,
  PageParams,
  Pagination,
  ReplayInput,
  ReplayResult,
  Source,
  SourceEventsPage,
  SourceEventsQuery,
  SourceMetadata,
  Subscription,
  TimeInput,
  UpdateDestinationInput,
  UpdateSourceInput,
  UpdateSubscriptionInput,
  Workspace,
} from './types.js';

export type ClientOptions = TransportOptions;

/** Any list method: it takes page params (and maybe filters) and returns one page. */
export type ListFunction<T, P extends PageParams> = (params: P, options?: RequestOptions) => Promise<Page<T>>;

/**
 * Yields every item of a list, fetching page after page until `next` is absent. The server's keyset cursors
 * make the walk stable: items created or deleted meanwhile never cause a skip or a repeat.
 */
export async function* paginate<T, P extends PageParams>(
  list: ListFunction<T, P>,
  params: P = {} as P,
  options?: RequestOptions,
): AsyncGenerator<T, void, undefined> {
  let cursor = params.cursor;
  const seen = new Set<string>();
  for (;;) {
    const page = await list({ ...params, ...(cursor !== undefined ? { cursor } : {}) }, options);
    yield* page.items;
    const next = page.pagination.next;
    if (next === undefined || next === null) return;
    // A server bug that hands back a cursor twice would otherwise loop forever.
    if (seen.has(next)) throw new Error(`pagination cursor ${next} was returned twice`);
    seen.add(next);
    cursor = next;
  }
}

const iso = (time: TimeInput | undefined) => (time instanceof Date ? time.toISOString() : time);

function pageQuery(params: PageParams | undefined): Record<string, QueryValue> {
  return { 'pagination.count': params?.count, 'pagination.cursor': params?.cursor };
}

function toPage<T>(items: T[], pagination: Pagination): Page<T> {
  return { items, pagination };
}

export function createClient(options: ClientOptions) {
  const http = new HttpTransport(options);
  const get = <T>(path: string, query?: Record<string, QueryValue>, opts?: RequestOptions) =>
    http.request<T>({ method: 'GET', path, ...(query ? { query } : {}), options: opts });
  const send = <T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts?: RequestOptions) =>
    http.request<T>({ method, path, ...(body !== undefined ? { body } : {}), options: opts });
  const done = async (promise: Promise<{ status: string }>): Promise<void> => void (await promise);

  const workspace = {
    get: async (opts?: RequestOptions): Promise<Workspace> => (await get<{ workspace: Workspace }>('/', undefined, opts)).workspace,
  };

  const sources = {
    list: async (params?: PageParams, opts?: RequestOptions): Promise<Page<Source>> => {
      const data = await get<{ sources: Source[]; pagination: Pagination }>('/sources', pageQuery(params), opts);
      return toPage(data.sources, data.pagination);
    },
    all: (params?: PageParams, opts?: RequestOptions) => paginate(sources.list, params, opts),
    get: async (sourceId: string, opts?: RequestOptions): Promise<Source> =>
      (await get<{ source: Source }>(apiPath`/sources/${sourceId}`, undefined, opts)).source,
    create: async (input: CreateSourceInput, opts?: RequestOptions): Promise<Source> =>
      (await send<{ source: Source }>('POST', '/sources', input, opts)).source,
    update: async (sourceId: string, input: UpdateSourceInput, opts?: RequestOptions): Promise<Source> =>
      (await send<{ source: Source }>('PATCH', apiPath`/sources/${sourceId}`, input, opts)).source,
    delete: (sourceId: string, opts?: RequestOptions): Promise<void> =>
      done(send('DELETE', apiPath`/sources/${sourceId}`, undefined, opts)),
    /** Mints one more write key; the returned source lists it last. */
    createWriteKey: async (sourceId: string, opts?: RequestOptions): Promise<Source> =>
      (await send<{ source: Source }>('POST', apiPath`/sources/${sourceId}/writekey`, undefined, opts)).source,
    removeWriteKey: (sourceId: string, writeKey: string, opts?: RequestOptions): Promise<void> =>
      done(send('DELETE', apiPath`/sources/${sourceId}/writekey/${writeKey}`, undefined, opts)),
    connectedDestinations: async (sourceId: string, params?: PageParams, opts?: RequestOptions): Promise<Page<Destination>> => {
      const path = apiPath`/sources/${sourceId}/connected-destinations`;
      const data = await get<{ destinations: Destination[]; pagination: Pagination }>(path, pageQuery(params), opts);
      return toPage(data.destinations, data.pagination);
    },
    /** Switchyard extension: the source's recent events, oldest first, for a live tail. */
    events: (sourceId: string, query?: SourceEventsQuery, opts?: RequestOptions): Promise<SourceEventsPage> =>
      get<SourceEventsPage>(apiPath`/sources/${sourceId}/events`, { after: query?.after, limit: query?.limit }, opts),
  };

  const destinations = {
    list: async (params?: PageParams, opts?: RequestOptions): Promise<Page<Destination>> => {
      const data = await get<{ destinations: Destination[]; pagination: Pagination }>('/destinations', pageQuery(params), opts);
      return toPage(data.destinations, data.pagination);
    },
    all: (params?: PageParams, opts?: RequestOptions) => paginate(destinations.list, params, opts),
    get: async (destinationId: string, opts?: RequestOptions): Promise<Destination> =>
      (await get<{ destination: Destination }>(apiPath`/destinations/${destinationId}`, undefined, opts)).destination,
    create: async (input: CreateDestinationInput, opts?: RequestOptions): Promise<Destination> =>
      (await send<{ destination: Destination }>('POST', '/destinations', input, opts)).destination,
    update: async (destinationId: string, input: UpdateDestinationInput, opts?: RequestOptions): Promise<Destination> =>
      (await send<{ destination: Destination }>('PATCH', apiPath`/destinations/${destinationId}`, input, opts)).destination,
    delete: (destinationId: string, opts?: RequestOptions): Promise<void> =>
      done(send('DELETE', apiPath`/destinations/${destinationId}`, undefined, opts)),
    deliveryMetrics: async (destinationId: string, query: DeliveryMetricsQuery, opts?: RequestOptions): Promise<DeliveryMetricsSummary> => {
      const params = { sourceId: query.sourceId, startTime: iso(query.startTime), endTime: iso(query.endTime), granularity: query.granularity };
      const path = apiPath`/destinations/${destinationId}/delivery-metrics`;
      return (await get<{ deliveryMetricsSummary: DeliveryMetricsSummary }>(path, params, opts)).deliveryMetricsSummary;
    },
    /** Switchyard extension: the destination's dead letters, newest first. */
    failedDeliveries: async (destinationId: string, query?: FailedDeliveriesQuery, opts?: RequestOptions): Promise<Page<FailedDelivery>> => {
      const params = { ...pageQuery(query), reason: query?.reason, subscriptionId: query?.subscriptionId };
      const path = apiPath`/destinations/${destinationId}/failed-deliveries`;
      const data = await get<{ failedDeliveries: FailedDelivery[]; pagination: Pagination }>(path, params, opts);
      return toPage(data.failedDeliveries, data.pagination);
    },
    /** Switchyard extension: queues the matching dead letters again (each one at most once). */
    replay: (destinationId: string, input: ReplayInput = {}, opts?: RequestOptions): Promise<ReplayResult> => {
      const body = { ...input, since: iso(input.since), until: iso(input.until) };
      return send<ReplayResult>('POST', apiPath`/destinations/${destinationId}/failed-deliveries/replay`, body, opts);
    },
  };

  const subscriptionsPath = (destinationId: string) => apiPath`/destinations/${destinationId}/subscriptions`;
  const subscriptions = {
    list: async (destinationId: string, params?: PageParams, opts?: RequestOptions): Promise<Page<Subscription>> => {
      const data = await get<{ subscriptions: Subscription[]; pagination: Pagination }>(subscriptionsPath(destinationId), pageQuery(params), opts);
      return toPage(data.subscriptions, data.pagination);
    },
    all: (destinationId: string, params?: PageParams, opts?: RequestOptions) =>
      paginate((p: PageParams, o?: RequestOptions) => subscriptions.list(destinationId, p, o), params, opts),
    get: async (destinationId: string, subscriptionId: string, opts?: RequestOptions): Promise<Subscription> =>
      (await get<{ subscription: Subscription }>(`${subscriptionsPath(destinationId)}${apiPath`/${subscriptionId}`}`, undefined, opts))
        .subscription,
    create: async (destinationId: string, input: CreateSubscriptionInput, opts?: RequestOptions): Promise<Subscription> =>
      (await send<{ destinationSubscription: Subscription }>('POST', subscriptionsPath(destinationId), input, opts)).destinationSubscription,
    update: async (destinationId: string, subscriptionId: string, input: UpdateSubscriptionInput, opts?: RequestOptions): Promise<Subscription> => {
      const path = `${subscriptionsPath(destinationId)}${apiPath`/${subscriptionId}`}`;
      return (await send<{ subscription: Subscription }>('PATCH', path, { input }, opts)).subscription;
    },
    remove: (destinationId: string, subscriptionId: string, opts?: RequestOptions): Promise<void> =>
      done(send('DELETE', `${subscriptionsPath(destinationId)}${apiPath`/${subscriptionId}`}`, undefined, opts)),
  };

  const catalog = {
    destinations: async (params?: PageParams, opts?: RequestOptions): Promise<Page<DestinationMetadata>> => {
      const data = await get<{ destinationsCatalog: DestinationMetadata[]; pagination: Pagination }>('/catalog/destinations', pageQuery(params), opts);
      return toPage(data.destinationsCatalog, data.pagination);
    },
    allDestinations: (params?: PageParams, opts?: RequestOptions) => paginate(catalog.destinations, params, opts),
    destination: async (metadataId: string, opts?: RequestOptions): Promise<DestinationMetadata> =>
      (await get<{ destinationMetadata: DestinationMetadata }>(apiPath`/catalog/destinations/${metadataId}`, undefined, opts)).destinationMetadata,
    sources: async (params?: PageParams, opts?: RequestOptions): Promise<Page<SourceMetadata>> => {
      const data = await get<{ sourcesCatalog: SourceMetadata[]; pagination: Pagination }>('/catalog/sources', pageQuery(params), opts);
      return toPage(data.sourcesCatalog, data.pagination);
    },
    allSources: (params?: PageParams, opts?: RequestOptions) => paginate(catalog.sources, params, opts),
    source: async (metadataId: string, opts?: RequestOptions): Promise<SourceMetadata> =>
      (await get<{ sourceMetadata: SourceMetadata }>(apiPath`/catalog/sources/${metadataId}`, undefined, opts)).sourceMetadata,
  };

  const audit = {
    /** Newest first; a walk keeps the end time of its first page, so new events do not shift it. */
    list: async (query?: AuditEventsQuery, opts?: RequestOptions): Promise<Page<AuditEvent>> => {
      const params = {
        ...pageQuery(query),
        startTime: iso(query?.startTime),
        endTime: iso(query?.endTime),
        resourceId: query?.resourceId,
        resourceType: query?.resourceType,
      };
      const data = await get<{ events: AuditEvent[]; pagination: Pagination }>('/audit-events', params, opts);
      return toPage(data.events, data.pagination);
    },
    all: (query?: AuditEventsQuery, opts?: RequestOptions) => paginate(audit.list, query, opts),
  };

  return { workspace, sources, destinations, subscriptions, catalog, audit };
}

export type SwitchyardClient = ReturnType<typeof createClient>;
