// `switchyard catalog destinations|sources`: what can be created, with the ids and slugs the other commands take.
import { stringOption, type Command } from './command.js';
import { collect } from './listing.js';
import { printJson, renderTable } from './output.js';

const destinations: Command = {
  path: ['catalog', 'destinations'],
  args: [],
  summary: 'List the destination types (catalog entries) and their actions',
  options: { search: { type: 'string', value: '<text>', help: 'Only entries whose name or slug contains the text' } },
  examples: ['switchyard catalog destinations --search webhook'],
  async run(ctx, args) {
    const search = stringOption(args, 'search')?.toLowerCase();
    const all = await collect(ctx.client().catalog.allDestinations({ count: 200 }, { signal: ctx.signal }), undefined);
    const entries = search ? all.filter((e) => `${e.name} ${e.slug}`.toLowerCase().includes(search)) : all;
    if (ctx.json) return printJson(ctx, entries);
    const rows = entries.map((e) => [e.id, e.name, e.slug, e.actions.map((a) => a.slug).join(', ')]);
    ctx.out(renderTable(['ID', 'NAME', 'SLUG', 'ACTIONS'], rows));
  },
};

const sources: Command = {
  path: ['catalog', 'sources'],
  args: [],
  summary: 'List the source types',
  options: {},
  async run(ctx) {
    const entries = await collect(ctx.client().catalog.allSources(undefined, { signal: ctx.signal }), undefined);
    if (ctx.json) return printJson(ctx, entries);
    ctx.out(renderTable(['ID', 'SLUG', 'NAME', 'CATEGORIES'], entries.map((e) => [e.id, e.slug, e.name, e.categories.join(', ')])));
  },
};

export const catalogCommands: Command[] = [destinations, sources];
