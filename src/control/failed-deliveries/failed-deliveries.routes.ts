import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readPageRequest } from '../../http/pagination.js';
import { authOf } from '../../http/request-context.js';
import { assertValidRequest } from '../../http/validation.js';
import type { FailedDeliveriesService, ReplayInput } from './failed-deliveries.service.js';
import { listFailedDeliveriesDoc, replayFailedDeliveriesDoc } from './failed-deliveries.docs.js';

type DestinationParams = { destinationId: string };

const NonEmpty = Type.String({ minLength: 1 });

// Every filter is optional; an empty body replays all of the destination's dead letters.
const ReplayBody = Type.Object({
  subscriptionId: Type.Optional(NonEmpty),
  reason: Type.Optional(NonEmpty),
  since: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
});

export function failedDeliveriesRoutes(app: FastifyInstance, service: FailedDeliveriesService): void {
  app.get<{ Params: DestinationParams }>('/destinations/:destinationId/failed-deliveries', { config: { openapi: listFailedDeliveriesDoc } }, async (request) => {
    const destination = await service.requireDestination(authOf(request).workspaceId, request.params.destinationId);
    const query = (request.query ?? {}) as Record<string, unknown>;
    return { data: await service.list(destination, query, readPageRequest(query)) };
  });

  app.post<{ Params: DestinationParams }>(
    '/destinations/:destinationId/failed-deliveries/replay',
    { schema: { body: ReplayBody }, attachValidation: true, config: { openapi: replayFailedDeliveriesDoc } },
    async (request) => {
      const destination = await service.requireDestination(authOf(request).workspaceId, request.params.destinationId);
      assertValidRequest(request);
      const { replayed } = await service.replay(destination, (request.body ?? {}) as ReplayInput);
      return { data: { replayed } };
    },
  );
}
