import type { FastifyInstance } from 'fastify';
import { authOf } from '../../http/request-context.js';
import type { DeliveryMetricsService } from './delivery-metrics.service.js';
import { deliveryMetricsDoc } from './delivery-metrics.docs.js';

export function deliveryMetricsRoutes(app: FastifyInstance, service: DeliveryMetricsService): void {
  app.get<{ Params: { destinationId: string } }>('/destinations/:destinationId/delivery-metrics', { config: { openapi: deliveryMetricsDoc } }, async (request) => {
    const summary = await service.summary(
      authOf(request).workspaceId,
      request.params.destinationId,
      (request.query ?? {}) as Record<string, unknown>,
    );
    return { data: { deliveryMetricsSummary: summary } };
  });
}
