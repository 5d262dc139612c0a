// `switchyard destinations list|get|create|update|delete`.
import { paginate, type Destination } from '../../client/index.js';
import { CliUsageError, enabledFlag, jsonObjectOption, requiredOption, stringOption, type Command } from './command.js';
import { collect, LIMIT_OPTION, listLimit, pageSize, resolveDestinationType } from './listing.js';
import { compactJson, printJson, renderDetails, renderTable, yesNo } from './output.js';

const nameOf = (destination: Destination) => destination.name || destination.metadata.name;

function destinationDetails(destination: Destination): string {
  return renderDetails([
    ['ID', destination.id],
    ['Name', destination.name],
    ['Type', `${destination.metadata.name} (${destination.metadata.id})`],
    ['Source', destination.sourceId],
    ['Enabled', yesNo(destination.enabled)],
    ['Settings', compactJson(destination.settings)],
    ['Actions', destination.metadata.actions.map((action) => `${action.slug}  ${action.name}`).join('\n')],
  ]);
}

const list: Command = {
  path: ['destinations', 'list'],
  args: [],
  summary: 'List destinations (all, or those of one source)',
  options: { source: { type: 'string', value: '<sourceId>', help: 'Only the destinations connected to this source' }, ...LIMIT_OPTION },
  async run(ctx, args) {
    const limit = listLimit(args, 'destinations list');
    const client = ctx.client();
    const sourceId = stringOption(args, 'source');
    const params = { count: pageSize(limit) };
    const opts = { signal: ctx.signal };
    const items = sourceId
      ? paginate((p, o) => client.sources.connectedDestinations(sourceId, p, o), params, opts)
      : client.destinations.all(params, opts);
    const destinations = await collect(items, limit);
    if (ctx.json) return printJson(ctx, destinations);
    if (destinations.length === 0) return ctx.out('No destinations. Create one with "switchyard destinations create --source <sourceId> --type webhook".');
    const rows = destinations.map((d) => [d.id, nameOf(d), d.metadata.name, yesNo(d.enabled), d.sourceId]);
    ctx.out(renderTable(['ID', 'NAME', 'TYPE', 'ENABLED', 'SOURCE'], rows));
  },
};

const get: Command = {
  path: ['destinations', 'get'],
  args: ['<destinationId>'],
  summary: 'Show one destination, with the actions it offers',
  options: {},
  async run(ctx, args) {
    const destination = await ctx.client().destinations.get(args.positionals[0]!, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, destination);
    ctx.out(destinationDetails(destination));
  },
};

const create: Command = {
  path: ['destinations', 'create'],
  args: [],
  summary: 'Connect a destination to a source',
  options: {
    source: { type: 'string', value: '<sourceId>', help: 'The source it receives events from (required)' },
    type: { type: 'string', value: '<type>', help: 'Catalog entry: id, name or slug, e.g. webhook (required)' },
    name: { type: 'string', value: '<name>', help: 'Display name' },
    settings: { type: 'string', value: '<json>', help: 'Settings as a JSON object, or @file.json (default {})' },
    disabled: { type: 'boolean', help: 'Create it disabled (required settings may then be left out)' },
  },
  examples: ['switchyard destinations create --source <sourceId> --type webhook --name "Orders hook"'],
  async run(ctx, args) {
    const command = 'destinations create';
    const sourceId = requiredOption(args, 'source', command);
    const type = requiredOption(args, 'type', command);
    const settings = jsonObjectOption(args, 'settings', command) ?? {};
    const client = ctx.client();
    const metadataId = await resolveDestinationType(client, type, command);
    const name = stringOption(args, 'name');
    const destination = await client.destinations.create(
      { sourceId, metadataId, settings, enabled: args.values.disabled !== true, ...(name !== undefined ? { name } : {}) },
      { signal: ctx.signal },
    );
    if (ctx.json) return printJson(ctx, destination);
    ctx.out(`Created destination ${nameOf(destination)} (${destination.id}).`);
    ctx.out(destinationDetails(destination));
    ctx.out(`\nNext: switchyard subscriptions create ${destination.id} --action <action> --trigger 'type = "track"' --field key=value`);
  },
};

const update: Command = {
  path: ['destinations', 'update'],
  args: ['<destinationId>'],
  summary: "Change a destination's name, enabled state or settings",
  options: {
    name: { type: 'string', value: '<name>', help: 'New display name ("" clears it)' },
    enable: { type: 'boolean', help: 'Start delivering' },
    disable: { type: 'boolean', help: 'Stop delivering (queued deliveries are discarded when attempted)' },
    settings: { type: 'string', value: '<json>', help: 'Settings to merge, as a JSON object or @file.json (null deletes a key)' },
  },
  async run(ctx, args) {
    const command = 'destinations update';
    const enabled = enabledFlag(args, command);
    const settings = jsonObjectOption(args, 'settings', command);
    const name = stringOption(args, 'name');
    const input = { ...(name !== undefined ? { name } : {}), ...(enabled !== undefined ? { enabled } : {}), ...(settings ? { settings } : {}) };
    if (Object.keys(input).length === 0) throw new CliUsageError('nothing to change: pass --name, --enable, --disable or --settings', command);
    const destination = await ctx.client().destinations.update(args.positionals[0]!, input, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, destination);
    ctx.out(`Updated destination ${nameOf(destination)} (${destination.id}).`);
    ctx.out(destinationDetails(destination));
  },
};

const remove: Command = {
  path: ['destinations', 'delete'],
  args: ['<destinationId>'],
  summary: 'Delete a destination and its subscriptions',
  options: {},
  async run(ctx, args) {
    const id = args.positionals[0]!;
    await ctx.client().destinations.delete(id, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { id, status: 'SUCCESS' });
    ctx.out(`Deleted destination ${id}.`);
  },
};

export const destinationCommands: Command[] = [list, get, create, update, remove];
