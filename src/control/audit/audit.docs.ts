// API reference entry of the audit trail route (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { auditEventExample, DESTINATION_ID, paginationExample } from '../../http/openapi/examples.js';
import { AuditEventV1, PaginationOutput } from '../../http/openapi/models.js';
import { controlOperation, dataResponse, PAGINATION_QUERY } from '../../http/openapi/operation-doc.js';

export const listAuditEventsDoc = controlOperation({
  operationId: 'listAuditEvents',
  summary: 'List Audit Events',
  description: 'Changes made through the API, newest first. The first page pins `endTime` in its cursor, so a walk is stable.',
  tags: ['Audit Trail'],
  query: {
    ...PAGINATION_QUERY,
    startTime: Type.Optional(Type.String({ format: 'date-time', description: 'Oldest event time, inclusive.' })),
    endTime: Type.Optional(Type.String({ format: 'date-time', description: 'Newest event time, exclusive (default now).' })),
    resourceId: Type.Optional(Type.String({ description: 'Only events of this resource.', examples: [DESTINATION_ID] })),
    resourceType: Type.Optional(
      Type.String({ description: '`destination`, `subscription` or `source` (any case, singular or plural).', examples: ['destination'] }),
    ),
  },
  responses: {
    200: dataResponse(
      'A page of audit events',
      { events: Type.Array(AuditEventV1), pagination: PaginationOutput },
      { events: [auditEventExample], pagination: paginationExample },
    ),
  },
  errors: [422],
});
