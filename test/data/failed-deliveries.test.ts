import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/replay-command.js';
import { replayDeadLetters, type ReplayProgress } from '../../src/data/dead-letters/replay.js';
import { BACKENDS } from '../support/backends.js';
import { listFailed, messageIdsOf, sendTracks, waitForMetrics, type FailedDelivery } from '../support/delivery-metrics.js';
import { createWebhookPipeline, type Pipeline } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/switchyard.js', import.meta.url).pathname;
const BUILT_REPLAY = new URL('../../dist/cli/replay-command.js', import.meta.url).pathname;

const REJECT = { status: 400, body: '{"error":"customer id is not valid"}' };
const ACCEPT = { status: 200, body: '{"ok":true}' };

describe.each(BACKENDS)('failed deliveries and replay [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  let pipeline: Pipeline;
  let accepting = false;
  const replay = (json?: unknown, destinationId = pipeline.destinationId) =>
    server.api(`/destinations/${destinationId}/failed-deliveries/replay`, { method: 'POST', ...(json !== undefined ? { json } : {}) });
  const cli = (args: string[]) =>
    run(process.execPath, [CLI, ...args], {
      env: { ...process.env, SWITCHYARD_DATA_DIR: server.config.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const accepted = () => messageIdsOf(sink.requests.filter((r) => (r.json as { accepted?: boolean }).accepted));

  /** Sends events while the sink rejects them and waits until every one is a dead letter. */
  async function rejectEvents(prefix: string, count: number, discardedBefore: number): Promise<string[]> {
    accepting = false;
    const ids = await sendTracks(server, pipeline.writeKey, { prefix, count });
    await waitForMetrics(server, pipeline, (v) => v.discarded === discardedBefore + count);
    accepting = true;
    return ids;
  }

  beforeAll(async () => {
    // The sink marks what it accepted inside the recorded body, so replays can be told apart from rejections.
    sink = await startSink((request) => {
      if (!accepting) return REJECT;
      (request.json as { accepted?: boolean }).accepted = true;
      return ACCEPT;
    });
    server = await startTestServer(backend, {
      env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20', SWITCHYARD_RETRY_BASE_MS: '50' },
    });
    pipeline = await createWebhookPipeline(server, { slug: 'strict', sinkUrl: sink.url });
  });
  afterAll(async () => {
    await server.destroy();
    await sink.close();
  });

  it('keeps discarded deliveries with reason, status and response excerpt, newest first', async () => {
    const sent = await rejectEvents('bad', 4, 0);
    const { status, body, items } = await listFailed(server, pipeline.destinationId);
    expect(status).toBe(200);
    expect(body.data.pagination).toEqual({ current: 'MA==', totalEntries: 4 });
    expect(new Set(items.map((i) => i.messageId))).toEqual(new Set(sent));
    for (const item of items) {
      expect(item).toMatchObject({
        subscriptionId: pipeline.subscriptionId,
        sourceId: pipeline.sourceId,
        outcome: 'discarded',
        reason: 'http-4xx',
        status: 400,
        attempts: 1,
        replayedAt: null,
      });
      expect(item.responseExcerpt).toContain('customer id is not valid');
      expect(item.error.length).toBeGreaterThan(0);
      expect(typeof item.id).toBe('string');
      expect(item.firstAttemptAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(item.lastAttemptAt)).toBeGreaterThanOrEqual(Date.parse(item.firstAttemptAt!));
    }
    const order = items.map((i) => [Date.parse(i.lastAttemptAt), Number(i.id)] as const);
    expect([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1])).toEqual(order);

    // Walking pages of 3 visits every item once, in the same order.
    const first = await listFailed(server, pipeline.destinationId, 'pagination.count=3');
    expect(first.items).toHaveLength(3);
    const second = await listFailed(server, pipeline.destinationId, `pagination.count=3&pagination.cursor=${first.body.data.pagination.next}`);
    expect(second.items).toHaveLength(1);
    expect(second.body.data.pagination.next).toBeUndefined();
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(items.map((i) => i.id));

    const count = async (query: string) => (await listFailed(server, pipeline.destinationId, query)).items.length;
    expect(await count('reason=http-4xx')).toBe(4);
    expect(await count('reason=retry-window-exhausted')).toBe(0);
    expect(await count(`subscriptionId=${pipeline.subscriptionId}`)).toBe(4);
    expect(await count('subscriptionId=someone-else')).toBe(0);
  });

  it('validates the list and replay requests', async () => {
    expect((await listFailed(server, 'nope')).status).toBe(404);
    expect((await replay({}, 'nope')).status).toBe(404);
    // 404 wins over a malformed body.
    expect((await replay({ since: 'yesterday' }, 'nope')).status).toBe(404);
    const badPage = await listFailed(server, pipeline.destinationId, 'pagination.count=0');
    expect(badPage.body.errors[0].field).toBe('pagination.count');
    expect((await listFailed(server, pipeline.destinationId, 'reason=')).body.errors[0].field).toBe('reason');
    const fields = async (json: unknown) => {
      const body = (await (await replay(json)).json()) as { errors: { field: string }[] };
      return body.errors.map((e) => e.field);
    };
    // Schema failures come first; times are parsed once the body has the right shape.
    expect(await fields({ since: 'yesterday', until: '2025-11-26', reason: 5 })).toEqual(['reason']);
    expect(await fields({ since: 'yesterday', until: '2025-11-26' })).toEqual(['since', 'until']);
    const inverted = await replay({ since: '2025-11-26T12:00:00Z', until: '2025-11-26T11:00:00Z' });
    expect(inverted.status).toBe(422);
  });

  it('replays over HTTP once the endpoint is fixed; replayed deliveries count again', async () => {
    const failed = await listFailed(server, pipeline.destinationId);
    accepting = true;
    expect(await (await replay({ reason: 'retry-window-exhausted' })).json()).toEqual({ data: { replayed: 0 } });
    const answer = await replay({ reason: 'http-4xx', subscriptionId: pipeline.subscriptionId });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { replayed: 4 } });
    await sink.waitFor(() => accepted().length === 4);
    expect(new Set(accepted())).toEqual(new Set(failed.items.map((i) => i.messageId)));
    const values = await waitForMetrics(server, pipeline, (v) => v.successes === 4);
    expect(values).toMatchObject({ successes_on_first_attempt: 4, discarded: 4 });

    const after = await listFailed(server, pipeline.destinationId);
    expect(after.items.every((i: FailedDelivery) => i.replayedAt !== null)).toBe(true);
    // Each dead letter is replayed once; an empty body means every filter is open.
    expect(await (await replay()).json()).toEqual({ data: { replayed: 0 } });
    expect(sink.requests.length).toBe(8);
  });

  it('replays through the service in chunks, reporting progress', async () => {
    const sent = await rejectEvents('chunked', 5, 4);
    const progress: ReplayProgress[] = [];
    const result = await replayDeadLetters(server.running.storage.db, { destinationId: pipeline.destinationId, since: Date.now() - 60_000 }, (p) => progress.push(p), {
      chunkSize: 2,
    });
    expect(result).toEqual({ replayed: 5, skipped: 0 });
    expect(progress).toEqual([
      { replayed: 0, total: 5 },
      { replayed: 2, total: 5 },
      { replayed: 4, total: 5 },
      { replayed: 5, total: 5 },
    ]);
    await sink.waitFor(() => sent.every((id) => accepted().includes(id)));
    await waitForMetrics(server, pipeline, (v) => v.successes === 9);
    // The time range filters on when the delivery failed.
    const future = await replayDeadLetters(server.running.storage.db, { destinationId: pipeline.destinationId, since: Date.now() + 60_000 });
    expect(future.replayed).toBe(0);
  });

  it.runIf(backend === 'sqlite')('replays from the CLI with plain progress lines and a summary', async () => {
    expect(existsSync(BUILT_REPLAY), 'run `npm run build` first (npm test does)').toBe(true);
    const sent = await rejectEvents('cli', 2, 9);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const replayed = await cli(['replay', '--destination', pipeline.destinationId, '--reason', 'http-4xx', '--since', since]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain('replayed 0/2\nreplayed 2/2\n');
    expect(replayed.stdout).toContain(`Replayed 2 dead letters of destination ${pipeline.destinationId}.`);
    await sink.waitFor(() => sent.every((id) => accepted().includes(id)));
    await waitForMetrics(server, pipeline, (v) => v.successes === 11);

    expect(await cli(['replay', '--destination', 'nope'])).toMatchObject({ code: 1, stderr: "switchyard: Destination with id 'nope' not found\n" });
    expect(await cli(['replay'])).toMatchObject({ code: 2 });
  });

  it('skips dead letters whose subscription was deleted', async () => {
    const { discarded } = await waitForMetrics(server, pipeline, () => true);
    const since = Date.now();
    await rejectEvents('orphan', 2, discarded!);
    const removed = await server.api(`/destinations/${pipeline.destinationId}/subscriptions/${pipeline.subscriptionId}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await (await replay({ since: new Date(since).toISOString() })).json()).toEqual({ data: { replayed: 0 } });
    const result = await replayDeadLetters(server.running.storage.db, { destinationId: pipeline.destinationId, since });
    expect(result).toEqual({ replayed: 0, skipped: 2 });
  });
});

describe('replay progress output', () => {
  it('redraws one bar on a terminal and writes plain lines otherwise', () => {
    const written: string[] = [];
    const terminal = progressReporter({ isTTY: true, write: (text) => written.push(text) });
    terminal.report({ replayed: 0, total: 4 });
    terminal.report({ replayed: 2, total: 4 });
    terminal.finish();
    expect(written).toEqual([`\r[${'-'.repeat(30)}]   0% 0/4`, `\r[${'#'.repeat(15)}${'-'.repeat(15)}]  50% 2/4`, '\n']);

    const lines: string[] = [];
    const piped = progressReporter({ isTTY: false, write: (text) => lines.push(text) });
    piped.report({ replayed: 0, total: 0 });
    piped.finish();
    expect(lines).toEqual(['replayed 0/0\n']);
  });
});
