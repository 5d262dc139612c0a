// API reference entry of the Prometheus endpoint (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { NO_AUTH, type OperationDoc } from '../../http/openapi/operation-doc.js';

export const getMetricsDoc: OperationDoc = {
  operationId: 'getMetrics',
  summary: 'Prometheus metrics',
  description:
    'Operator metrics in the Prometheus text format 0.0.4: ingest counters, queue depth, dead letters, delivery ' +
    'outcomes and attempt durations. Unauthenticated: expose it only inside the operator’s network.',
  tags: ['Operations'],
  security: NO_AUTH,
  produces: ['text/plain'],
  responses: {
    200: Type.String({
      description: 'The metrics',
      examples: ['# HELP switchyard_delivery_queue_depth Deliveries waiting, retrying or in flight.\n# TYPE switchyard_delivery_queue_depth gauge\nswitchyard_delivery_queue_depth 0\n'],
    }),
  },
};
