// The remote CLI as a new user meets it, against a real server: log in, create a source, a webhook destination
// and a subscription, send events, watch them arrive (tail) and be delivered (metrics), and get helpful errors.
// Runs the compiled CLI, so it needs `npm run build` first (`npm test` does that).
import { statSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { sendTracks, waitForMetrics } from '../support/delivery-metrics.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSink, type Sink } from '../support/sink.js';
import { cliEnvironment, jsonOf, requireBuild, runCli, startCli } from './run-cli.js';

const WEBHOOK = '614a3c7d791c91c41bae7599';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(BACKENDS)('switchyard remote CLI against a server [%s]', (backend) => {
  let server: TestServer;
  let sink: Sink;
  const env = cliEnvironment();
  const cli = (...args: string[]) => runCli(env, args);

  beforeAll(async () => {
    requireBuild();
    server = await startTestServer(backend, { env: { SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES: '0', SWITCHYARD_WORKER_POLL_MS: '20' } });
    sink = await startSink();
  });
  afterAll(async () => {
    await server?.destroy();
    await sink?.close();
  });

  it('logs in: refuses a bad token, then saves the URL and token for the other commands', async () => {
    const refused = await cli('login', '--url', server.url, '--token', 'not-a-real-token');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('switchyard: Invalid API token (401 unauthorized)');
    expect(refused.stderr).toContain('run "switchyard login"');
    expect(existsSync(env.SWITCHYARD_CONFIG!)).toBe(false);

    const login = await cli('login', '--url', server.url, '--token', server.token);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^Logged in to workspace "My Workspace" \(\w{22}\) at http:\/\/127\.0\.0\.1:\d+\.$/m);
    expect(JSON.parse(readFileSync(env.SWITCHYARD_CONFIG!, 'utf8'))).toEqual({ url: server.url, token: server.token });
    expect(statSync(env.SWITCHYARD_CONFIG!).mode & 0o777).toBe(0o600);

    const whoami = jsonOf(await cli('whoami', '--json'));
    expect(whoami).toMatchObject({ workspace: { slug: 'my-workspace' }, url: server.url, urlFrom: 'config file', tokenFrom: 'config file' });
    // Flags beat the saved login; the environment works without one.
    const flagged = await cli('sources', 'list', '--token', 'not-a-real-token');
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('401 unauthorized');
    const fromEnv = jsonOf(await runCli(cliEnvironment({ SWITCHYARD_URL: server.url, SWITCHYARD_TOKEN: server.token }), ['whoami', '--json']));
    expect(fromEnv).toMatchObject({ urlFrom: 'environment', tokenFrom: 'environment' });
  });

  it('creates, lists, gets, updates and deletes sources, with --json and as tables', async () => {
    const created = jsonOf(await cli('sources', 'create', '--slug', 'cli-web', '--type', 'javascript', '--name', 'Web site', '--json'));
    expect(created).toMatchObject({ slug: 'cli-web', name: 'Web site', enabled: true, metadata: { slug: 'javascript' } });
    expect(jsonOf(await cli('sources', 'get', created.id, '--json'))).toEqual(created);
    const listed = jsonOf<Array<{ id: string }>>(await cli('sources', 'list', '--json'));
    expect(listed.map((s) => s.id)).toContain(created.id);
    const table = await cli('sources', 'list');
    expect(table.stdout).toMatch(/^ID\s+SLUG\s+NAME\s+TYPE\s+ENABLED\s+WRITE KEY$/m);
    expect(table.stdout).toMatch(new RegExp(`^${created.id}\\s+cli-web\\s+Web site\\s+javascript\\s+yes\\s+${created.writeKeys[0]}$`, 'm'));

    const updated = jsonOf(await cli('sources', 'update', created.id, '--disable', '--settings', '{"region":"eu"}', '--json'));
    expect(updated).toMatchObject({ id: created.id, enabled: false, settings: { region: 'eu' } });
    const details = await cli('sources', 'get', created.id);
    expect(details.stdout).toMatch(/^Enabled\s+no$/m);

    const deleted = await cli('sources', 'delete', created.id);
    expect(deleted.stdout).toBe(`Deleted source ${created.id}.\n`);
    expect((await cli('sources', 'get', created.id)).code).toBe(1);
  });

  it('builds a pipeline, follows its events live and shows delivery metrics', async () => {
    const source = jsonOf(await cli('sources', 'create', '--slug', 'shop', '--type', 'node-js', '--json'));
    const destination = jsonOf(await cli('destinations', 'create', '--source', source.id, '--type', 'webhook', '--name', 'Orders hook', '--json'));
    expect(destination).toMatchObject({ name: 'Orders hook', sourceId: source.id, enabled: true, metadata: { id: WEBHOOK } });
    const mapping = JSON.stringify({ url: `${sink.url}/hook`, method: 'POST', data: { '@path': '$.properties' } });
    const trigger = 'type = "track" and event = "Order Completed"';
    const subscription = jsonOf(await cli('subscriptions', 'create', destination.id, '--action', 'send', '--trigger', trigger, '--mapping', mapping, '--json'));
    expect(subscription).toMatchObject({ name: 'Send', actionSlug: 'send', trigger, enabled: true, settings: JSON.parse(mapping) });
    const renamed = jsonOf(await cli('subscriptions', 'update', destination.id, subscription.id, '--name', 'Orders', '--field', 'method=PUT', '--json'));
    expect(renamed).toMatchObject({ name: 'Orders', settings: { ...JSON.parse(mapping), method: 'PUT' } });
    expect((await cli('subscriptions', 'list', destination.id)).stdout).toMatch(new RegExp(`^${subscription.id}\\s+Orders\\s+send\\s+yes\\s+type = "track"`, 'm'));
    expect((await cli('destinations', 'list', '--source', source.id)).stdout).toMatch(new RegExp(`^${destination.id}\\s+Orders hook\\s+Webhook\\s+yes`, 'm'));

    // A live tail that stops after three events; it must be watching before they are sent.
    const follower = startCli(env, ['tail', source.id, '--backlog', '0', '--limit', '3', '--interval', '100', '--json']);
    await follower.waitForOutput('Waiting for events');
    await sendTracks(server, source.writeKeys[0], { prefix: 'cli', count: 3 });
    const followed = await follower.done;
    expect(followed.code, followed.stderr).toBe(0);
    const lines = followed.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((e) => e.messageId).sort()).toEqual(['cli-0', 'cli-1', 'cli-2']);
    expect(lines[0]).toMatchObject({ type: 'track', event: 'Order Completed' });

    const sent = await cli('send', source.id, '--event', 'Order Completed', '--user-id', 'u9', '--properties', '{"total":5}', '--count', '2');
    expect(sent.stdout).toBe(`Sent 2 track events to source shop (${source.id}).\n`);
    await sink.waitFor((requests) => requests.length >= 5);
    expect(sink.requests.at(-1)).toMatchObject({ method: 'PUT', json: { total: 5 } });
    await waitForMetrics(server, { destinationId: destination.id, sourceId: source.id }, (values) => values.successes === 5);

    const metrics = await cli('metrics', destination.id, '--granularity', 'HOUR');
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(metrics.stdout).toContain(`Delivery metrics of Orders hook (${destination.id}) from source ${source.id}`);
    expect(metrics.stdout).toMatch(/^successes\s+5\s+5 on first attempt, 0 after retry$/m);
    expect(metrics.stdout).toMatch(/^discarded\s+0\b/m);
    expect(metrics.stdout).toMatch(/^successes per hour\s+[▁▂▃▄▅▆▇█]{12}\s+max 5$/m);
    expect(metrics.stdout).toContain('█');
    const series = jsonOf(await cli('metrics', destination.id, '--granularity', 'HOUR', '--json'));
    expect(series.summary.metrics[0]).toMatchObject({ metricName: 'successes', total: 5 });
    expect(series.windows).toHaveLength(12);
    expect(series.windows.reduce((sum: number, w: { successes: number }) => sum + w.successes, 0)).toBe(5);

    const recent = await cli('tail', source.id, '--once');
    expect(recent.stdout.trim().split('\n')).toHaveLength(5);
    expect(recent.stdout).toMatch(/^\S+Z\s+track\s+Order Completed\s+user u9\s+cli-/m);

    expect((await cli('subscriptions', 'delete', destination.id, subscription.id)).stdout).toBe(`Deleted subscription ${subscription.id}.\n`);
    expect((await cli('destinations', 'delete', destination.id)).stdout).toBe(`Deleted destination ${destination.id}.\n`);
  });

  it('explains unknown ids, invalid input and an unreachable server', async () => {
    const unknown = await cli('sources', 'get', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`switchyard: Source with id 'nope' not found (404 not-found)\nList the ids with "switchyard sources list".\n`);
    const unknownJson = await cli('destinations', 'get', 'nope', '--json');
    expect(unknownJson.code).toBe(1);
    expect(JSON.parse(unknownJson.stderr)).toEqual({
      error: { status: 404, type: 'not-found', message: "Destination with id 'nope' not found", errors: [{ type: 'not-found', message: "Destination with id 'nope' not found" }] },
    });
    expect((await cli('metrics', 'nope')).stderr).toContain("Destination with id 'nope' not found (404 not-found)");

    const invalid = await cli('sources', 'create', '--slug', 'Not A Slug');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^switchyard: .+ \[field: slug\] \(422 input-validation\)$/m);

    const source = jsonOf(await cli('sources', 'create', '--slug', 'errors', '--json'));
    expect(source.metadata.slug).toBe('http-api');
    const badType = await cli('destinations', 'create', '--source', source.id, '--type', 'webhooks');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('no destination type "webhooks" in the catalog. Did you mean: "Webhook"?');
    const destination = jsonOf(await cli('destinations', 'create', '--source', source.id, '--type', 'actions-webhook', '--disabled', '--json'));
    const badAction = await cli('subscriptions', 'create', destination.id, '--action', 'nope', '--trigger', 'type = "track"');
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('Webhook has no action "nope"; choose one of: send');
    const badTrigger = await cli('subscriptions', 'create', destination.id, '--action', 'send', '--trigger', 'type == "track"');
    expect(badTrigger.code).toBe(1);
    expect(badTrigger.stderr).toMatch(/\[field: trigger\] \(422 input-validation\)/);

    const down = await cli('sources', 'list', '--url', `http://127.0.0.1:${await closedPort()}`);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(down.stderr).toContain('Is the server running?');
  });
});
