// `switchyard send <sourceId>`: test events through the Tracking API (POST /v1/batch) with the source's write
// key, so a pipeline can be tried end to end without an analytics library.
import { randomUUID } from 'node:crypto';
import { SwitchyardApiError, SwitchyardNetworkError } from '../../client/index.js';
import { CliUsageError, integerOption, jsonObjectOption, stringOption, type Command, type ParsedArgs } from './command.js';
import { printJson } from './output.js';

const SEND_TIMEOUT_MS = 30_000;
const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
type EventType = (typeof TYPES)[number];

/** The shape shared by every event of the batch; each copy gets its own messageId. */
function eventTemplate(type: EventType, args: ParsedArgs, identity: Record<string, string>): Record<string, unknown> {
  const properties = jsonObjectOption(args, 'properties', 'send');
  const traits = jsonObjectOption(args, 'traits', 'send');
  const name = stringOption(args, 'event');
  const event: Record<string, unknown> = { type, ...identity };
  if (type === 'track') event.event = name ?? 'Test Event';
  if ((type === 'page' || type === 'screen') && name) event.name = name;
  if (properties && (type === 'track' || type === 'page' || type === 'screen')) event.properties = properties;
  if (traits && (type === 'identify' || type === 'group')) event.traits = traits;
  if (type === 'group') event.groupId = stringOption(args, 'group-id') ?? 'cli-group';
  if (type === 'alias') event.previousId = stringOption(args, 'previous-id') ?? 'cli-previous';
  return event;
}

/** POST /v1/batch with the write key as Basic auth; failures to get an answer become SwitchyardNetworkError. */
async function postBatch(url: string, writeKey: string, batch: unknown[], signal: AbortSignal): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
      signal: controller.signal,
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if (signal.aborted) throw error;
    const timedOut = controller.signal.aborted;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = timedOut ? `timed out after ${SEND_TIMEOUT_MS} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new SwitchyardNetworkError(`POST ${url} failed: ${reason}`, { method: 'POST', url, timedOut, cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}

export const sendCommand: Command = {
  path: ['send'],
  args: ['<sourceId>'],
  summary: "Send test events to a source (Tracking API, with the source's write key)",
  usageSummary: 'Send test events to a source',
  options: {
    type: { type: 'string', value: '<type>', help: `Event type: ${TYPES.join(', ')} (default track)` },
    event: { type: 'string', value: '<name>', help: 'Track event name (default "Test Event"), or the page/screen name' },
    properties: { type: 'string', value: '<json>', help: 'Properties (track, page, screen) as a JSON object or @file.json' },
    traits: { type: 'string', value: '<json>', help: 'Traits (identify, group) as a JSON object or @file.json' },
    'user-id': { type: 'string', value: '<id>', help: 'userId (default: none; an anonymousId is generated)' },
    'anonymous-id': { type: 'string', value: '<id>', help: 'anonymousId' },
    'group-id': { type: 'string', value: '<id>', help: 'groupId of group events' },
    'previous-id': { type: 'string', value: '<id>', help: 'previousId of alias events' },
    count: { type: 'string', value: '<n>', help: 'How many events to send in the batch (default 1, at most 500)' },
  },
  examples: [`switchyard send <sourceId> --event "Order Completed" --user-id u1 --properties '{"total":25}' --count 3`],
  async run(ctx, args) {
    const type = (stringOption(args, 'type') ?? 'track').toLowerCase() as EventType;
    if (!TYPES.includes(type)) throw new CliUsageError(`--type must be one of ${TYPES.join(', ')}`, 'send');
    const count = integerOption(args, 'count', 'send', { min: 1, max: 500 }) ?? 1;
    const userId = stringOption(args, 'user-id');
    // The Tracking API needs a userId or an anonymousId; one anonymous visitor per invocation by default.
    const anonymousId = stringOption(args, 'anonymous-id') ?? (userId ? undefined : `cli-${randomUUID()}`);
    const identity: Record<string, string> = { ...(userId ? { userId } : {}), ...(anonymousId ? { anonymousId } : {}) };
    const template = eventTemplate(type, args, identity);
    const batch = Array.from({ length: count }, () => ({ ...template, messageId: `cli-${randomUUID()}` }));

    const source = await ctx.client().sources.get(args.positionals[0]!, { signal: ctx.signal });
    const writeKey = source.writeKeys[0];
    if (!writeKey) throw new CliUsageError(`source ${source.id} has no write key; add one with the API (POST /sources/{id}/writekey)`, 'send');
    const url = `${ctx.baseUrl()}/v1/batch`;
    const { status, text } = await postBatch(url, writeKey, batch, ctx.signal);
    const body = (() => {
      try {
        return JSON.parse(text) as { success?: boolean; code?: string; message?: string; rejected?: unknown[] };
      } catch {
        return {};
      }
    })();
    if (status !== 200) {
      const message = body.message ?? (text.slice(0, 200) || `HTTP ${status}`);
      throw new SwitchyardApiError({ status, method: 'POST', url, errors: [{ type: body.code ?? `http-${status}`, message }] });
    }
    const accepted = count - (body.rejected?.length ?? 0);
    if (ctx.json) return printJson(ctx, { sourceId: source.id, accepted, rejected: body.rejected ?? [], messageIds: batch.map((e) => e.messageId) });
    ctx.out(`Sent ${accepted} ${type} event${accepted === 1 ? '' : 's'} to source ${source.slug} (${source.id}).`);
    if (body.rejected?.length) ctx.out(`Rejected: ${JSON.stringify(body.rejected)}`);
  },
};
