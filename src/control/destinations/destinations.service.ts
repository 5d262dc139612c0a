// Destinations (public-api.md §4.1–4.5): instances of a catalog entry attached to a source.
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../http/request-context.js';
import { bumpConfigVersion } from '../../storage/config-version.js';
import type { Database, DestinationRow } from '../../storage/schema.js';
import { recordAudit, type AuditEntry } from '../audit/audit.service.js';
import { classicEntry } from '../catalog/classic-overlay.js';
import type { CatalogEntry, DestinationCatalog } from '../catalog/destination-catalog.js';
import { badRequest, invalidInput, notFound } from '../errors.js';
import { newResourceId } from '../ids.js';
import { fetchPage, type PageRequest } from '../paging.js';
import { checkRequiredSettings, checkSettingTypes, maskSettings, mergeSettings, optionsByName, type Settings } from '../settings.js';
import type { SourceService } from '../sources/sources.service.js';
import type { CreateDestinationInput, UpdateDestinationInput } from './destinations.schemas.js';
import * as destinations from './destinations.repository.js';
import { inTransaction } from '../../storage/transaction.js';

function withoutKeys(settings: Settings, keys: ReadonlySet<string>): Settings {
  return Object.fromEntries(Object.entries(settings).filter(([key]) => !keys.has(key)));
}

export class DestinationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly catalog: DestinationCatalog,
    private readonly sources: SourceService,
  ) {}

  /** DestinationV1 as JSON text, splicing in the catalog entry's pre-serialised metadata. */
  toJson(row: DestinationRow): string {
    const entry = this.catalog.get(row.metadata_id);
    const options = optionsByName(entry?.metadata.options ?? []);
    const head = JSON.stringify({
      id: row.id,
      name: row.name,
      enabled: row.enabled === 1,
      sourceId: row.source_id,
      settings: maskSettings(JSON.parse(row.settings) as Settings, options),
    });
    return `${head.slice(0, -1)},"metadata":${entry?.json ?? missingMetadataJson(row.metadata_id)}}`;
  }

  displayName(row: Pick<DestinationRow, 'name' | 'metadata_id'>): string {
    return row.name || this.catalog.get(row.metadata_id)?.metadata.name || '';
  }

  private entryOf(row: DestinationRow): CatalogEntry | undefined {
    return this.catalog.get(row.metadata_id);
  }

  async require(workspaceId: string, id: string): Promise<DestinationRow> {
    const row = await destinations.findDestination(this.db, workspaceId, id);
    if (!row) throw notFound('Destination', id);
    return row;
  }

  /** Operator tools address a destination by id alone, across workspaces. */
  async findAnywhere(id: string): Promise<DestinationRow> {
    const row = await this.db.selectFrom('destinations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Destination', id);
    return row;
  }

  private validate(entry: CatalogEntry | undefined, settings: Settings, enabled: boolean): void {
    const options = entry?.metadata.options ?? [];
    const issues = checkSettingTypes(settings, optionsByName(options), entry?.optionChoices);
    // Read-only options are managed server-side, so they are never demanded from the client.
    const writable = options.filter((o) => !entry?.readOnlyOptions.has(o.name));
    if (enabled) issues.push(...checkRequiredSettings(settings, writable).filter((i) => !issues.some((o) => o.field === i.field)));
    if (issues.length > 0) throw invalidInput(issues);
  }

  async create(auth: AuthContext, input: CreateDestinationInput): Promise<string> {
    await this.sources.require(auth.workspaceId, input.sourceId, 'sourceId');
    const entry = this.catalog.get(input.metadataId);
    if (!entry) throw notFound('Destination metadata', input.metadataId, 'metadataId');
    const enabled = input.enabled ?? true;
    const settings = mergeSettings({}, withoutKeys(input.settings, entry.readOnlyOptions));
    this.validate(entry, settings, enabled);
    const row: DestinationRow = {
      id: newResourceId(),
      workspace_id: auth.workspaceId,
      source_id: input.sourceId,
      metadata_id: input.metadataId,
      name: input.name ?? '',
      enabled: enabled ? 1 : 0,
      settings: JSON.stringify(settings),
      created_at: Date.now(),
    };
    await inTransaction(this.db, async (trx) => {
      await destinations.insertDestination(trx, row);
      await recordAudit(trx, auth, [
        { type: 'Integration Created', resourceType: 'destination', resourceId: row.id, resourceName: this.displayName(row) },
      ]);
      await bumpConfigVersion(trx);
    });
    return this.toJson(row);
  }

  async list(scope: destinations.DestinationScope, page: PageRequest) {
    const result = await fetchPage({
      collection: scope.sourceId ? 'source-destinations' : 'destinations',
      parent: scope.sourceId ?? scope.workspaceId,
      request: page,
      keyOf: (row: DestinationRow) => [row.created_at, row.id],
      fetch: (q) => destinations.pageDestinations(this.db, scope, q),
      total: () => destinations.countDestinations(this.db, scope),
    });
    return { json: result.items.map((row) => this.toJson(row)), pagination: result.pagination };
  }

  async update(auth: AuthContext, row: DestinationRow, input: UpdateDestinationInput): Promise<string> {
    const entry = this.entryOf(row);
    const readOnly = entry?.readOnlyOptions ?? new Set<string>();
    let patch = input.settings ?? {};
    const sentReadOnly = Object.keys(patch).filter((key) => readOnly.has(key));
    if (sentReadOnly.length > 0) {
      const onlyReadOnly = sentReadOnly.length === Object.keys(patch).length && input.name === undefined && input.enabled === undefined;
      if (onlyReadOnly) throw badRequest(`Only read-only settings were sent: ${sentReadOnly.join(', ')}`);
      patch = withoutKeys(patch, readOnly);
    }
    const stored = JSON.parse(row.settings) as Settings;
    const merged = mergeSettings(stored, patch);
    const enabled = input.enabled ?? row.enabled === 1;
    const name = input.name === null ? '' : (input.name ?? row.name);
    const typeIssues = checkSettingTypes(patch, optionsByName(entry?.metadata.options ?? []), entry?.optionChoices);
    if (typeIssues.length > 0) throw invalidInput(typeIssues);
    this.validate(entry, merged, enabled);

    const changes: Partial<DestinationRow> = {};
    if (name !== row.name) changes.name = name;
    if ((enabled ? 1 : 0) !== row.enabled) changes.enabled = enabled ? 1 : 0;
    const settingsText = JSON.stringify(merged);
    if (settingsText !== row.settings) changes.settings = settingsText;
    const next: DestinationRow = { ...row, ...changes };
    const audit: AuditEntry[] = [];
    const entryOf = (type: AuditEntry['type']): AuditEntry => ({
      type,
      resourceType: 'destination',
      resourceId: row.id,
      resourceName: this.displayName(next),
    });
    if (changes.enabled !== undefined) audit.push(entryOf(changes.enabled ? 'Integration Enabled' : 'Integration Disabled'));
    if (changes.name !== undefined || changes.settings !== undefined) audit.push(entryOf('Integration Modified'));
    if (audit.length > 0) {
      await inTransaction(this.db, async (trx) => {
        await destinations.updateDestination(trx, row.id, changes);
        await recordAudit(trx, auth, audit);
        await bumpConfigVersion(trx);
      });
    }
    return this.toJson(next);
  }

  async delete(auth: AuthContext, row: DestinationRow): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await destinations.deleteDestination(trx, row.id);
      await recordAudit(trx, auth, [
        { type: 'Integration Deleted', resourceType: 'destination', resourceId: row.id, resourceName: this.displayName(row) },
      ]);
      await bumpConfigVersion(trx);
    });
  }
}

// A stored destination whose catalog entry vanished (catalog upgraded): still serve a valid metadata object.
function missingMetadataJson(id: string): string {
  const { metadata } = classicEntry({ id, name: '', slug: '', description: '', website: '', categories: [], options: [] });
  return JSON.stringify({ ...metadata, status: 'UNAVAILABLE', previousNames: [] });
}
