// What authentication attaches to every control-plane request.
export interface AuthContext {
  workspaceId: string;
  tokenId: string;
  role: 'owner' | 'read-only';
  /** Audit actor string, `public-api-token/<token public id>`. */
  actor: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
  interface FastifyContextConfig {
    /** Extra per-operation limit bucket (subscription writes), consumed only by 2xx answers. */
    operationLimit?: string;
  }
}

/** The authenticated caller; control-plane routes only run after the auth hook has set it. */
export function authOf(request: { auth?: AuthContext }): AuthContext {
  if (!request.auth) throw new Error('control-plane route reached without authentication');
  return request.auth;
}
