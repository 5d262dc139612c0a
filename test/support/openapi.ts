// Helpers for checking the served OpenAPI document against the routes that really exist and the bodies that
// really come back.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import Ajv2020 from 'ajv/dist/2020.js';
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Whether Fastify was given a response schema, which would switch on its response serialisation. */
  serialisesResponses: boolean;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: Record<string, string[]>[];
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; style?: string; explode?: boolean; schema?: unknown }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown; example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>;
}

const INIT_CHANNEL = 'fastify.initialization';

/**
 * Records every route of the Fastify instances created until `stop()`. Fastify announces each new instance on a
 * diagnostics channel before any plugin runs, so the onRoute hook added here sees all routes, whoever adds them.
 */
export function recordRoutes(): { routes: RegisteredRoute[]; stop(): void } {
  const routes: RegisteredRoute[] = [];
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const serialisesResponses = (route.schema as { response?: unknown } | undefined)?.response !== undefined;
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, serialisesResponses });
    });
  };
  subscribe(INIT_CHANNEL, onInit);
  return { routes, stop: () => unsubscribe(INIT_CHANNEL, onInit) };
}

/** `/destinations/:destinationId` → `/destinations/{destinationId}`. */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const isSuccess = (status: string) => /^2\d\d$/.test(status);

/** Why a route is not properly documented, or undefined when it is. */
export function documentationProblem(document: OpenApiDocument, route: RegisteredRoute): string | undefined {
  const operation = document.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
  const name = `${route.method} ${route.url}`;
  if (!operation) return `${name} is missing from the document`;
  if (!operation.operationId || !operation.summary || !operation.tags?.length) return `${name} has no operationId, summary or tags`;
  const successes = Object.entries(operation.responses ?? {}).filter(([status]) => isSuccess(status));
  const described = successes.some(([, response]) => Object.values(response.content ?? {}).some((media) => media.schema !== undefined));
  return described ? undefined : `${name} has no response schema for a 2xx status`;
}

/** Validates values against schemas of the document, resolving its `#/components/schemas/...` references. */
export function documentSchemaValidator(document: OpenApiDocument) {
  // Formats and unknown annotations are documentation here; the shapes are what is checked.
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  return (schema: unknown, value: unknown): string[] => {
    const validate = ajv.compile({ ...(schema as object), components: document.components });
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
}

/** The JSON schema of an operation's response, by path, method and status. */
export function responseSchema(document: OpenApiDocument, path: string, method: string, status: number): unknown {
  const media = document.paths[path]?.[method]?.responses?.[String(status)]?.content?.['application/json'];
  if (!media?.schema) throw new Error(`no application/json schema for ${method.toUpperCase()} ${path} → ${status}`);
  return media.schema;
}
