// API reference entries of the failed-deliveries routes, a Switchyard extension (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { failedDeliveryExample, paginationExample, SUBSCRIPTION_ID } from '../../http/openapi/examples.js';
import { FailedDelivery, ReplayFailedDeliveriesInput } from '../../http/openapi/extension-models.js';
import { PaginationOutput } from '../../http/openapi/models.js';
import { BODY_ERRORS, controlOperation, dataResponse, PAGINATION_QUERY } from '../../http/openapi/operation-doc.js';

const TAGS = ['Failed Deliveries'];

export const listFailedDeliveriesDoc = controlOperation({
  operationId: 'listFailedDeliveries',
  summary: 'List Failed Deliveries',
  description: 'Deliveries of the destination that were discarded or expired (dead letters), most recent first.',
  tags: TAGS,
  query: {
    ...PAGINATION_QUERY,
    reason: Type.Optional(Type.String({ minLength: 1, description: 'Only this reason, e.g. `http-4xx`.' })),
    subscriptionId: Type.Optional(Type.String({ minLength: 1, description: 'Only this subscription.' })),
  },
  responses: {
    200: dataResponse(
      'A page of failed deliveries',
      { failedDeliveries: Type.Array(FailedDelivery), pagination: PaginationOutput },
      { failedDeliveries: [failedDeliveryExample], pagination: paginationExample },
    ),
  },
  errors: [404, 422],
});

export const replayFailedDeliveriesDoc = controlOperation({
  operationId: 'replayFailedDeliveries',
  summary: 'Replay Failed Deliveries',
  description:
    'Queues the matching dead letters of the destination for delivery again, with the current settings and mapping. ' +
    'An empty body replays all of them.',
  tags: TAGS,
  body: ReplayFailedDeliveriesInput,
  bodyOptional: true,
  bodyExample: { subscriptionId: SUBSCRIPTION_ID, reason: 'http-4xx', since: '2025-11-26T00:00:00Z' },
  responses: {
    200: dataResponse('How many deliveries were queued', { replayed: Type.Integer({ description: 'Deliveries queued again.' }) }, { replayed: 12 }),
  },
  errors: [...BODY_ERRORS, 403, 404],
});
