// API reference entries of the source routes (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { sourceExample, paginationExample, WRITE_KEY } from '../../http/openapi/examples.js';
import { PaginationOutput, SourceV1 } from '../../http/openapi/models.js';
import {
  BODY_ERRORS,
  controlOperation,
  dataResponse,
  deleteResponse,
  PAGINATION_QUERY,
} from '../../http/openapi/operation-doc.js';

const TAGS = ['Sources'];
const NOT_FOUND = "Source with id 'rh5BDZp6QDHvXFCkibm1pR' not found";
const sourceResponse = (description: string) => dataResponse(description, { source: SourceV1 }, { source: sourceExample });

export const createSourceDoc = controlOperation({
  operationId: 'createSource',
  summary: 'Create Source',
  description:
    'Creates a source of the given catalog type with one write key. `slug` must be unique in the workspace and match ' +
    '`^[a-z0-9][a-z0-9_-]{0,99}$`; `name` defaults to the slug. Answers **201**.',
  tags: TAGS,
  bodyExample: { slug: 'web', enabled: true, metadataId: 'IqDTy1TpoU', settings: {} },
  responses: { 201: sourceResponse('The new source') },
  errors: [...BODY_ERRORS, 403, 404],
  notFoundMessage: "Source metadata with id 'IqDTy1TpoU' not found",
});

export const listSourcesDoc = controlOperation({
  operationId: 'listSources',
  summary: 'List Sources',
  description: 'Returns the workspace’s sources, oldest first.',
  tags: TAGS,
  query: PAGINATION_QUERY,
  responses: {
    200: dataResponse(
      'A page of sources',
      { sources: Type.Array(SourceV1), pagination: PaginationOutput },
      { sources: [sourceExample], pagination: paginationExample },
    ),
  },
  errors: [422],
});

export const getSourceDoc = controlOperation({
  operationId: 'getSource',
  summary: 'Get Source',
  tags: TAGS,
  responses: {
    200: dataResponse(
      'The source',
      { source: SourceV1, trackingPlanId: Type.Union([Type.String(), Type.Null()], { description: 'Always null: tracking plans are not supported.' }) },
      { source: sourceExample, trackingPlanId: null },
    ),
  },
  errors: [404],
  notFoundMessage: NOT_FOUND,
});

export const updateSourceDoc = controlOperation({
  operationId: 'updateSource',
  summary: 'Update Source',
  description: '`settings` is merged into the stored settings; a key set to null is removed.',
  tags: TAGS,
  bodyExample: { enabled: false, name: 'Web site' },
  responses: { 200: sourceResponse('The updated source') },
  errors: [...BODY_ERRORS, 403, 404],
  notFoundMessage: NOT_FOUND,
});

export const deleteSourceDoc = controlOperation({
  operationId: 'deleteSource',
  summary: 'Delete Source',
  description: 'Deletes the source, its destinations and subscriptions and their queued work; its write keys stop working at once.',
  tags: TAGS,
  responses: { 200: deleteResponse('The source was deleted') },
  errors: [403, 404],
  notFoundMessage: NOT_FOUND,
});

export const createWriteKeyDoc = controlOperation({
  operationId: 'createWriteKeyForSource',
  summary: 'Create Write Key for Source',
  description: 'Adds a new write key to the source. Takes no body.',
  tags: TAGS,
  responses: {
    200: dataResponse(
      'The source with the new key appended',
      { source: SourceV1 },
      { source: { ...sourceExample, writeKeys: [WRITE_KEY, 'k3Hq9ZrT2vLmN8pXwB5cYd7FgJ4sA6eU'] } },
    ),
  },
  errors: [403, 404],
  notFoundMessage: NOT_FOUND,
});

export const removeWriteKeyDoc = controlOperation({
  operationId: 'removeWriteKeyFromSource',
  summary: 'Remove Write Key from Source',
  description: 'Removes a write key; calls made with it are refused from then on. Removing the last key is allowed.',
  tags: TAGS,
  responses: { 200: deleteResponse('The key was removed') },
  errors: [403, 404],
  notFoundMessage: `Write key with id '${WRITE_KEY}' not found`,
});
