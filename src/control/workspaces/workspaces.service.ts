import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from '../../storage/schema.js';
import { notFound } from '../errors.js';
import { newResourceId } from '../ids.js';
import type { IssuedToken, TokenService } from '../tokens/tokens.service.js';
import * as workspaces from './workspaces.repository.js';

export interface Workspace {
  id: string;
  name: string;
  slug: string;
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return { id: row.id, name: row.name, slug: row.slug };
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100) || 'workspace';
}

export class WorkspaceService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tokens: TokenService,
  ) {}

  async get(id: string): Promise<WorkspaceRow> {
    const row = await workspaces.findWorkspace(this.db, id);
    if (!row) throw notFound('Workspace', id);
    return row;
  }

  list() {
    return workspaces.listWorkspaces(this.db);
  }

  async create(name: string): Promise<{ workspace: Workspace; token: IssuedToken }> {
    const row: WorkspaceRow = { id: newResourceId(), name, slug: slugify(name), subscriptions_enabled: 1, created_at: Date.now() };
    await workspaces.insertWorkspace(this.db, row);
    const token = await this.tokens.issue(row.id, { label: 'workspace owner' });
    return { workspace: toWorkspace(row), token };
  }

  async setSubscriptionsEnabled(id: string, enabled: boolean): Promise<void> {
    if (!(await workspaces.setSubscriptionsEnabled(this.db, id, enabled))) throw notFound('Workspace', id);
  }

  /**
   * First start: an empty database gets a workspace and an owner token (returned so it can be printed once).
   * A configured bootstrap token is made to exist for the first workspace on every start.
   */
  async bootstrap(bootstrapToken: string | undefined): Promise<IssuedToken | undefined> {
    let first = await workspaces.findFirstWorkspace(this.db);
    let printable: IssuedToken | undefined;
    if (!first) {
      const row: WorkspaceRow = {
        id: newResourceId(),
        name: 'My Workspace',
        slug: 'my-workspace',
        subscriptions_enabled: 1,
        created_at: Date.now(),
      };
      await workspaces.insertWorkspace(this.db, row);
      first = row;
      if (!bootstrapToken) printable = await this.tokens.issue(row.id, { label: 'workspace owner' });
    }
    if (bootstrapToken) await this.tokens.ensure(first.id, bootstrapToken);
    return printable;
  }
}
