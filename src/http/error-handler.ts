// The one place errors become the API's error envelope. 5xx details stay in the logs.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../control/errors.js';
import { issuesFromValidation } from './validation.js';

const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload-too-large', 'Request body is larger than the 1 MiB limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'Request bodies must be JSON (application/json)'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad-request', 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['bad-request', 'Request body is empty'],
  FST_ERR_BAD_URL: ['bad-request', 'Malformed URL'],
  // No resource has an id longer than the router accepts, so an over-long id is simply not found.
  FST_ERR_MAX_PARAM_LENGTH: ['not-found', 'Resource not found'],
  FST_ERR_ASYNC_CONSTRAINT: ['bad-request', 'Malformed request'],
};

// PostgreSQL cannot hold U+0000 in text (SQLite can), so such input fails in the driver: it is the client's.
const POSTGRES_UNREPRESENTABLE_TEXT = new Set(['22021', '22P05']);

export function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.code && POSTGRES_UNREPRESENTABLE_TEXT.has(fastifyError.code) && !('statusCode' in fastifyError)) {
    return new AppError('bad-request', 'Text values must not contain the NUL character (\\u0000)');
  }
  if (fastifyError.validation) {
    return new AppError('input-validation', 'Invalid input', {
      issues: issuesFromValidation(fastifyError.validation, fastifyError.validationContext),
    });
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new AppError(known[0], known[1]);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === status) ?? 'bad-request';
    return new AppError(code, fastifyError.message || 'Bad request');
  }
  return new AppError('internal-error', 'Internal server error');
}

export function envelopeOf(error: AppError) {
  return {
    errors: error.issues.map((issue) => ({
      type: error.code,
      message: issue.message,
      ...(issue.field !== undefined ? { field: issue.field } : {}),
      ...(error.data ? { data: error.data } : {}),
    })),
  };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (appError.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    return reply.code(appError.status).type('application/json; charset=utf-8').send(envelopeOf(appError));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('not-found', `Route ${request.method} ${request.url.split('?')[0]} not found`);
    return reply.code(404).type('application/json; charset=utf-8').send(envelopeOf(error));
  });
}

/** Fastify's own pre-routing failures (malformed percent-encoding, over-long ids) in the same envelope. */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  void reply.code(appError.status).type('application/json; charset=utf-8').send(envelopeOf(appError));
}
