// `switchyard sources list|get|create|update|delete`.
import type { Source } from '../../client/index.js';
import { CliUsageError, enabledFlag, jsonObjectOption, requiredOption, stringOption, type Command } from './command.js';
import { collect, LIMIT_OPTION, listLimit, pageSize, resolveSourceType } from './listing.js';
import { compactJson, printJson, renderDetails, renderTable, yesNo } from './output.js';

const DEFAULT_SOURCE_TYPE = 'http-api';

function sourceDetails(source: Source): string {
  return renderDetails([
    ['ID', source.id],
    ['Slug', source.slug],
    ['Name', source.name],
    ['Type', `${source.metadata.name} (${source.metadata.id})`],
    ['Enabled', yesNo(source.enabled)],
    ['Write keys', source.writeKeys.join('\n')],
    ['Settings', compactJson(source.settings)],
  ]);
}

const list: Command = {
  path: ['sources', 'list'],
  args: [],
  summary: "List the workspace's sources",
  options: { ...LIMIT_OPTION },
  async run(ctx, args) {
    const limit = listLimit(args, 'sources list');
    const sources = await collect(ctx.client().sources.all({ count: pageSize(limit) }, { signal: ctx.signal }), limit);
    if (ctx.json) return printJson(ctx, sources);
    if (sources.length === 0) return ctx.out('No sources yet. Create one with "switchyard sources create --slug <slug>".');
    const rows = sources.map((s) => [s.id, s.slug, s.name, s.metadata.slug, yesNo(s.enabled), s.writeKeys[0]]);
    ctx.out(renderTable(['ID', 'SLUG', 'NAME', 'TYPE', 'ENABLED', 'WRITE KEY'], rows));
  },
};

const get: Command = {
  path: ['sources', 'get'],
  args: ['<sourceId>'],
  summary: 'Show one source, with its write keys',
  options: {},
  async run(ctx, args) {
    const source = await ctx.client().sources.get(args.positionals[0]!, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, source);
    ctx.out(sourceDetails(source));
  },
};

const create: Command = {
  path: ['sources', 'create'],
  args: [],
  summary: 'Create a source (it comes with one write key)',
  options: {
    slug: { type: 'string', value: '<slug>', help: 'Lowercase letters, digits, - and _ (required; unique in the workspace)' },
    type: { type: 'string', value: '<type>', help: `Source catalog id or slug: http-api, node-js, python, javascript, ios (default ${DEFAULT_SOURCE_TYPE})` },
    name: { type: 'string', value: '<name>', help: 'Display name (default: the slug)' },
    disabled: { type: 'boolean', help: 'Create it disabled (it refuses events until enabled)' },
    settings: { type: 'string', value: '<json>', help: 'Settings as a JSON object, or @file.json' },
  },
  examples: ['switchyard sources create --slug web --type javascript'],
  async run(ctx, args) {
    const slug = requiredOption(args, 'slug', 'sources create');
    const settings = jsonObjectOption(args, 'settings', 'sources create');
    const client = ctx.client();
    const type = await resolveSourceType(client, stringOption(args, 'type') ?? DEFAULT_SOURCE_TYPE, 'sources create');
    let source = await client.sources.create(
      { slug, enabled: args.values.disabled !== true, metadataId: type.id, ...(settings ? { settings } : {}) },
      { signal: ctx.signal },
    );
    // The create call takes no name (as upstream); set it right after.
    const name = stringOption(args, 'name');
    if (name !== undefined) source = await client.sources.update(source.id, { name }, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, source);
    ctx.out(`Created source ${source.slug} (${source.id}).`);
    ctx.out(sourceDetails(source));
  },
};

const update: Command = {
  path: ['sources', 'update'],
  args: ['<sourceId>'],
  summary: "Change a source's name, slug, enabled state or settings",
  options: {
    name: { type: 'string', value: '<name>', help: 'New display name' },
    slug: { type: 'string', value: '<slug>', help: 'New slug' },
    enable: { type: 'boolean', help: 'Accept events again' },
    disable: { type: 'boolean', help: 'Refuse events (the Tracking API answers 403)' },
    settings: { type: 'string', value: '<json>', help: 'Settings to merge, as a JSON object or @file.json (null deletes a key)' },
  },
  async run(ctx, args) {
    const command = 'sources update';
    const enabled = enabledFlag(args, command);
    const settings = jsonObjectOption(args, 'settings', command);
    const input = {
      ...(stringOption(args, 'name') !== undefined ? { name: stringOption(args, 'name')! } : {}),
      ...(stringOption(args, 'slug') !== undefined ? { slug: stringOption(args, 'slug')! } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(settings ? { settings } : {}),
    };
    if (Object.keys(input).length === 0) throw new CliUsageError('nothing to change: pass --name, --slug, --enable, --disable or --settings', command);
    const source = await ctx.client().sources.update(args.positionals[0]!, input, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, source);
    ctx.out(`Updated source ${source.slug} (${source.id}).`);
    ctx.out(sourceDetails(source));
  },
};

const remove: Command = {
  path: ['sources', 'delete'],
  args: ['<sourceId>'],
  summary: 'Delete a source, its destinations and their subscriptions',
  options: {},
  async run(ctx, args) {
    const id = args.positionals[0]!;
    await ctx.client().sources.delete(id, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { id, status: 'SUCCESS' });
    ctx.out(`Deleted source ${id}.`);
  },
};

export const sourceCommands: Command[] = [list, get, create, update, remove];
