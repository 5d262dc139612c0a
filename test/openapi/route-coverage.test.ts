// Every route the server registers must be in GET /openapi.json with an operationId and a response schema, so a
// route added without documentation fails here.
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOpenApi } from '../../src/http/openapi/plugin.js';
import { documentationProblem, recordRoutes, type OpenApiDocument, type RegisteredRoute } from '../support/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Routes that are deliberately not operations of the API: HEAD/OPTIONS twins of documented routes, the reference
// page's assets and JSON copies, and the Tracking API's catch-all 404 for unknown /v1 paths.
function exempt(route: RegisteredRoute): boolean {
  if (route.method === 'HEAD' || route.method === 'OPTIONS') return true;
  return route.url.startsWith('/docs/') || route.url === '/v1/*';
}

const SEGMENT_OPERATIONS = [
  'createDestination', 'listDestinations', 'getDestination', 'updateDestination', 'deleteDestination',
  'createDestinationSubscription', 'listSubscriptionsFromDestination', 'getSubscriptionFromDestination',
  'updateSubscriptionForDestination', 'removeSubscriptionFromDestination', 'listDeliveryMetricsSummaryFromDestination',
  'createSource', 'listSources', 'getSource', 'updateSource', 'deleteSource', 'createWriteKeyForSource',
  'removeWriteKeyFromSource', 'listConnectedDestinationsFromSource', 'getDestinationsCatalog', 'getDestinationMetadata',
  'getSourcesCatalog', 'getSourceMetadata', 'listAuditEvents', 'getWorkspace',
];
const OUR_OPERATIONS = [
  'listFailedDeliveries', 'replayFailedDeliveries', 'listSourceEvents', 'getMetrics', 'getOpenApiDocument', 'getApiReference',
  'track', 'identify', 'page', 'screen', 'group', 'alias', 'batch', 'import',
  'trackShort', 'identifyShort', 'pageShort', 'screenShort', 'groupShort', 'aliasShort', 'batchShort',
];
const LIST_OPERATIONS = [
  'listDestinations', 'listSubscriptionsFromDestination', 'listSources', 'listConnectedDestinationsFromSource',
  'getDestinationsCatalog', 'getSourcesCatalog', 'listAuditEvents', 'listFailedDeliveries',
];

function operations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

describe('OpenAPI route coverage', () => {
  let server: TestServer;
  let routes: RegisteredRoute[];
  let document: OpenApiDocument;

  beforeAll(async () => {
    const recorder = recordRoutes();
    try {
      server = await startTestServer('sqlite');
    } finally {
      recorder.stop();
    }
    routes = recorder.routes;
    document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
  });
  afterAll(() => server?.destroy());

  it('documents every registered route with an operationId and a response schema', () => {
    const documented = routes.filter((route) => !exempt(route));
    expect(documented.length).toBeGreaterThan(40);
    expect(documented.map((route) => documentationProblem(document, route)).filter(Boolean)).toEqual([]);
  });

  it('keeps response schemas out of Fastify, so replies are never re-serialised', () => {
    expect(routes.filter((r) => r.serialisesResponses).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('marks a request body optional only where a missing body counts as {}', () => {
    const optional = operations(document).filter((o) => o.operation.requestBody?.required === false).map((o) => o.operation.operationId);
    expect(optional).toEqual(['replayFailedDeliveries']);
    expect(JSON.stringify(document)).not.toContain('x-switchyard');
  });

  it('documents nothing that is not a route', () => {
    const registered = new Set(routes.map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    const phantom = operations(document).map((o) => `${o.method} ${o.path}`).filter((key) => !registered.has(key));
    expect(phantom).toEqual([]);
  });

  it('uses Segment’s operationIds, unique across the document', () => {
    const ids = operations(document).map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([...SEGMENT_OPERATIONS, ...OUR_OPERATIONS]));
  });

  it('authenticates the control plane by bearer token, the Tracking API by write key, and leaves operator pages open', () => {
    expect(document.components.securitySchemes).toMatchObject({
      token: { type: 'http', scheme: 'bearer' },
      writeKey: { type: 'http', scheme: 'basic' },
    });
    expect(document.security).toEqual([{ token: [] }]);
    for (const { path, operation } of operations(document)) {
      if (path.startsWith('/v1/')) expect(operation.security, path).toEqual([{ writeKey: [] }, {}]);
      else if (['/metrics', '/openapi.json', '/docs'].includes(path)) expect(operation.security, path).toEqual([]);
      else expect(operation.security, path).toBeUndefined();
    }
  });

  it('describes pagination as a deepObject with count and cursor on every list', () => {
    const byId = new Map(operations(document).map((o) => [o.operation.operationId, o.operation]));
    for (const id of LIST_OPERATIONS) {
      const pagination = byId.get(id)?.parameters?.find((p) => p.name === 'pagination');
      expect(pagination, id).toMatchObject({ in: 'query', style: 'deepObject', explode: true, required: false });
    }
    expect(document.components.schemas.PaginationInput).toMatchObject({
      type: 'object',
      properties: { count: { type: 'integer' }, cursor: { type: 'string' } },
    });
  });

  it('gives every operation examples of its success response', () => {
    for (const { path, method, operation } of operations(document)) {
      if (path === '/docs' || path === '/openapi.json') continue;
      const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'));
      const media = Object.values(success?.[1].content ?? {})[0];
      expect(media?.example, `${method} ${path}`).toBeDefined();
    }
  });
});

describe('the coverage check itself', () => {
  it('reports a route registered without documentation', async () => {
    const recorder = recordRoutes();
    const app = Fastify();
    try {
      await registerOpenApi(app);
      app.get('/documented', {
        config: {
          openapi: { operationId: 'documented', summary: 'Documented', tags: ['Operations'], responses: { 200: Type.Object({ ok: Type.Boolean() }) } },
        },
      }, async () => ({ ok: true }));
      app.get('/forgotten', async () => ({ ok: true }));
      await app.ready();
    } finally {
      recorder.stop();
    }
    const document = app.swagger() as unknown as OpenApiDocument;
    await app.close();
    const problems = recorder.routes.filter((r) => !exempt(r)).map((r) => documentationProblem(document, r)).filter(Boolean);
    expect(problems).toEqual(['GET /forgotten has no operationId, summary or tags']);
  });
});
