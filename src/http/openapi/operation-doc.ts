// How a route describes itself in the OpenAPI document. The description travels in the route's `config.openapi`,
// which Fastify never compiles: response schemas documented here cannot switch on response serialisation (which
// would strip or reorder fields and fight the pre-serialised JSON replies), and query or body schemas documented
// here cannot change request validation.
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { DeleteStatus, PaginationInput, RequestErrorEnvelope } from './models.js';

export type SecurityRequirement = Record<string, string[]>;

export const BEARER_SCHEME = 'token';
export const WRITE_KEY_SCHEME = 'writeKey';
/** Open endpoints: metrics, the document and its reference page. */
export const NO_AUTH: SecurityRequirement[] = [];

export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Defaults to the document's bearer token. */
  security?: SecurityRequirement[];
  /** Query parameters; merged over the properties of the route's validation schema, if any. */
  query?: TProperties;
  /** Request body when the route validates none itself (or to show a richer model than the validator's). */
  body?: TSchema;
  bodyExample?: unknown;
  /** The body may be left out (it then counts as `{}`). */
  bodyOptional?: boolean;
  consumes?: string[];
  produces?: string[];
  /** Keyed by HTTP status; each schema's `description` becomes the response description. */
  responses: Record<number, TSchema>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Documentation of the route in GET /openapi.json; never used to validate or serialise. */
    openapi?: OperationDoc;
  }
}

/**
 * A named model as a whole request or response body. @fastify/swagger inlines a top-level schema even when it has an
 * `$id`; nested under `allOf` it becomes a reference to the model's component.
 */
export function modelBody(model: TSchema, options: { description?: string; examples?: unknown[] } = {}): TSchema {
  return Type.Unsafe({ ...options, allOf: [model] });
}

/** A `{"data": {...}}` success response with an example. */
export function dataResponse(description: string, data: TProperties, example: Record<string, unknown>): TSchema {
  return Type.Object({ data: Type.Object(data) }, { description, examples: [{ data: example }] });
}

const controlError = (description: string, example: Record<string, unknown>) =>
  modelBody(RequestErrorEnvelope, { description, examples: [{ errors: [example] }] });

export type ControlErrorStatus = 400 | 403 | 404 | 413 | 415 | 422;

function controlErrorResponse(status: ControlErrorStatus | 401 | 429, notFoundMessage: string): TSchema {
  switch (status) {
    case 400:
      return controlError('Malformed request', { type: 'bad-request', message: 'Malformed JSON in request body' });
    case 401:
      return controlError('Missing or invalid API token', { type: 'unauthorized', message: 'Missing API token' });
    case 403:
      return controlError('The token may not change resources', { type: 'forbidden', message: 'This token is read-only and cannot change resources' });
    case 404:
      return controlError('Resource not found (or in another workspace)', { type: 'not-found', message: notFoundMessage });
    case 413:
      return controlError('Request body over 1 MiB', { type: 'payload-too-large', message: 'Request body is larger than the 1 MiB limit' });
    case 415:
      return controlError('Request body is not JSON', { type: 'unsupported-media-type', message: 'Request bodies must be JSON (application/json)' });
    case 422:
      return controlError('Invalid input: one entry per failing field', { type: 'input-validation', message: '"enabled" must be a boolean', field: 'enabled' });
    case 429:
      return controlError('Rate limited; retry after the `Retry-After` seconds', {
        type: 'RequestError',
        message: 'Too many requests',
        data: { remainingPoints: 0, msBeforeNext: 57647, consumedPoints: 21 },
      });
  }
}

export interface ControlOperationInput extends Omit<OperationDoc, 'responses' | 'security'> {
  responses: Record<number, TSchema>;
  /** Failures besides 401 and 429, which every control-plane operation can answer. */
  errors?: ControlErrorStatus[];
  notFoundMessage?: string;
}

/** A bearer-authenticated control-plane operation with its error responses filled in. */
export function controlOperation(input: ControlOperationInput): OperationDoc {
  const { errors = [], notFoundMessage = "Destination with id 'fP7qoQw2HTWt9WdMr718gn' not found", ...doc } = input;
  const responses: Record<number, TSchema> = { ...doc.responses };
  for (const status of [...errors, 401, 429] as const) responses[status] = controlErrorResponse(status, notFoundMessage);
  return { ...doc, responses };
}

/** Errors of an operation that takes a JSON body. */
export const BODY_ERRORS: ControlErrorStatus[] = [400, 413, 415, 422];

/** `{"data":{"status":"SUCCESS"}}`, the answer of every delete or remove operation. */
export function deleteResponse(description: string): TSchema {
  return Type.Object({ data: DeleteStatus }, { description, examples: [{ data: { status: 'SUCCESS' } }] });
}

/** The optional `pagination` query parameter of every list operation. */
export const PAGINATION_QUERY: TProperties = { pagination: Type.Optional(PaginationInput) };
