// Builds the control-plane services over one database and catalog.
import type { Kysely } from 'kysely';
import { AuditService } from '../control/audit/audit.service.js';
import type { DestinationCatalog } from '../control/catalog/destination-catalog.js';
import { DeliveryMetricsService } from '../control/delivery-metrics/delivery-metrics.service.js';
import { DestinationService } from '../control/destinations/destinations.service.js';
import { FailedDeliveriesService } from '../control/failed-deliveries/failed-deliveries.service.js';
import { SourceEventsService } from '../control/source-events/source-events.service.js';
import { SourceService } from '../control/sources/sources.service.js';
import { SubscriptionService } from '../control/subscriptions/subscriptions.service.js';
import { TokenService } from '../control/tokens/tokens.service.js';
import { WorkspaceService } from '../control/workspaces/workspaces.service.js';
import type { Database } from '../storage/schema.js';

export interface ControlPlane {
  catalog: DestinationCatalog;
  tokens: TokenService;
  workspaces: WorkspaceService;
  audit: AuditService;
  sources: SourceService;
  destinations: DestinationService;
  subscriptions: SubscriptionService;
  deliveryMetrics: DeliveryMetricsService;
  failedDeliveries: FailedDeliveriesService;
  sourceEvents: SourceEventsService;
}

export function createControlPlane(db: Kysely<Database>, catalog: DestinationCatalog): ControlPlane {
  const tokens = new TokenService(db);
  const sources = new SourceService(db, catalog);
  const destinations = new DestinationService(db, catalog, sources);
  return {
    catalog,
    tokens,
    workspaces: new WorkspaceService(db, tokens),
    audit: new AuditService(db),
    sources,
    destinations,
    subscriptions: new SubscriptionService(db, catalog, destinations),
    deliveryMetrics: new DeliveryMetricsService(db, destinations),
    failedDeliveries: new FailedDeliveriesService(db, destinations),
    sourceEvents: new SourceEventsService(db, sources),
  };
}
