// API reference entries of the subscription routes (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { paginationExample, SEND_ACTION_ID, subscriptionExample } from '../../http/openapi/examples.js';
import { DestinationSubscription, PaginationOutput } from '../../http/openapi/models.js';
import {
  BODY_ERRORS,
  controlOperation,
  dataResponse,
  deleteResponse,
  PAGINATION_QUERY,
} from '../../http/openapi/operation-doc.js';

const TAGS = ['Destinations'];
const NOT_FOUND = `Subscription with id '${subscriptionExample.id}' not found`;
const LIMITED = ' Limited to 5 successful calls per minute per token.';

export const createSubscriptionDoc = controlOperation({
  operationId: 'createDestinationSubscription',
  summary: 'Create Destination Subscription',
  description:
    'Subscribes an action of the destination to the events matching an FQL `trigger`; `settings` is the action ' +
    'mapping (values may be `@path`, `@template`, … directives).' + LIMITED,
  tags: TAGS,
  bodyExample: {
    name: 'Orders to hook',
    actionId: SEND_ACTION_ID,
    trigger: 'type = "track" and event = "Order Completed"',
    enabled: true,
    settings: { url: 'https://example.org/hook', data: { '@path': '$.properties' } },
  },
  responses: {
    200: dataResponse('The new subscription', { destinationSubscription: DestinationSubscription }, { destinationSubscription: subscriptionExample }),
  },
  errors: [...BODY_ERRORS, 403, 404],
});

export const listSubscriptionsDoc = controlOperation({
  operationId: 'listSubscriptionsFromDestination',
  summary: 'List Subscriptions from Destination',
  tags: TAGS,
  query: PAGINATION_QUERY,
  responses: {
    200: dataResponse(
      'A page of the destination’s subscriptions',
      { subscriptions: Type.Array(DestinationSubscription), pagination: PaginationOutput },
      { subscriptions: [subscriptionExample], pagination: paginationExample },
    ),
  },
  errors: [404, 422],
});

export const getSubscriptionDoc = controlOperation({
  operationId: 'getSubscriptionFromDestination',
  summary: 'Get Subscription from Destination',
  tags: TAGS,
  responses: { 200: dataResponse('The subscription', { subscription: DestinationSubscription }, { subscription: subscriptionExample }) },
  errors: [404],
  notFoundMessage: NOT_FOUND,
});

export const updateSubscriptionDoc = controlOperation({
  operationId: 'updateSubscriptionForDestination',
  summary: 'Update Subscription for Destination',
  description: 'Changes are wrapped in `input`. `settings` replaces the whole mapping; `actionId` cannot change.' + LIMITED,
  tags: TAGS,
  bodyExample: { input: { enabled: false, trigger: 'type = "track"' } },
  responses: {
    200: dataResponse('The updated subscription', { subscription: DestinationSubscription }, { subscription: { ...subscriptionExample, enabled: false } }),
  },
  errors: [...BODY_ERRORS, 403, 404],
  notFoundMessage: NOT_FOUND,
});

export const removeSubscriptionDoc = controlOperation({
  operationId: 'removeSubscriptionFromDestination',
  summary: 'Remove Subscription from Destination',
  description: 'Deletes the subscription and its queued deliveries.' + LIMITED,
  tags: TAGS,
  responses: { 200: deleteResponse('The subscription was removed') },
  errors: [403, 404],
  notFoundMessage: NOT_FOUND,
});
