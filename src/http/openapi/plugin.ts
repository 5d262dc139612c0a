// The OpenAPI 3.1 document (GET /openapi.json) generated from the registered routes, and its interactive
// reference page (GET /docs) served from the @fastify/swagger-ui package itself. Must be registered before any
// route, so its onRoute hook sees them all.
import { readFileSync } from 'node:fs';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { BEARER_SCHEME, modelBody, NO_AUTH, WRITE_KEY_SCHEME, type OperationDoc } from './operation-doc.js';
import { finishDocument, OPTIONAL_BODY_MARKER } from './document-fixes.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

const packageVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const TAGS = [
  { name: 'Workspaces', description: 'The workspace of the API token.' },
  { name: 'Sources', description: 'Sources of events and their write keys.' },
  { name: 'Destinations', description: 'Destinations, their subscriptions and delivery metrics.' },
  { name: 'Catalog', description: 'Destination and source types that can be created.' },
  { name: 'Audit Trail', description: 'Changes made through the API.' },
  { name: 'Failed Deliveries', description: 'Switchyard extension: dead letters of a destination and their replay.' },
  { name: 'Source Events', description: 'Switchyard extension: recent events of a source.' },
  { name: 'Tracking API', description: 'Event ingest, compatible with the Segment libraries. Authenticated by a source write key.' },
  { name: 'Operations', description: 'Operator endpoints and this documentation.' },
];

const DESCRIPTION = `Self-hosted, wire-compatible implementation of the Segment Public API destinations resources, with a
delivery engine behind it. The control plane is served at the root and authenticated with a bearer token; the
Tracking API lives under \`/v1\` and is authenticated with a source write key.

Request bodies are JSON; the Segment vendor types (\`application/vnd.segment.v1+json\`, \`…v1alpha+json\`,
\`…v1beta+json\`) are accepted as well. Successful control-plane responses are \`{"data": {...}}\`; failures are \`{"errors": [{"type", "message", "field"?}]}\`.
List operations take \`pagination[count]\` and \`pagination[cursor]\` and answer with a \`pagination\` object; follow
\`next\` until it is absent.`;

const referencePageDoc: OperationDoc = {
  operationId: 'getApiReference',
  summary: 'API reference page',
  description: 'Interactive reference generated from this document; every asset is served by this server.',
  tags: ['Operations'],
  security: NO_AUTH,
  produces: ['text/html'],
  responses: { 200: Type.String({ description: 'The HTML page.' }) },
};

const openApiDocumentDoc: OperationDoc = {
  operationId: 'getOpenApiDocument',
  summary: 'OpenAPI document',
  description: 'This document: OpenAPI 3.1, generated from the route schemas of the running server.',
  tags: ['Operations'],
  security: NO_AUTH,
  responses: {
    200: Type.Object(
      { openapi: Type.String(), info: Type.Object({}, { additionalProperties: true }), paths: Type.Object({}, { additionalProperties: true }) },
      { description: 'The OpenAPI document.', additionalProperties: true },
    ),
  },
};

// Fastify registers a prefixed '/' route as both '/docs' and '/docs/' and reuses one options object for the two,
// so the reference page can show up under either url.
const isReferencePage = (url: string) => url === DOCS_PREFIX || url === `${DOCS_PREFIX}/`;

/**
 * Routes left out of the document on purpose: the reference page's own assets and JSON copies, CORS preflights,
 * and the Tracking API's catch-all that answers unknown `/v1/*` paths with a 404 in the libraries' error shape.
 */
function isUndocumentedByDesign(method: string, url: string): boolean {
  if (method === 'OPTIONS' || method === 'HEAD') return true;
  if (url === '/v1/*') return true;
  return url.startsWith(`${DOCS_PREFIX}/`) && !isReferencePage(url);
}

type SwaggerSchema = Record<string, unknown> & { body?: TSchema; querystring?: TSchema };

/** Folds a route's documentation into the schema @fastify/swagger reads; the route itself is left untouched. */
function documentedSchema(validation: SwaggerSchema | undefined, doc: OperationDoc): SwaggerSchema {
  // `hide` comes from plugins that keep their routes out of the document by default (the reference page).
  const { response: _response, hide: _hide, ...schema } = validation ?? {};
  const validatedQuery = (validation?.querystring as { properties?: Record<string, TSchema> } | undefined)?.properties;
  const query = doc.query || validatedQuery ? Type.Object({ ...validatedQuery, ...doc.query }) : undefined;
  const body = doc.body ?? validation?.body;
  const bodyOptions = doc.bodyExample === undefined ? {} : { examples: [doc.bodyExample] };
  return {
    ...schema,
    operationId: doc.operationId,
    summary: doc.summary,
    tags: doc.tags,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    ...(query ? { querystring: query } : {}),
    ...(body ? { body: body.$id ? modelBody(body, bodyOptions) : { ...body, ...bodyOptions } } : {}),
    ...(doc.bodyOptional ? { [OPTIONAL_BODY_MARKER]: true } : {}),
    ...(doc.consumes ? { consumes: doc.consumes } : {}),
    ...(doc.produces ? { produces: doc.produces } : {}),
    response: doc.responses,
  };
}

interface TransformInput {
  schema: SwaggerSchema | undefined;
  url: string;
  route: RouteOptions;
}

function transformRoute({ schema, url, route }: TransformInput) {
  const methods = [route.method].flat();
  if (methods.every((m) => isUndocumentedByDesign(m, url))) return { schema: { hide: true }, url };
  if (isReferencePage(url)) return { schema: documentedSchema(schema, referencePageDoc), url: DOCS_PREFIX };
  const doc = route.config?.openapi;
  // An undocumented route still appears, without a response schema, so the completeness test catches it.
  return { schema: doc ? documentedSchema(schema, doc) : { ...schema, hide: false }, url };
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchyard API', version: packageVersion, description: DESCRIPTION },
      tags: TAGS,
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'Workspace API token.' },
          [WRITE_KEY_SCHEME]: {
            type: 'http',
            scheme: 'basic',
            description: 'Source write key as the user name, empty password. May instead be sent as `writeKey` in the body.',
          },
        },
      },
      security: [{ [BEARER_SCHEME]: [] }],
    },
    // Models carry an `$id`; name their components after it instead of `def-N`.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: transformRoute as never,
    transformObject: (documents) => finishDocument((documents as { openapiObject: object }).openapiObject) as never,
  });

  app.get(OPENAPI_PATH, { config: { openapi: openApiDocumentDoc } }, async () => app.swagger());

  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, tryItOutEnabled: false, persistAuthorization: false },
    theme: { title: 'Switchyard API reference' },
  });
}
