import type { FastifyInstance } from 'fastify';
import { readPageRequest } from '../../http/pagination.js';
import { authOf } from '../../http/request-context.js';
import { assertValidRequest } from '../../http/validation.js';
import {
  CreateSourceBody,
  SourceIdParams,
  UpdateSourceBody,
  WriteKeyParams,
  type CreateSourceInput,
  type UpdateSourceInput,
} from './sources.schemas.js';
import type { SourceService } from './sources.service.js';
import {
  createSourceDoc,
  createWriteKeyDoc,
  deleteSourceDoc,
  getSourceDoc,
  listSourcesDoc,
  removeWriteKeyDoc,
  updateSourceDoc,
} from './sources.docs.js';

type SourceParams = { sourceId: string };
const SUCCESS = { data: { status: 'SUCCESS' } } as const;

export function sourceRoutes(app: FastifyInstance, sourcesService: SourceService): void {
  app.post('/sources', { schema: { body: CreateSourceBody }, attachValidation: true, config: { openapi: createSourceDoc } }, async (request, reply) => {
    assertValidRequest(request);
    const source = await sourcesService.create(authOf(request), request.body as CreateSourceInput);
    return reply.code(201).send({ data: { source } });
  });

  app.get('/sources', { config: { openapi: listSourcesDoc } }, async (request) => {
    const page = readPageRequest(request.query);
    return { data: await sourcesService.list(authOf(request).workspaceId, page) };
  });

  app.get<{ Params: SourceParams }>('/sources/:sourceId', { schema: { params: SourceIdParams }, config: { openapi: getSourceDoc } }, async (request) => {
    const source = await sourcesService.get(authOf(request).workspaceId, request.params.sourceId);
    return { data: { source, trackingPlanId: null } };
  });

  app.patch<{ Params: SourceParams }>(
    '/sources/:sourceId',
    { schema: { params: SourceIdParams, body: UpdateSourceBody }, attachValidation: true, config: { openapi: updateSourceDoc } },
    async (request) => {
      const auth = authOf(request);
      const row = await sourcesService.require(auth.workspaceId, request.params.sourceId);
      assertValidRequest(request);
      return { data: { source: await sourcesService.update(auth, row, request.body as UpdateSourceInput) } };
    },
  );

  app.delete<{ Params: SourceParams }>('/sources/:sourceId', { schema: { params: SourceIdParams }, config: { openapi: deleteSourceDoc } }, async (request) => {
    const auth = authOf(request);
    await sourcesService.delete(auth, await sourcesService.require(auth.workspaceId, request.params.sourceId));
    return SUCCESS;
  });

  app.post<{ Params: SourceParams }>('/sources/:sourceId/writekey', { schema: { params: SourceIdParams }, config: { openapi: createWriteKeyDoc } }, async (request) => {
    const auth = authOf(request);
    const row = await sourcesService.require(auth.workspaceId, request.params.sourceId);
    return { data: { source: await sourcesService.createWriteKey(auth, row) } };
  });

  app.delete<{ Params: SourceParams & { writeKey: string } }>(
    '/sources/:sourceId/writekey/:writeKey',
    { schema: { params: WriteKeyParams }, config: { openapi: removeWriteKeyDoc } },
    async (request) => {
      const auth = authOf(request);
      const row = await sourcesService.require(auth.workspaceId, request.params.sourceId);
      await sourcesService.removeWriteKey(auth, row, request.params.writeKey);
      return SUCCESS;
    },
  );
}
