// Sources (public-api.md §6.2): the write-key holders events arrive through.
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../http/request-context.js';
import { bumpConfigVersion } from '../../storage/config-version.js';
import type { Database, SourceRow } from '../../storage/schema.js';
import { recordAudit, type AuditEntry } from '../audit/audit.service.js';
import type { DestinationCatalog } from '../catalog/destination-catalog.js';
import { findSourceMetadata } from '../catalog/source-catalog.js';
import { invalidField, notFound } from '../errors.js';
import { newResourceId, newWriteKey } from '../ids.js';
import { fetchPage, type PageRequest } from '../paging.js';
import { maskSettings, mergeSettings } from '../settings.js';
import type { CreateSourceInput, UpdateSourceInput } from './sources.schemas.js';
import * as sources from './sources.repository.js';
import { inTransaction } from '../../storage/transaction.js';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) {
    throw invalidField('slug', '"slug" must be 1-100 lowercase letters, digits, "-" or "_", starting with a letter or digit');
  }
}

export class SourceService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly catalog: DestinationCatalog,
  ) {}

  toWire(row: SourceRow, writeKeys: string[]) {
    const metadata = findSourceMetadata(row.metadata_id);
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      workspaceId: row.workspace_id,
      enabled: row.enabled === 1,
      writeKeys,
      settings: maskSettings(JSON.parse(row.settings) as Record<string, unknown>),
      labels: [] as { key: string; value: string }[],
      metadata: metadata ?? { id: row.metadata_id, slug: '', name: '', description: '', categories: [], logos: { default: '' }, options: [], isCloudEventSource: false },
    };
  }

  private async wire(row: SourceRow, db: Kysely<Database> = this.db) {
    const keys = await sources.writeKeysOf(db, [row.id]);
    return this.toWire(row, keys.get(row.id) ?? []);
  }

  async require(workspaceId: string, id: string, field?: string): Promise<SourceRow> {
    const row = await sources.findSource(this.db, workspaceId, id);
    if (!row) throw notFound('Source', id, field);
    return row;
  }

  async create(auth: AuthContext, input: CreateSourceInput) {
    checkSlug(input.slug);
    if (!findSourceMetadata(input.metadataId)) throw notFound('Source metadata', input.metadataId, 'metadataId');
    const row: SourceRow = {
      id: newResourceId(),
      workspace_id: auth.workspaceId,
      slug: input.slug,
      name: input.name || input.slug,
      enabled: input.enabled ? 1 : 0,
      metadata_id: input.metadataId,
      settings: JSON.stringify(mergeSettings({}, input.settings ?? {})),
      created_at: Date.now(),
    };
    return inTransaction(this.db, async (trx) => {
      if (await sources.findSourceBySlug(trx, auth.workspaceId, input.slug)) {
        throw invalidField('slug', `"slug" ${input.slug} is already used by another source in this workspace`);
      }
      await sources.insertSource(trx, row);
      await sources.insertWriteKey(trx, row.id, auth.workspaceId, newWriteKey());
      await recordAudit(trx, auth, [{ type: 'Source Created', resourceType: 'source', resourceId: row.id, resourceName: row.name }]);
      await bumpConfigVersion(trx);
      return this.wire(row, trx);
    });
  }

  async get(workspaceId: string, id: string) {
    return this.wire(await this.require(workspaceId, id));
  }

  async list(workspaceId: string, page: PageRequest) {
    const result = await fetchPage({
      collection: 'sources',
      parent: workspaceId,
      request: page,
      keyOf: (row: SourceRow) => [row.created_at, row.id],
      fetch: (q) => sources.pageSources(this.db, workspaceId, q),
      total: () => sources.countSources(this.db, workspaceId),
    });
    const keys = await sources.writeKeysOf(this.db, result.items.map((r) => r.id));
    return { sources: result.items.map((r) => this.toWire(r, keys.get(r.id) ?? [])), pagination: result.pagination };
  }

  async update(auth: AuthContext, row: SourceRow, input: UpdateSourceInput) {
    if (input.slug !== undefined) checkSlug(input.slug);
    const changes: Partial<SourceRow> = {};
    const audit: AuditEntry[] = [];
    // A reset name follows the slug the source ends up with, so a rename in the same request wins.
    const name = input.name === null ? (input.slug ?? row.slug) : input.name;
    if (name !== undefined && name !== row.name) changes.name = name;
    if (input.slug !== undefined && input.slug !== row.slug) changes.slug = input.slug;
    if (input.enabled !== undefined && (input.enabled ? 1 : 0) !== row.enabled) changes.enabled = input.enabled ? 1 : 0;
    if (input.settings !== undefined) {
      const merged = JSON.stringify(mergeSettings(JSON.parse(row.settings) as Record<string, unknown>, input.settings));
      if (merged !== row.settings) changes.settings = merged;
    }
    const next: SourceRow = { ...row, ...changes };
    const entry = (type: AuditEntry['type']): AuditEntry => ({ type, resourceType: 'source', resourceId: row.id, resourceName: next.name });
    if (changes.enabled !== undefined) audit.push(entry(changes.enabled ? 'Source Enabled' : 'Source Disabled'));
    if (changes.name !== undefined || changes.slug !== undefined) audit.push(entry('Source Modified'));
    if (changes.settings !== undefined) audit.push(entry('Source Settings Modified'));
    return inTransaction(this.db, async (trx) => {
      if (changes.slug && (await sources.findSourceBySlug(trx, auth.workspaceId, changes.slug))) {
        throw invalidField('slug', `"slug" ${changes.slug} is already used by another source in this workspace`);
      }
      if (audit.length > 0) {
        await sources.updateSource(trx, row.id, changes);
        await recordAudit(trx, auth, audit);
        await bumpConfigVersion(trx);
      }
      return this.wire(next, trx);
    });
  }

  /** Deleting a source deletes its destinations (each audited), their subscriptions and its write keys. */
  async delete(auth: AuthContext, row: SourceRow): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const destinations = await trx
        .selectFrom('destinations')
        .select(['id', 'name', 'metadata_id'])
        .where('source_id', '=', row.id)
        .execute();
      const audit: AuditEntry[] = destinations.map((d) => ({
        type: 'Integration Deleted',
        resourceType: 'destination',
        resourceId: d.id,
        resourceName: d.name || this.catalog.get(d.metadata_id)?.metadata.name || '',
      }));
      audit.push({ type: 'Source Deleted', resourceType: 'source', resourceId: row.id, resourceName: row.name });
      await sources.deleteSource(trx, row.id);
      await recordAudit(trx, auth, audit);
      await bumpConfigVersion(trx);
    });
  }

  async createWriteKey(auth: AuthContext, row: SourceRow) {
    return inTransaction(this.db, async (trx) => {
      await sources.insertWriteKey(trx, row.id, auth.workspaceId, newWriteKey());
      await recordAudit(trx, auth, [{ type: 'Source Modified', resourceType: 'source', resourceId: row.id, resourceName: row.name }]);
      await bumpConfigVersion(trx);
      return this.wire(row, trx);
    });
  }

  async removeWriteKey(auth: AuthContext, row: SourceRow, writeKey: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      if (!(await sources.deleteWriteKey(trx, row.id, writeKey))) throw notFound('Write key', writeKey);
      await recordAudit(trx, auth, [{ type: 'Source Modified', resourceType: 'source', resourceId: row.id, resourceName: row.name }]);
      await bumpConfigVersion(trx);
    });
  }
}
