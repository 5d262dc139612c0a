import type { FastifyInstance } from 'fastify';
import { readPageRequest } from '../../http/pagination.js';
import { authOf } from '../../http/request-context.js';
import { assertValidRequest } from '../../http/validation.js';
import { DestinationIdParams } from '../destinations/destinations.schemas.js';
import {
  CreateSubscriptionBody,
  SubscriptionParams,
  UpdateSubscriptionBody,
  type CreateSubscriptionInput,
  type UpdateSubscriptionInput,
} from './subscriptions.schemas.js';
import { toWireSubscription, type SubscriptionService } from './subscriptions.service.js';
import {
  createSubscriptionDoc,
  getSubscriptionDoc,
  listSubscriptionsDoc,
  removeSubscriptionDoc,
  updateSubscriptionDoc,
} from './subscriptions.docs.js';

type Params = { destinationId: string; id: string };
const BASE = '/destinations/:destinationId/subscriptions';

export function subscriptionRoutes(app: FastifyInstance, service: SubscriptionService): void {
  app.post<{ Params: { destinationId: string } }>(
    BASE,
    {
      schema: { params: DestinationIdParams, body: CreateSubscriptionBody },
      attachValidation: true,
      config: { operationLimit: 'subscription-create', openapi: createSubscriptionDoc },
    },
    async (request) => {
      const auth = authOf(request);
      const destination = await service.requireDestination(auth.workspaceId, request.params.destinationId);
      assertValidRequest(request);
      const destinationSubscription = await service.create(auth, destination, request.body as CreateSubscriptionInput);
      return { data: { destinationSubscription } };
    },
  );

  app.get<{ Params: { destinationId: string } }>(BASE, { schema: { params: DestinationIdParams }, config: { openapi: listSubscriptionsDoc } }, async (request) => {
    const auth = authOf(request);
    const destination = await service.requireDestination(auth.workspaceId, request.params.destinationId);
    return { data: await service.list(destination, readPageRequest(request.query)) };
  });

  app.get<{ Params: Params }>(`${BASE}/:id`, { schema: { params: SubscriptionParams }, config: { openapi: getSubscriptionDoc } }, async (request) => {
    const auth = authOf(request);
    const destination = await service.requireDestination(auth.workspaceId, request.params.destinationId);
    const row = await service.require(destination, request.params.id);
    return { data: { subscription: toWireSubscription(row) } };
  });

  app.patch<{ Params: Params }>(
    `${BASE}/:id`,
    {
      schema: { params: SubscriptionParams, body: UpdateSubscriptionBody },
      attachValidation: true,
      config: { operationLimit: 'subscription-update', openapi: updateSubscriptionDoc },
    },
    async (request) => {
      const auth = authOf(request);
      const destination = await service.requireDestination(auth.workspaceId, request.params.destinationId);
      const row = await service.require(destination, request.params.id);
      assertValidRequest(request);
      const { input } = request.body as { input: UpdateSubscriptionInput };
      return { data: { subscription: await service.update(auth, destination, row, input) } };
    },
  );

  app.delete<{ Params: Params }>(
    `${BASE}/:id`,
    { schema: { params: SubscriptionParams }, config: { operationLimit: 'subscription-remove', openapi: removeSubscriptionDoc } },
    async (request) => {
      const auth = authOf(request);
      const destination = await service.requireDestination(auth.workspaceId, request.params.destinationId);
      await service.remove(auth, await service.require(destination, request.params.id));
      return { data: { status: 'SUCCESS' } };
    },
  );
}
