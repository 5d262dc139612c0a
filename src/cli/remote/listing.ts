// Shared pieces of the list/get/delete commands: the `--limit` option, walking pages, and resolving catalog
// entries from the names people type (`webhook`, `javascript`) rather than ids.
import type { DestinationMetadata, SourceMetadata, SwitchyardClient } from '../../client/index.js';
import { CliUsageError, integerOption, type OptionSpec, type ParsedArgs } from './command.js';

export const LIMIT_OPTION: Record<string, OptionSpec> = {
  limit: { type: 'string', value: '<n>', help: 'Show at most n items (default: all, fetched page by page)' },
};

export function listLimit(args: ParsedArgs, command: string): number | undefined {
  return integerOption(args, 'limit', command, { min: 1, max: 1_000_000 });
}

/** Page size for a walk: no bigger than needed for `limit`, within the API's 1..1000. */
export const pageSize = (limit: number | undefined) => Math.min(limit ?? 200, 200);

export async function collect<T>(items: AsyncIterable<T>, limit: number | undefined): Promise<T[]> {
  const out: T[] = [];
  if (limit === 0) return out;
  for await (const item of items) {
    out.push(item);
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

const HEX_ID = /^[0-9a-f]{24}$/;

function matches(term: string, entry: { id: string; name: string; slug: string }): boolean {
  const wanted = term.toLowerCase();
  return [entry.id, entry.name.toLowerCase(), entry.slug, entry.slug.replace(/^actions-/, '')].includes(wanted);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Suggestions for a miss: a typo away, or one name containing the other (`webhooks` → Webhook). */
function resembles(term: string, entry: { name: string; slug: string }): boolean {
  const wanted = term.toLowerCase();
  const names = [entry.name.toLowerCase(), entry.slug.replace(/^actions-/, '')];
  return names.some(
    (name) => name.includes(wanted) || (name.length >= 4 && wanted.includes(name)) || editDistance(wanted, name) <= Math.min(2, name.length - 2),
  );
}

/** A destination catalog id, name or slug (`webhook`, `actions-webhook`, `614a3c7d791c91c41bae7599`) → metadata id. */
export async function resolveDestinationType(client: SwitchyardClient, term: string, command: string): Promise<string> {
  if (HEX_ID.test(term)) return term;
  const all: DestinationMetadata[] = [];
  for await (const entry of client.catalog.allDestinations({ count: 200 })) all.push(entry);
  const exact = all.filter((entry) => matches(term, entry));
  if (exact.length === 1) return exact[0]!.id;
  if (exact.length > 1) {
    throw new CliUsageError(`"${term}" matches several catalog entries: ${exact.map((e) => `${e.name} (${e.id})`).join(', ')}; pass the id`, command);
  }
  const close = all.filter((entry) => resembles(term, entry)).slice(0, 5);
  const hint = close.length > 0 ? ` Did you mean: ${close.map((e) => `"${e.name}"`).join(', ')}?` : '';
  throw new CliUsageError(`no destination type "${term}" in the catalog.${hint} List them with "switchyard catalog destinations --search <text>".`, command);
}

/** A source catalog id, slug or name (`javascript`, `http-api`, `IqDTy1TpoU`) → metadata id. */
export async function resolveSourceType(client: SwitchyardClient, term: string, command: string): Promise<SourceMetadata> {
  const all: SourceMetadata[] = [];
  for await (const entry of client.catalog.allSources()) all.push(entry);
  const found = all.find((entry) => entry.id === term || matches(term, entry));
  if (!found) throw new CliUsageError(`no source type "${term}"; choose one of ${all.map((e) => e.slug).join(', ')}`, command);
  return found;
}
