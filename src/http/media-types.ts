// Request bodies the SDKs send (public-api.md §1.3): JSON under the plain and the Segment vendor media types.
// An empty body counts as `{}` (POST /sources/{id}/writekey has none); anything else non-JSON is a 415.
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../control/errors.js';

const JSON_MEDIA_TYPES = /^application\/(?:json|vnd\.segment\.v1(?:alpha|beta)?\+json)(?:$|\s*;)/i;

export function registerJsonBodies(app: FastifyInstance): void {
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
}
