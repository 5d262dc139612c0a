// Bearer-token authentication and the per-token rate limits, applied to every control-plane route.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, forbidden } from '../control/errors.js';
import { FixedWindowLimiter, rateLimitHeaders, type WindowState } from './rate-limit.js';
import type { AuthContext } from './request-context.js';

export interface TokenAuthenticator {
  authenticate(token: string): Promise<AuthContext | undefined>;
}

export interface GuardOptions {
  authenticator: TokenAuthenticator;
  generalLimiter: FixedWindowLimiter;
  /** Per-operation limiters, keyed by the route's `config.operationLimit`. */
  operationLimiters: ReadonlyMap<string, FixedWindowLimiter>;
}

const BEARER = /^bearer\s+(\S+)\s*$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message);
}

function tooManyRequests(reply: FastifyReply, state: WindowState): AppError {
  reply.header('Retry-After', String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))));
  return new AppError('RequestError', 'Too many requests', {
    data: { remainingPoints: 0, msBeforeNext: state.msBeforeNext, consumedPoints: state.consumed },
  });
}

export function registerControlPlaneGuards(app: FastifyInstance, options: GuardOptions): void {
  const { authenticator, generalLimiter, operationLimiters } = options;

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (!header) throw unauthorized('Missing API token');
    const token = BEARER.exec(header)?.[1];
    const auth = token ? await authenticator.authenticate(token) : undefined;
    if (!auth) throw unauthorized('Invalid API token');
    request.auth = auth;
    if (generalLimiter.enabled) {
      const state = generalLimiter.consume(auth.tokenId);
      reply.headers(rateLimitHeaders(state));
      if (state.consumed > state.limit) throw tooManyRequests(reply, state);
    }
    if (auth.role === 'read-only' && !SAFE_METHODS.has(request.method)) {
      throw forbidden('This token is read-only and cannot change resources');
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    const bucket = request.routeOptions.config.operationLimit;
    const limiter = bucket ? operationLimiters.get(bucket) : undefined;
    if (!limiter?.enabled || !request.auth) return;
    const state = limiter.peek(request.auth.tokenId);
    reply.headers(rateLimitHeaders(state));
    if (state.consumed >= state.limit) throw tooManyRequests(reply, state);
  });

  // Only successful writes spend a point of an operation limit, so a client correcting a 422 is not throttled.
  app.addHook('onSend', async (request, reply, payload) => {
    const bucket = request.routeOptions.config.operationLimit;
    const limiter = bucket ? operationLimiters.get(bucket) : undefined;
    if (limiter?.enabled && request.auth && reply.statusCode >= 200 && reply.statusCode < 300) {
      reply.headers(rateLimitHeaders(limiter.consume(request.auth.tokenId)));
    }
    return payload;
  });
}
