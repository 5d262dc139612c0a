// API reference entry of the source events route, a Switchyard extension (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { SOURCE_ID, sourceEventExample } from '../../http/openapi/examples.js';
import { SourceEvent } from '../../http/openapi/extension-models.js';
import { controlOperation, dataResponse } from '../../http/openapi/operation-doc.js';

export const listSourceEventsDoc = controlOperation({
  operationId: 'listSourceEvents',
  summary: 'List Source Events',
  description:
    'Without `after`, the newest events of the source (oldest of them first); with `after`, the events received since ' +
    'that cursor. Pass the returned `cursor` as `after` to follow new traffic. Best effort, for watching traffic.',
  tags: ['Source Events'],
  query: {
    after: Type.Optional(Type.String({ description: 'A `cursor` returned by an earlier call.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'At most this many events (default 20).' })),
  },
  responses: {
    200: dataResponse(
      'Events and the cursor to continue from',
      { events: Type.Array(SourceEvent), cursor: Type.String({ description: 'Opaque; pass as `after` next time.' }) },
      { events: [sourceEventExample], cursor: 'eyJ0IjoxNzY0MTU4NDAwOTgwLCJpIjoiOGYwYyJ9' },
    ),
  },
  errors: [404, 422],
  notFoundMessage: `Source with id '${SOURCE_ID}' not found`,
});
