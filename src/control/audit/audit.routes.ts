import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readPageRequest } from '../../http/pagination.js';
import { authOf } from '../../http/request-context.js';
import { assertValidRequest } from '../../http/validation.js';
import type { AuditQuery, AuditService } from './audit.service.js';
import { listAuditEventsDoc } from './audit.docs.js';

const AuditQuerySchema = Type.Object(
  {
    startTime: Type.Optional(Type.String()),
    endTime: Type.Optional(Type.String()),
    resourceId: Type.Optional(Type.String()),
    resourceType: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  app.get('/audit-events', { schema: { querystring: AuditQuerySchema }, attachValidation: true, config: { openapi: listAuditEventsDoc } }, async (request) => {
    assertValidRequest(request);
    const page = readPageRequest(request.query);
    return { data: await audit.list(authOf(request).workspaceId, request.query as AuditQuery, page) };
  });
}
