// The HTTP application as a function of its services: no configuration is read and no connection is opened here.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ControlPlane } from '../main/control-plane.js';
import { auditRoutes } from '../control/audit/audit.routes.js';
import { catalogRoutes } from '../control/catalog/catalog.routes.js';
import { deliveryMetricsRoutes } from '../control/delivery-metrics/delivery-metrics.routes.js';
import { destinationRoutes } from '../control/destinations/destinations.routes.js';
import { failedDeliveriesRoutes } from '../control/failed-deliveries/failed-deliveries.routes.js';
import { sourceEventsRoutes } from '../control/source-events/source-events.routes.js';
import { sourceRoutes } from '../control/sources/sources.routes.js';
import { subscriptionRoutes } from '../control/subscriptions/subscriptions.routes.js';
import { workspaceRoutes } from '../control/workspaces/workspaces.routes.js';
import { registerControlPlaneGuards } from './auth.js';
import { registerErrorHandling, sendFrameworkError } from './error-handler.js';
import { registerJsonBodies } from './media-types.js';
import { registerOpenApi } from './openapi/plugin.js';
import { FixedWindowLimiter } from './rate-limit.js';
import { AJV_OPTIONS } from './validation.js';
import './request-context.js';

export const CONTROL_PLANE_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  logger: Logger;
  controlPlane: ControlPlane;
  rateLimitPerMinute: number;
  subscriptionWritesPerMinute: number;
  /** Extra route plugins (the Tracking API, operator endpoints), registered beside the control plane. */
  plugins?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
}

export const SUBSCRIPTION_WRITE_LIMITS = ['subscription-create', 'subscription-update', 'subscription-remove'] as const;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: CONTROL_PLANE_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ajv: { customOptions: AJV_OPTIONS },
    // Per-request access logs would dominate the log and the hot path; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    frameworkErrors: sendFrameworkError,
  });
  registerErrorHandling(app);
  // First, so the document sees every route registered below.
  await registerOpenApi(app);
  const { controlPlane: cp } = options;

  await app.register(async (controlPlane) => {
    registerJsonBodies(controlPlane);
    registerControlPlaneGuards(controlPlane, {
      authenticator: cp.tokens,
      generalLimiter: new FixedWindowLimiter(options.rateLimitPerMinute),
      operationLimiters: new Map(
        SUBSCRIPTION_WRITE_LIMITS.map((name) => [name, new FixedWindowLimiter(options.subscriptionWritesPerMinute)]),
      ),
    });
    workspaceRoutes(controlPlane, cp.workspaces);
    sourceRoutes(controlPlane, cp.sources);
    destinationRoutes(controlPlane, cp.destinations, cp.sources);
    subscriptionRoutes(controlPlane, cp.subscriptions);
    catalogRoutes(controlPlane, cp.catalog);
    auditRoutes(controlPlane, cp.audit);
    deliveryMetricsRoutes(controlPlane, cp.deliveryMetrics);
    failedDeliveriesRoutes(controlPlane, cp.failedDeliveries);
    sourceEventsRoutes(controlPlane, cp.sourceEvents);
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}
