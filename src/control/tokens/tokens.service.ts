// API tokens: opaque secrets stored only as SHA-256 hashes, each bound to one workspace.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database } from '../../storage/schema.js';
import type { AuthContext } from '../../http/request-context.js';
import { AppError } from '../errors.js';
import { newTokenPublicId, newTokenSecret } from '../ids.js';
import * as tokens from './tokens.repository.js';

export type TokenRole = ApiTokenRow['role'];

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedToken {
  id: string;
  token: string;
  workspaceId: string;
  role: TokenRole;
}

export class TokenService {
  constructor(private readonly db: Kysely<Database>) {}

  async authenticate(token: string): Promise<AuthContext | undefined> {
    const row = await tokens.findActiveTokenByHash(this.db, hashToken(token));
    if (!row) return undefined;
    return { workspaceId: row.workspace_id, tokenId: row.id, role: row.role, actor: `public-api-token/${row.id}` };
  }

  /** Mints a token; when `secret` is given (the bootstrap token) that exact string becomes the token. */
  async issue(workspaceId: string, options: { role?: TokenRole; label?: string; secret?: string } = {}): Promise<IssuedToken> {
    const id = newTokenPublicId();
    const token = options.secret ?? newTokenSecret(id);
    const role = options.role ?? 'owner';
    await tokens.insertToken(this.db, {
      id,
      workspace_id: workspaceId,
      token_hash: hashToken(token),
      role,
      label: options.label ?? '',
      created_at: Date.now(),
      revoked_at: null,
    });
    return { id, token, workspaceId, role };
  }

  /** Makes sure `secret` authenticates for the workspace; creating it only when no token has that hash yet. */
  async ensure(workspaceId: string, secret: string): Promise<void> {
    if (await tokens.findTokenByHash(this.db, hashToken(secret))) return;
    await this.issue(workspaceId, { secret, label: 'bootstrap' });
  }

  list(workspaceId?: string) {
    return tokens.listTokens(this.db, workspaceId);
  }

  async revoke(id: string): Promise<void> {
    if (!(await tokens.revokeToken(this.db, id, Date.now()))) {
      throw new AppError('not-found', `Token with id '${id}' not found or already revoked`);
    }
  }
}
