// GET /sources/{id}/events (our extension, behind `switchyard tail`): how far back the first call looks, and how
// the cursor keeps later polls to a short scan of the time index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventCursor, SourceEventsService } from '../../src/control/source-events/source-events.service.js';
import { BACKENDS } from '../support/backends.js';
import { createSource } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';

const HOUR = 3_600_000;

describe.each(BACKENDS)('source events [%s]', (backend) => {
  let server: TestServer;
  let sourceId: string;
  let workspaceId: string;
  let clock: number;
  let service: SourceEventsService;

  const store = (messageId: string, receivedAt: number, body: Record<string, unknown> = {}) =>
    server.running.storage.db
      .insertInto('events')
      .values({
        id: `ev-${messageId}`,
        workspace_id: workspaceId,
        source_id: sourceId,
        message_id: messageId,
        type: String(body.type ?? 'track'),
        received_at: receivedAt,
        body: JSON.stringify({ type: 'track', messageId, ...body }),
      })
      .execute();
  const list = (query: Record<string, unknown> = {}) => service.list(workspaceId, sourceId, query);

  beforeAll(async () => {
    server = await startTestServer(backend);
    ({ sourceId } = await createSource(server, 'tailed'));
    workspaceId = ((await (await server.api('/')).json()) as { data: { workspace: { id: string } } }).data.workspace.id;
    clock = Date.now();
    service = new SourceEventsService(server.running.storage.db, server.running.controlPlane.sources, () => clock);
  });
  afterAll(() => server.destroy());

  it('shows the newest events of the last day, oldest first, named by type', async () => {
    await store('two-days-ago', clock - 48 * HOUR);
    await store('two-hours-ago', clock - 2 * HOUR, { event: 'Signed Up', userId: 'u1' });
    await store('just-now', clock - 1000, { type: 'page', name: 'Home', anonymousId: 'a1' });
    const { events } = await list();
    expect(events).toEqual([
      { id: 'ev-two-hours-ago', type: 'track', event: 'Signed Up', messageId: 'two-hours-ago', userId: 'u1', anonymousId: null, receivedAt: new Date(clock - 2 * HOUR).toISOString() },
      { id: 'ev-just-now', type: 'page', event: 'Home', messageId: 'just-now', userId: null, anonymousId: 'a1', receivedAt: new Date(clock - 1000).toISOString() },
    ]);
    expect((await list({ limit: '1' })).events.map((e) => e.messageId)).toEqual(['just-now']);
  });

  it('moves a quiet cursor up to a few seconds before now, and never past an unsettled one', async () => {
    const first = await list();
    expect(decodeEventCursor(first.cursor)).toEqual({ receivedAt: clock - 1000, id: 'ev-just-now' });
    // Nothing new, and the cursor is fresher than the settle delay: it stays.
    expect((await list({ after: first.cursor })).cursor).toBe(first.cursor);

    clock += 60_000;
    const quiet = await list({ after: first.cursor });
    expect(quiet.events).toEqual([]);
    expect(decodeEventCursor(quiet.cursor)).toEqual({ receivedAt: clock - 5000, id: '' });

    // An event stamped a moment ago (still within the settle delay) is found from the moved cursor.
    await store('late', clock - 2000);
    const next = await list({ after: quiet.cursor });
    expect(next.events.map((e) => e.messageId)).toEqual(['late']);
  });
});
