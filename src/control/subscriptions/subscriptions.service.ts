// Destination subscriptions (public-api.md §4.6–4.10): one catalog action, an FQL trigger and a mapping.
import type { Kysely } from 'kysely';
import { checkMapping } from '../../actions/mapping.js';
import { checkTrigger } from '../../actions/trigger.js';
import type { AuthContext } from '../../http/request-context.js';
import { bumpConfigVersion } from '../../storage/config-version.js';
import type { Database, DestinationRow, SubscriptionRow } from '../../storage/schema.js';
import { recordAudit, type AuditEntry } from '../audit/audit.service.js';
import type { DestinationAction } from '../catalog/catalog.types.js';
import type { CatalogEntry, DestinationCatalog } from '../catalog/destination-catalog.js';
import type { DestinationService } from '../destinations/destinations.service.js';
import { forbidden, invalidInput, notFound, type FieldIssue } from '../errors.js';
import { newResourceId } from '../ids.js';
import { fetchPage, type PageRequest } from '../paging.js';
import { planPreset } from './subscription-presets.js';
import type { CreateSubscriptionInput, UpdateSubscriptionInput } from './subscriptions.schemas.js';
import * as subscriptions from './subscriptions.repository.js';
import { inTransaction } from '../../storage/transaction.js';

/** DestinationSubscription on the wire (public-api.md §2); `modelId` only when one was given. */
export interface WireSubscription {
  id: string;
  name: string;
  actionId: string;
  actionSlug: string;
  destinationId: string;
  trigger: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  modelId?: string;
}

/** What applying a catalog entry's presets did, preset by preset (see subscription-presets.ts). */
export interface AppliedPresets {
  created: WireSubscription[];
  /** Created disabled because required fields are left empty; `reasons` names them. */
  createdDisabled: { subscription: WireSubscription; reasons: string[] }[];
  skipped: { name: string; reasons: string[] }[];
  /** Names of presets already present on the destination (same name and action), left untouched. */
  existing: string[];
}

export function toWireSubscription(row: SubscriptionRow): WireSubscription {
  const wire: WireSubscription = {
    id: row.id,
    name: row.name,
    actionId: row.action_id,
    actionSlug: row.action_slug,
    destinationId: row.destination_id,
    trigger: row.trigger,
    enabled: row.enabled === 1,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
  };
  if (row.model_id !== null) wire.modelId = row.model_id;
  return wire;
}

function unknownActionMessage(actionId: string, entry: CatalogEntry | undefined): string {
  if (!entry) return `"actionId" ${actionId} cannot be used: this destination's catalog entry is no longer available`;
  const { name, id, actions } = entry.metadata;
  if (actions.length === 0) {
    return `"actionId" ${actionId} cannot be used: ${name} is a classic destination with no actions, so it cannot take subscriptions`;
  }
  return `"actionId" ${actionId} is not an action of ${name}: pick one of the action ids listed by GET /catalog/destinations/${id}`;
}

/** Trigger and mapping issues; `prefix` is `input.` on update, where the fields sit under `input`. */
function contentIssues(action: DestinationAction | undefined, values: { trigger?: string; settings?: unknown; enabled: boolean }, prefix = '') {
  const issues: FieldIssue[] = [];
  if (values.trigger !== undefined) {
    const trigger = checkTrigger(values.trigger, `${prefix}trigger`);
    if (!trigger.ok) issues.push({ field: `${prefix}trigger`, message: trigger.reason });
  }
  if (action && values.settings !== undefined) {
    for (const issue of checkMapping(action.fields, values.settings, { enabled: values.enabled })) {
      const field = `${prefix}${issue.field}`;
      issues.push({ field, message: prefix ? issue.message.replace(`"${issue.field}"`, `"${field}"`) : issue.message });
    }
  }
  return issues;
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
      throw forbidden(
        `Destination subscriptions are turned off for this workspace; an operator can turn them on with \`switchyard workspaces subscriptions ${workspaceId} on\``,
      );
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
    const entry = this.catalog.get(destination.metadata_id);
    const action = entry?.actionsById.get(input.actionId);
    const settings = input.settings ?? {};
    // The mapping can only be checked against a known action; a bad trigger is reported alongside a bad actionId.
    const issues = contentIssues(action, { trigger: input.trigger, settings, enabled: input.enabled });
    if (!action) issues.push({ field: 'actionId', message: unknownActionMessage(input.actionId, entry) });
    if (issues.length > 0 || !action) throw invalidInput(issues);
    return this.insert(auth, destination, action, { ...input, settings });
  }

  /** Stores an already checked subscription with its audit event. */
  private async insert(auth: AuthContext, destination: DestinationRow, action: DestinationAction, input: CreateSubscriptionInput) {
    const row: SubscriptionRow = {
      id: newResourceId(),
      workspace_id: destination.workspace_id,
      destination_id: destination.id,
      name: input.name,
      action_id: action.id,
      action_slug: action.slug,
      trigger: input.trigger,
      enabled: input.enabled ? 1 : 0,
      settings: JSON.stringify(input.settings ?? {}),
      model_id: input.modelId ?? null,
      created_at: Date.now(),
    };
    await inTransaction(this.db, async (trx) => {
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
    // An action gone from an upgraded catalog leaves nothing to check the mapping against; the trigger still is.
    const issues = contentIssues(action, { trigger: input.trigger, settings, enabled }, 'input.');
    if (issues.length > 0) throw invalidInput(issues);
    const changes: Partial<SubscriptionRow> = {};
    if (input.name !== undefined && input.name !== row.name) changes.name = input.name;
    if (input.trigger !== undefined && input.trigger !== row.trigger) changes.trigger = input.trigger;
    if ((enabled ? 1 : 0) !== row.enabled) changes.enabled = enabled ? 1 : 0;
    // A mapping is replaced whole, never merged (§4.9).
    if (input.settings !== undefined && JSON.stringify(input.settings) !== row.settings) changes.settings = JSON.stringify(input.settings);
    const next: SubscriptionRow = { ...row, ...changes };
    if (Object.keys(changes).length > 0) {
      const entry: AuditEntry = { type: 'Destination Subscription Modified', resourceType: 'subscription', resourceId: row.id, resourceName: next.name };
      await inTransaction(this.db, async (trx) => {
        await subscriptions.updateSubscription(trx, row.id, changes);
        await recordAudit(trx, auth, [entry]);
        await bumpConfigVersion(trx);
      });
    }
    return toWireSubscription(next);
  }

  async remove(auth: AuthContext, row: SubscriptionRow): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await subscriptions.deleteSubscription(trx, row.id);
      await recordAudit(trx, auth, [
        { type: 'Destination Subscription Deleted', resourceType: 'subscription', resourceId: row.id, resourceName: row.name },
      ]);
      await bumpConfigVersion(trx);
    });
  }

  /**
   * Creates the catalog entry's preset subscriptions. Each preset stands alone: one that fails its checks is
   * skipped (or created disabled when it only lacks required fields) and the others still apply.
   * A preset already present on the destination (same name and action) is left as it is, so reruns are safe.
   */
  async applyPresets(auth: AuthContext, destination: DestinationRow): Promise<AppliedPresets> {
    await this.assertFeatureEnabled(destination.workspace_id);
    const entry = this.catalog.get(destination.metadata_id);
    if (!entry) throw notFound('Destination metadata', destination.metadata_id);
    const present = await this.db
      .selectFrom('destination_subscriptions')
      .select(['name', 'action_id'])
      .where('destination_id', '=', destination.id)
      .execute();
    const result: AppliedPresets = { created: [], createdDisabled: [], skipped: [], existing: [] };
    for (const preset of entry.metadata.presets) {
      if (present.some((s) => s.name === preset.name && s.action_id === preset.actionId)) {
        result.existing.push(preset.name);
        continue;
      }
      const plan = planPreset(preset, entry.actionsById);
      if (plan.kind === 'skipped') {
        result.skipped.push({ name: preset.name, reasons: plan.reasons });
        continue;
      }
      const input = { name: preset.name, actionId: preset.actionId, trigger: preset.trigger, settings: preset.fields };
      const subscription = await this.insert(auth, destination, plan.action, { ...input, enabled: plan.kind === 'enabled' });
      if (plan.kind === 'enabled') result.created.push(subscription);
      else result.createdDisabled.push({ subscription, reasons: plan.reasons });
    }
    return result;
  }
}
