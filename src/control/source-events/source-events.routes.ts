import type { FastifyInstance } from 'fastify';
import { authOf } from '../../http/request-context.js';
import type { SourceEventsService } from './source-events.service.js';
import { listSourceEventsDoc } from './source-events.docs.js';

/** `GET /sources/{sourceId}/events?after=&limit=` — our extension; no Segment counterpart. */
export function sourceEventsRoutes(app: FastifyInstance, service: SourceEventsService): void {
  app.get<{ Params: { sourceId: string } }>('/sources/:sourceId/events', { config: { openapi: listSourceEventsDoc } }, async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    return { data: await service.list(authOf(request).workspaceId, request.params.sourceId, query) };
  });
}
