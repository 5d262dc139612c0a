// Request bodies the SDKs send (public-api.md §1.3): JSON under the plain and the Segment vendor media types.
// An empty body counts as `{}` (POST /sources/{id}/writekey has none); anything else non-JSON is a 415.
import type { FastifyInstance } from 'fastify';
import { AppError, badRequest } from '../control/errors.js';

const JSON_MEDIA_TYPES = /^application\/(?:json|vnd\.segment\.v1(?:alpha|beta)?\+json)(?:$|\s*;)/i;

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function registerJsonBodies(app: FastifyInstance): void {
  // Without a Content-Type Fastify parses nothing and leaves the body undefined; curl and some SDK calls
  // send no body at all, which means `{}` as well.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && BODY_METHODS.has(request.method)) request.body = {};
  });
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('Malformed JSON in request body'), undefined);
    }
  });
  // Every other type is refused only when it carries bytes: an empty body under any type is still `{}`.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (String(body) === '') return done(null, {});
    done(new AppError('unsupported-media-type', 'Request bodies must be JSON (application/json)'), undefined);
  });
}
