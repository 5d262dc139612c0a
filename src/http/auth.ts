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

  // A point of an operation limit is reserved before the handler runs, so concurrent writes cannot overrun the
  // limit, and given back unless the answer is a 2xx: a client correcting a 422 is not throttled by its failures.
  const reservations = new WeakMap<object, { limiter: FixedWindowLimiter; resetAt: number }>();

  app.addHook('preHandler', async (request, reply) => {
    const bucket = request.routeOptions.config.operationLimit;
    const limiter = bucket ? operationLimiters.get(bucket) : undefined;
    if (!limiter?.enabled || !request.auth) return;
    const state = limiter.consume(request.auth.tokenId);
    if (state.consumed > state.limit) {
      limiter.refund(request.auth.tokenId, state.resetAt);
      const current = limiter.peek(request.auth.tokenId);
      reply.headers(rateLimitHeaders(current));
      throw tooManyRequests(reply, current);
    }
    reservations.set(request, { limiter, resetAt: state.resetAt });
    reply.headers(rateLimitHeaders(state));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const reservation = reservations.get(request);
    if (reservation && request.auth && (reply.statusCode < 200 || reply.statusCode >= 300)) {
      reservations.delete(request);
      reservation.limiter.refund(request.auth.tokenId, reservation.resetAt);
      reply.headers(rateLimitHeaders(reservation.limiter.peek(request.auth.tokenId)));
    }
    return payload;
  });
}
