// `switchyard subscriptions list|get|create|update|delete` (`apply-presets` is an operator command in main.ts).
import type { DestinationAction, Subscription, SwitchyardClient } from '../../client/index.js';
import { CliUsageError, enabledFlag, fieldPairs, jsonObjectOption, stringOption, type Command, type OptionSpec } from './command.js';
import { collect, LIMIT_OPTION, listLimit, pageSize } from './listing.js';
import { compactJson, printJson, renderDetails, renderTable, yesNo } from './output.js';

const MAPPING_OPTIONS: Record<string, OptionSpec> = {
  mapping: { type: 'string', value: '<json>', help: 'The action mapping as a JSON object, or @file.json' },
  field: { type: 'string', multiple: true, value: '<key=value>', help: 'One mapping field (repeatable), e.g. --field url=https://example.org/hook' },
};

function subscriptionDetails(subscription: Subscription): string {
  return renderDetails([
    ['ID', subscription.id],
    ['Name', subscription.name],
    ['Destination', subscription.destinationId],
    ['Action', `${subscription.actionSlug} (${subscription.actionId})`],
    ['Trigger', subscription.trigger],
    ['Enabled', yesNo(subscription.enabled)],
    ['Mapping', compactJson(subscription.settings)],
    ...(subscription.modelId !== undefined ? ([['Model', subscription.modelId]] as Array<[string, string]>) : []),
  ]);
}

async function resolveAction(client: SwitchyardClient, destinationId: string, term: string, signal: AbortSignal): Promise<DestinationAction> {
  const destination = await client.destinations.get(destinationId, { signal });
  const wanted = term.toLowerCase();
  const action = destination.metadata.actions.find((a) => a.id === term || a.slug.toLowerCase() === wanted || a.name.toLowerCase() === wanted);
  if (action) return action;
  const available = destination.metadata.actions.map((a) => a.slug);
  throw new CliUsageError(
    available.length > 0
      ? `${destination.metadata.name} has no action "${term}"; choose one of: ${available.join(', ')}`
      : `${destination.metadata.name} has no actions, so it cannot take subscriptions`,
    'subscriptions create',
  );
}

const list: Command = {
  path: ['subscriptions', 'list'],
  args: ['<destinationId>'],
  summary: "List a destination's subscriptions",
  options: { ...LIMIT_OPTION },
  async run(ctx, args) {
    const limit = listLimit(args, 'subscriptions list');
    const items = ctx.client().subscriptions.all(args.positionals[0]!, { count: pageSize(limit) }, { signal: ctx.signal });
    const subscriptions = await collect(items, limit);
    if (ctx.json) return printJson(ctx, subscriptions);
    if (subscriptions.length === 0) return ctx.out('No subscriptions. Create one with "switchyard subscriptions create <destinationId> --action <action>".');
    const rows = subscriptions.map((s) => [s.id, s.name, s.actionSlug, yesNo(s.enabled), s.trigger]);
    ctx.out(renderTable(['ID', 'NAME', 'ACTION', 'ENABLED', 'TRIGGER'], rows));
  },
};

const get: Command = {
  path: ['subscriptions', 'get'],
  args: ['<destinationId>', '<subscriptionId>'],
  summary: 'Show one subscription and its mapping',
  options: {},
  async run(ctx, args) {
    const [destinationId, subscriptionId] = args.positionals as [string, string];
    const subscription = await ctx.client().subscriptions.get(destinationId, subscriptionId, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, subscription);
    ctx.out(subscriptionDetails(subscription));
  },
};

const create: Command = {
  path: ['subscriptions', 'create'],
  args: ['<destinationId>'],
  summary: "Send matching events of the source to one of the destination's actions",
  description: 'The trigger is an FQL condition, e.g. type = "track" and event = "Order Completed".',
  options: {
    action: { type: 'string', value: '<action>', help: 'Action slug, name or id, e.g. send (required; "destinations get" lists them)' },
    name: { type: 'string', value: '<name>', help: 'Display name (default: the action name)' },
    trigger: { type: 'string', value: '<fql>', help: "Which events it takes (default: the action's default trigger)" },
    ...MAPPING_OPTIONS,
    disabled: { type: 'boolean', help: 'Create it disabled' },
  },
  examples: [`switchyard subscriptions create <destinationId> --action send --trigger 'type = "track"' --field url=http://127.0.0.1:9000/hook`],
  async run(ctx, args) {
    const command = 'subscriptions create';
    const destinationId = args.positionals[0]!;
    const term = stringOption(args, 'action');
    if (!term) throw new CliUsageError('missing --action (see the Actions of "switchyard destinations get <destinationId>")', command);
    const settings = { ...jsonObjectOption(args, 'mapping', command), ...fieldPairs(args, 'field', command) };
    const client = ctx.client();
    const action = await resolveAction(client, destinationId, term, ctx.signal);
    const trigger = stringOption(args, 'trigger') ?? action.defaultTrigger ?? undefined;
    if (!trigger) throw new CliUsageError(`--trigger is required: the ${action.slug} action has no default trigger (e.g. --trigger 'type = "track"')`, command);
    const subscription = await client.subscriptions.create(
      destinationId,
      { name: stringOption(args, 'name') ?? action.name, actionId: action.id, trigger, enabled: args.values.disabled !== true, settings },
      { signal: ctx.signal },
    );
    if (ctx.json) return printJson(ctx, subscription);
    ctx.out(`Created subscription ${subscription.name} (${subscription.id}).`);
    ctx.out(subscriptionDetails(subscription));
  },
};

const update: Command = {
  path: ['subscriptions', 'update'],
  args: ['<destinationId>', '<subscriptionId>'],
  summary: "Change a subscription's name, trigger, mapping or enabled state",
  description: '--mapping replaces the whole mapping; --field alone changes single keys of the current one.',
  options: {
    name: { type: 'string', value: '<name>', help: 'New display name' },
    trigger: { type: 'string', value: '<fql>', help: 'New trigger' },
    ...MAPPING_OPTIONS,
    enable: { type: 'boolean', help: 'Start sending' },
    disable: { type: 'boolean', help: 'Stop sending' },
  },
  async run(ctx, args) {
    const command = 'subscriptions update';
    const [destinationId, subscriptionId] = args.positionals as [string, string];
    const enabled = enabledFlag(args, command);
    const mapping = jsonObjectOption(args, 'mapping', command);
    const fields = fieldPairs(args, 'field', command);
    const client = ctx.client();
    let settings: Record<string, unknown> | undefined;
    if (mapping) settings = { ...mapping, ...fields };
    else if (Object.keys(fields).length > 0) {
      // The API replaces mappings whole; merge single fields into the current one here.
      const current = await client.subscriptions.get(destinationId, subscriptionId, { signal: ctx.signal });
      settings = { ...current.settings, ...fields };
    }
    const name = stringOption(args, 'name');
    const trigger = stringOption(args, 'trigger');
    const input = {
      ...(name !== undefined ? { name } : {}),
      ...(trigger !== undefined ? { trigger } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(settings ? { settings } : {}),
    };
    if (Object.keys(input).length === 0) throw new CliUsageError('nothing to change: pass --name, --trigger, --mapping, --field, --enable or --disable', command);
    const subscription = await client.subscriptions.update(destinationId, subscriptionId, input, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, subscription);
    ctx.out(`Updated subscription ${subscription.name} (${subscription.id}).`);
    ctx.out(subscriptionDetails(subscription));
  },
};

const remove: Command = {
  path: ['subscriptions', 'delete'],
  args: ['<destinationId>', '<subscriptionId>'],
  summary: 'Delete a subscription (its queued deliveries are dropped)',
  options: {},
  async run(ctx, args) {
    const [destinationId, subscriptionId] = args.positionals as [string, string];
    await ctx.client().subscriptions.remove(destinationId, subscriptionId, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { id: subscriptionId, status: 'SUCCESS' });
    ctx.out(`Deleted subscription ${subscriptionId}.`);
  },
};

export const subscriptionCommands: Command[] = [list, get, create, update, remove];
