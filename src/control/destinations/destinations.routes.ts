import type { FastifyInstance } from 'fastify';
import { dataEnvelope, jsonArray, sendJsonText } from '../../http/json-reply.js';
import { readPageRequest } from '../../http/pagination.js';
import { authOf } from '../../http/request-context.js';
import { assertValidRequest } from '../../http/validation.js';
import type { SourceService } from '../sources/sources.service.js';
import {
  CreateDestinationBody,
  DestinationIdParams,
  UpdateDestinationBody,
  type CreateDestinationInput,
  type UpdateDestinationInput,
} from './destinations.schemas.js';
import type { DestinationService } from './destinations.service.js';
import {
  createDestinationDoc,
  deleteDestinationDoc,
  getDestinationDoc,
  listConnectedDestinationsDoc,
  listDestinationsDoc,
  updateDestinationDoc,
} from './destinations.docs.js';

type DestinationParams = { destinationId: string };

export function destinationRoutes(app: FastifyInstance, service: DestinationService, sources: SourceService): void {
  app.post('/destinations', { schema: { body: CreateDestinationBody }, attachValidation: true, config: { openapi: createDestinationDoc } }, async (request, reply) => {
    assertValidRequest(request);
    const json = await service.create(authOf(request), request.body as CreateDestinationInput);
    return sendJsonText(reply, dataEnvelope({ destination: json }));
  });

  app.get('/destinations', { config: { openapi: listDestinationsDoc } }, async (request, reply) => {
    const page = readPageRequest(request.query);
    const { json, pagination } = await service.list({ workspaceId: authOf(request).workspaceId }, page);
    return sendJsonText(reply, dataEnvelope({ destinations: jsonArray(json), pagination: JSON.stringify(pagination) }));
  });

  app.get<{ Params: { sourceId: string } }>('/sources/:sourceId/connected-destinations', { config: { openapi: listConnectedDestinationsDoc } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    await sources.require(workspaceId, request.params.sourceId);
    const page = readPageRequest(request.query);
    const { json, pagination } = await service.list({ workspaceId, sourceId: request.params.sourceId }, page);
    return sendJsonText(reply, dataEnvelope({ destinations: jsonArray(json), pagination: JSON.stringify(pagination) }));
  });

  app.get<{ Params: DestinationParams }>('/destinations/:destinationId', { schema: { params: DestinationIdParams }, config: { openapi: getDestinationDoc } }, async (request, reply) => {
    const row = await service.require(authOf(request).workspaceId, request.params.destinationId);
    return sendJsonText(reply, dataEnvelope({ destination: service.toJson(row) }));
  });

  app.patch<{ Params: DestinationParams }>(
    '/destinations/:destinationId',
    { schema: { params: DestinationIdParams, body: UpdateDestinationBody }, attachValidation: true, config: { openapi: updateDestinationDoc } },
    async (request, reply) => {
      const auth = authOf(request);
      const row = await service.require(auth.workspaceId, request.params.destinationId);
      assertValidRequest(request);
      const json = await service.update(auth, row, request.body as UpdateDestinationInput);
      return sendJsonText(reply, dataEnvelope({ destination: json }));
    },
  );

  app.delete<{ Params: DestinationParams }>('/destinations/:destinationId', { schema: { params: DestinationIdParams }, config: { openapi: deleteDestinationDoc } }, async (request) => {
    const auth = authOf(request);
    await service.delete(auth, await service.require(auth.workspaceId, request.params.destinationId));
    return { data: { status: 'SUCCESS' } };
  });
}
