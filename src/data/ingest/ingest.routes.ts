// The Tracking API listener (data-plane.md §1–§5): JSON whatever the Content-Type, optional gzip, CORS for
// browsers, and errors in the shape the Segment libraries read (`code` + `message` at top level).
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestService } from './ingest.service.js';
import { ingestError } from './ingest.service.js';
import { INGEST_ROUTES } from './paths.js';
import { ingestOperationDoc } from './ingest.docs.js';

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '86400',
};

class IngestHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function decodeBody(request: FastifyRequest, raw: Buffer, maxBytes: number): unknown {
  let bytes = raw;
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'gzip') {
    try {
      // Stops inflating once past the limit, so a small bomb cannot balloon in memory.
      bytes = gunzipSync(raw, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
      throw new IngestHttpError(400, 'bad-request', 'The gzip body could not be decompressed');
    }
  } else if (encoding !== 'identity') {
    throw new IngestHttpError(400, 'bad-request', `Unsupported Content-Encoding "${encoding}"`);
  }
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  if (bytes.length === 0) throw new IngestHttpError(400, 'bad-request', 'The request body is empty');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new IngestHttpError(400, 'bad-request', 'The request body is not valid JSON');
  }
}

function tooLarge(maxBytes: number): IngestHttpError {
  return new IngestHttpError(400, 'payload-too-large', `The request body exceeds ${maxBytes} bytes`);
}

function send(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).headers(CORS_HEADERS).type('application/json; charset=utf-8').send(body);
}

export function ingestRoutes(ingest: IngestService) {
  return async function trackingApi(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
      if (error instanceof IngestHttpError) return send(reply, error.status, ingestError(error.status, error.code, error.message).body);
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 400, ingestError(400, 'payload-too-large', 'The request body is too large').body);
      if (error.statusCode && error.statusCode < 500) return send(reply, 400, ingestError(400, 'bad-request', error.message).body);
      request.log.error({ err: error }, 'ingest request failed');
      return send(reply, 503, ingestError(503, 'unavailable', 'Events could not be accepted; retry later').body);
    });

    for (const [path, route] of Object.entries(INGEST_ROUTES)) {
      // Compressed bodies are smaller than their limit; the decompressed size is checked in decodeBody.
      app.post(path, { bodyLimit: route.maxBytes, config: { openapi: ingestOperationDoc(path, route) } }, async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const body = decodeBody(request, raw, route.maxBytes);
        const result = await ingest.ingest({
          target: route.target,
          authorization: request.headers.authorization,
          body,
          clientIp: request.ip,
        });
        return send(reply, result.status, result.body);
      });
      app.options(path, async (_request, reply) => reply.code(204).headers(CORS_HEADERS).send());
    }
    // Unknown Tracking API paths answer in the Tracking API's error shape, which the libraries read.
    app.all('/v1/*', async (request, reply) =>
      send(reply, 404, ingestError(404, 'not-found', `${request.method} ${request.url.split('?', 1)[0]} is not a Tracking API endpoint`).body),
    );
  };
}
