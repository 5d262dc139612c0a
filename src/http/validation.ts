// Request schemas are validated strictly (no type coercion, every failing field reported) and the failures are
// raised only after the handler has looked up the path's resource, so a 404 wins over a 422 (§1.5 order).
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { AppError, type FieldIssue } from '../control/errors.js';

export const AJV_OPTIONS = {
  coerceTypes: false,
  allErrors: true,
  removeAdditional: false,
  useDefaults: false,
} as const;

const ARTICLE_TYPES: Record<string, string> = {
  boolean: 'a boolean',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  integer: 'an integer',
  number: 'a number',
  null: 'null',
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => ARTICLE_TYPES[String(t)] ?? String(t)).join(' or ');
}

function pathOf(instancePath: string, context: string | undefined): string {
  const dotted = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  return dotted || (context === 'body' ? 'body' : '');
}

// A union (`string | null`) fails once per branch plus once for `anyOf`; report it as one issue naming every
// accepted type instead of three contradictory ones.
function collapseUnions(errors: FastifySchemaValidationError[]): FastifySchemaValidationError[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  if (unionPaths.size === 0) return errors;
  const inUnion = (path: string) => [...unionPaths].some((u) => path === u || path.startsWith(`${u}/`));
  const out: FastifySchemaValidationError[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf') {
      const types = errors
        .filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath)
        .flatMap((e) => (e.params as { type: unknown }).type);
      out.push(types.length > 0 ? { ...error, keyword: 'type', params: { type: types } } : error);
    } else if (!inUnion(error.instancePath)) {
      out.push(error);
    }
  }
  return out;
}

export function issuesFromValidation(errors: FastifySchemaValidationError[], context?: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const error of collapseUnions(errors)) {
    const params = error.params as Record<string, unknown>;
    let field = pathOf(error.instancePath, context);
    let message: string;
    switch (error.keyword) {
      case 'required':
        field = [field === 'body' ? '' : field, String(params.missingProperty)].filter(Boolean).join('.');
        message = `"${field}" is required`;
        break;
      case 'type':
        message = field === 'body' ? 'Request body must be a JSON object' : `"${field}" must be ${describeType(params.type)}`;
        break;
      case 'minLength':
        message = `"${field}" must not be empty`;
        break;
      case 'maxLength':
        message = `"${field}" must be at most ${String(params.limit)} characters`;
        break;
      case 'enum':
        message = `"${field}" must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'pattern':
        message = `"${field}" has an invalid format`;
        break;
      default:
        message = `"${field}" ${error.message ?? 'is invalid'}`;
    }
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(field === 'body' ? { message } : { field, message });
  }
  return issues;
}

/** Throws the 422 for a schema failure that Fastify attached to the request (routes use attachValidation). */
export function assertValidRequest(request: FastifyRequest): void {
  const error = request.validationError as (Error & { validation?: FastifySchemaValidationError[]; validationContext?: string }) | undefined;
  if (!error?.validation) return;
  throw new AppError('input-validation', 'Invalid input', {
    issues: issuesFromValidation(error.validation, error.validationContext),
  });
}
