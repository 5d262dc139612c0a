// API reference entries of the destination routes (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { destinationExample, paginationExample, SOURCE_ID, WEBHOOK_METADATA_ID } from '../../http/openapi/examples.js';
import { DestinationV1, PaginationOutput } from '../../http/openapi/models.js';
import {
  BODY_ERRORS,
  controlOperation,
  dataResponse,
  deleteResponse,
  PAGINATION_QUERY,
} from '../../http/openapi/operation-doc.js';

const TAGS = ['Destinations'];
const destinationResponse = (description: string) =>
  dataResponse(description, { destination: DestinationV1 }, { destination: destinationExample });
const destinationPage = (description: string) =>
  dataResponse(
    description,
    { destinations: Type.Array(DestinationV1), pagination: PaginationOutput },
    { destinations: [destinationExample], pagination: paginationExample },
  );

export const createDestinationDoc = controlOperation({
  operationId: 'createDestination',
  summary: 'Create Destination',
  description:
    'Connects a destination of the catalog type `metadataId` to a source. `enabled` defaults to true and `name` to "". ' +
    'Settings are type-checked against the catalog options; required options are enforced only while enabled.',
  tags: TAGS,
  bodyExample: {
    sourceId: SOURCE_ID,
    metadataId: WEBHOOK_METADATA_ID,
    name: 'orders hook',
    enabled: false,
    settings: { sharedSecret: 'my-secret' },
  },
  responses: { 200: destinationResponse('The new destination') },
  errors: [...BODY_ERRORS, 403, 404],
  notFoundMessage: `Source with id '${SOURCE_ID}' not found`,
});

export const listDestinationsDoc = controlOperation({
  operationId: 'listDestinations',
  summary: 'List Destinations',
  description: 'Returns the workspace’s destinations, oldest first.',
  tags: TAGS,
  query: PAGINATION_QUERY,
  responses: { 200: destinationPage('A page of destinations') },
  errors: [422],
});

export const listConnectedDestinationsDoc = controlOperation({
  operationId: 'listConnectedDestinationsFromSource',
  summary: 'List Connected Destinations from Source',
  tags: ['Sources'],
  query: PAGINATION_QUERY,
  responses: { 200: destinationPage('A page of the source’s destinations') },
  errors: [404, 422],
  notFoundMessage: `Source with id '${SOURCE_ID}' not found`,
});

export const getDestinationDoc = controlOperation({
  operationId: 'getDestination',
  summary: 'Get Destination',
  tags: TAGS,
  responses: { 200: destinationResponse('The destination') },
  errors: [404],
});

export const updateDestinationDoc = controlOperation({
  operationId: 'updateDestination',
  summary: 'Update Destination',
  description:
    '`settings` is merged into the stored settings (a key set to null is removed; a value made only of • keeps the ' +
    'stored secret). `name: null` resets the name to "". A body that only changes read-only settings is a 400.',
  tags: TAGS,
  bodyExample: { enabled: true, settings: { sharedSecret: 'rotated-secret' } },
  responses: { 200: destinationResponse('The updated destination') },
  errors: [...BODY_ERRORS, 403, 404],
});

export const deleteDestinationDoc = controlOperation({
  operationId: 'deleteDestination',
  summary: 'Delete Destination',
  description: 'Deletes the destination with its subscriptions, queued deliveries and dead letters.',
  tags: TAGS,
  responses: { 200: deleteResponse('The destination was deleted') },
  errors: [403, 404],
});
