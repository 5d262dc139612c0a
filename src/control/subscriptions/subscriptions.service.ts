// Destination subscriptions (public-api.md §4.6–4.10): one catalog action, an FQL trigger and a mapping.
import type { Kysely } from 'kysely';
import { checkMapping } from '../../actions/mapping.js';
import { checkTrigger } from '../../actions/trigger.js';
import type { AuthContext } from '../../http/request-context.js';
import { bumpConfigVersion } from '../../storage/config-version.js';
import type { Database, DestinationRow, SubscriptionRow } from '../../storage/schema.js';
import { recordAudit, type AuditEntry } from '../audit/audit.service.js';
import type { DestinationAction } from '../catalog/catalog.types.js';
import type { DestinationCatalog } from '../catalog/destination-catalog.js';
import type { DestinationService } from '../destinations/destinations.service.js';
import { forbidden, invalidField, invalidInput, notFound, type FieldIssue } from '../errors.js';
import { newResourceId } from '../ids.js';
import { fetchPage, type PageRequest } from '../paging.js';
import type { CreateSubscriptionInput, UpdateSubscriptionInput } from './subscriptions.schemas.js';
import * as subscriptions from './subscriptions.repository.js';

export function toWireSubscription(row: SubscriptionRow) {
  return {
    id: row.id,
    name: row.name,
    actionId: row.action_id,
    actionSlug: row.action_slug,
    destinationId: row.destination_id,
    trigger: row.trigger,
    enabled: row.enabled === 1,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    ...(row.model_id !== null ? { modelId: row.model_id } : {}),
  };
}

/** Trigger and mapping checks; `prefix` is `input.` on update, where the fields sit under `input`. */
function checkContent(action: DestinationAction, values: { trigger?: string; settings?: unknown; enabled: boolean }, prefix = '') {
  const issues: FieldIssue[] = [];
  if (values.trigger !== undefined) {
    const trigger = checkTrigger(values.trigger, `${prefix}trigger`);
    if (!trigger.ok) issues.push({ field: `${prefix}trigger`, message: trigger.reason });
  }
  if (values.settings !== undefined) {
    for (const issue of checkMapping(action.fields, values.settings, { enabled: values.enabled })) {
      const field = `${prefix}${issue.field}`;
      issues.push({ field, message: prefix ? issue.message.replace(`"${issue.field}"`, `"${field}"`) : issue.message });
    }
  }
  if (issues.length > 0) throw invalidInput(issues);
}

export class SubscriptionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly catalog: DestinationCatalog,
    private readonly destinations: DestinationService,
  ) {}

  /** Workspace feature flag "destination subscriptions" (on unless an operator turned it off). */
  async assertFeatureEnabled(workspaceId: string): Promise<void> {
    const row = await this.db.selectFrom('workspaces').select('subscriptions_enabled').where('id', '=', workspaceId).executeTakeFirst();
    if (row?.subscriptions_enabled !== 1) {
      throw forbidden('Destination subscriptions are disabled for this workspace; an operator can enable them');
    }
  }

  async requireDestination(workspaceId: string, destinationId: string): Promise<DestinationRow> {
    await this.assertFeatureEnabled(workspaceId);
    return this.destinations.require(workspaceId, destinationId);
  }

  async require(destination: DestinationRow, id: string): Promise<SubscriptionRow> {
    const row = await subscriptions.findSubscription(this.db, destination.id, id);
    if (!row) throw notFound('Subscription', id);
    return row;
  }

  private actionOf(destination: DestinationRow, actionId: string): DestinationAction | undefined {
    return this.catalog.get(destination.metadata_id)?.actionsById.get(actionId);
  }

  async create(auth: AuthContext, destination: DestinationRow, input: CreateSubscriptionInput) {
    const action = this.actionOf(destination, input.actionId);
    if (!action) {
      throw invalidField('actionId', `"actionId" ${input.actionId} is not an action of this destination's catalog entry`);
    }
    const settings = input.settings ?? {};
    checkContent(action, { trigger: input.trigger, settings, enabled: input.enabled });
    const row: SubscriptionRow = {
      id: newResourceId(),
      workspace_id: auth.workspaceId,
      destination_id: destination.id,
      name: input.name,
      action_id: action.id,
      action_slug: action.slug,
      trigger: input.trigger,
      enabled: input.enabled ? 1 : 0,
      settings: JSON.stringify(settings),
      model_id: input.modelId ?? null,
      created_at: Date.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await subscriptions.insertSubscription(trx, row);
      await recordAudit(trx, auth, [
        { type: 'Destination Subscription Created', resourceType: 'subscription', resourceId: row.id, resourceName: row.name },
      ]);
      await bumpConfigVersion(trx);
    });
    return toWireSubscription(row);
  }

  async list(destination: DestinationRow, page: PageRequest) {
    const result = await fetchPage({
      collection: 'subscriptions',
      parent: destination.id,
      request: page,
      keyOf: (row: SubscriptionRow) => [row.created_at, row.id],
      fetch: (q) => subscriptions.pageSubscriptions(this.db, destination.id, q),
      total: () => subscriptions.countSubscriptions(this.db, destination.id),
    });
    return { subscriptions: result.items.map(toWireSubscription), pagination: result.pagination };
  }

  async update(auth: AuthContext, destination: DestinationRow, row: SubscriptionRow, input: UpdateSubscriptionInput) {
    const enabled = input.enabled ?? row.enabled === 1;
    const action = this.actionOf(destination, row.action_id);
    // Enabling checks the stored mapping too: required fields must be there before events flow.
    const settings = input.settings ?? (input.enabled === true ? (JSON.parse(row.settings) as unknown) : undefined);
    if (action) checkContent(action, { trigger: input.trigger, settings, enabled }, 'input.');
    const changes: Partial<SubscriptionRow> = {};
    if (input.name !== undefined && input.name !== row.name) changes.name = input.name;
    if (input.trigger !== undefined && input.trigger !== row.trigger) changes.trigger = input.trigger;
    if ((enabled ? 1 : 0) !== row.enabled) changes.enabled = enabled ? 1 : 0;
    // A mapping is replaced whole, never merged (§4.9).
    if (input.settings !== undefined && JSON.stringify(input.settings) !== row.settings) changes.settings = JSON.stringify(input.settings);
    const next: SubscriptionRow = { ...row, ...changes };
    if (Object.keys(changes).length > 0) {
      const entry: AuditEntry = { type: 'Destination Subscription Modified', resourceType: 'subscription', resourceId: row.id, resourceName: next.name };
      await this.db.transaction().execute(async (trx) => {
        await subscriptions.updateSubscription(trx, row.id, changes);
        await recordAudit(trx, auth, [entry]);
        await bumpConfigVersion(trx);
      });
    }
    return toWireSubscription(next);
  }

  async remove(auth: AuthContext, row: SubscriptionRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await subscriptions.deleteSubscription(trx, row.id);
      await recordAudit(trx, auth, [
        { type: 'Destination Subscription Deleted', resourceType: 'subscription', resourceId: row.id, resourceName: row.name },
      ]);
      await bumpConfigVersion(trx);
    });
  }

  /** Creates the catalog entry's preset subscriptions (enabled), skipping presets already present by name. */
  async applyPresets(auth: AuthContext, destination: DestinationRow) {
    const entry = this.catalog.get(destination.metadata_id);
    if (!entry) throw notFound('Destination metadata', destination.metadata_id);
    const existing = await this.db
      .selectFrom('destination_subscriptions')
      .select(['name', 'action_id'])
      .where('destination_id', '=', destination.id)
      .execute();
    const created = [];
    for (const preset of entry.metadata.presets) {
      if (existing.some((s) => s.name === preset.name && s.action_id === preset.actionId)) continue;
      created.push(
        await this.create(auth, destination, { name: preset.name, actionId: preset.actionId, trigger: preset.trigger, enabled: true, settings: preset.fields }),
      );
    }
    return created;
  }
}
