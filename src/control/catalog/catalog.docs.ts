// API reference entries of the catalog routes (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { destinationMetadataExample, paginationExample, sourceMetadataExample } from '../../http/openapi/examples.js';
import { DestinationMetadataV1, SourceMetadataV1 } from '../../http/openapi/catalog-models.js';
import { PaginationOutput } from '../../http/openapi/models.js';
import { controlOperation, dataResponse, PAGINATION_QUERY } from '../../http/openapi/operation-doc.js';

const TAGS = ['Catalog'];

export const getDestinationsCatalogDoc = controlOperation({
  operationId: 'getDestinationsCatalog',
  summary: 'Get Destinations Catalog',
  description: 'Destination types that can be created: the Destination Actions registry plus a few classic entries. Sorted by name.',
  tags: TAGS,
  query: PAGINATION_QUERY,
  responses: {
    200: dataResponse(
      'A page of the destinations catalog',
      { destinationsCatalog: Type.Array(DestinationMetadataV1), pagination: PaginationOutput },
      { destinationsCatalog: [destinationMetadataExample], pagination: paginationExample },
    ),
  },
  errors: [422],
});

export const getDestinationMetadataDoc = controlOperation({
  operationId: 'getDestinationMetadata',
  summary: 'Get Destination Metadata',
  tags: TAGS,
  responses: {
    200: dataResponse('The catalog entry', { destinationMetadata: DestinationMetadataV1 }, { destinationMetadata: destinationMetadataExample }),
  },
  errors: [404],
  notFoundMessage: "Destination metadata with id '000000000000000000000000' not found",
});

export const getSourcesCatalogDoc = controlOperation({
  operationId: 'getSourcesCatalog',
  summary: 'Get Sources Catalog',
  description: 'Source types that can be created. Sorted by name.',
  tags: TAGS,
  query: PAGINATION_QUERY,
  responses: {
    200: dataResponse(
      'A page of the sources catalog',
      { sourcesCatalog: Type.Array(SourceMetadataV1), pagination: PaginationOutput },
      { sourcesCatalog: [sourceMetadataExample], pagination: paginationExample },
    ),
  },
  errors: [422],
});

export const getSourceMetadataDoc = controlOperation({
  operationId: 'getSourceMetadata',
  summary: 'Get Source Metadata',
  tags: TAGS,
  responses: { 200: dataResponse('The catalog entry', { sourceMetadata: SourceMetadataV1 }, { sourceMetadata: sourceMetadataExample }) },
  errors: [404],
  notFoundMessage: "Source metadata with id 'xxxxxxxxxx' not found",
});
