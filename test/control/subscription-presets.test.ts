// Catalog presets applied as subscriptions: through the real CLI (SQLite; the PostgreSQL test server lives in
// a private schema the CLI cannot select) and through the service on both backends.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestinationCatalog } from '../../src/control/catalog/destination-catalog.js';
import type { SubscriptionPreset } from '../../src/control/catalog/catalog.types.js';
import { SubscriptionService } from '../../src/control/subscriptions/subscriptions.service.js';
import type { AuthContext } from '../../src/http/request-context.js';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  CLASSIC_AMPLITUDE_METADATA_ID,
  WEBHOOK_METADATA_ID,
  createDestination,
  createSource,
  errorsOf,
  webhookSendActionId,
  type WireSubscription,
} from './subscription-fixtures.js';

// Angler AI: 16 presets, one of which maps eventName to a value outside the field's choices (upstream bug).
const ANGLER_AI = '668d1cb2a1dcc5ad33228d92';
const BROKEN_PRESET = 'Save Event - Checkout Payment Info Submitted';
const CLI = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));
const run = promisify(execFile);

async function cli(server: TestServer, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHYARD_DATA_DIR: server.config.dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function listAll(server: TestServer, destinationId: string): Promise<WireSubscription[]> {
  const response = await server.api(`/destinations/${destinationId}/subscriptions?pagination.count=100`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { subscriptions: WireSubscription[] } }).data.subscriptions;
}

const operator = (workspaceId: string): AuthContext => ({ workspaceId, tokenId: 'cli', role: 'owner', actor: 'cli/apply-presets' });

describe('switchyard subscriptions apply-presets (CLI, sqlite)', () => {
  let server: TestServer;
  let sourceId: string;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    sourceId = await createSource(server);
    workspaceId = (await server.running.controlPlane.workspaces.list())[0]!.id;
  });
  afterAll(() => server.destroy());

  it('creates the preset subscriptions, skips and reports the broken one, and is safe to rerun', async () => {
    const destinationId = await createDestination(server, sourceId, ANGLER_AI);
    const presets = server.running.controlPlane.catalog.get(ANGLER_AI)!.metadata.presets;
    const entry = server.running.controlPlane.catalog.get(ANGLER_AI)!;

    const first = await cli(server, 'subscriptions', 'apply-presets', destinationId);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('Created subscription '))).toHaveLength(presets.length - 1);
    const skipped = lines.filter((l) => l.startsWith('Skipped preset '));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(`"${BROKEN_PRESET}"`);
    expect(skipped[0]).toContain('"settings.eventName" must be one of');

    const subscriptions = await listAll(server, destinationId);
    expect(subscriptions).toHaveLength(presets.length - 1);
    for (const preset of presets.filter((p) => p.name !== BROKEN_PRESET)) {
      const made = subscriptions.find((s) => s.name === preset.name);
      expect(made, preset.name).toMatchObject({
        actionId: preset.actionId,
        actionSlug: entry.actionsById.get(preset.actionId)!.slug,
        trigger: preset.trigger,
        enabled: true,
        settings: preset.fields,
        destinationId,
      });
      expect('modelId' in made!).toBe(false);
    }

    const audit = await server.api(`/audit-events?resourceType=subscription&resourceId=${subscriptions[0]!.id}`);
    const events = ((await audit.json()) as { data: { events: { type: string; actor: string }[] } }).data.events;
    expect(events).toEqual([expect.objectContaining({ type: 'Destination Subscription Created', actor: 'cli/apply-presets' })]);

    const again = await cli(server, 'subscriptions', 'apply-presets', destinationId);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('Created');
    expect(again.stdout.match(/^Already present: /gm)).toHaveLength(presets.length - 1);
    expect(again.stdout).toContain(`Skipped preset "${BROKEN_PRESET}"`);
    expect(await listAll(server, destinationId)).toHaveLength(presets.length - 1);
  });

  it('says so when the catalog entry has no presets (classic destination)', async () => {
    const destinationId = await createDestination(server, sourceId, CLASSIC_AMPLITUDE_METADATA_ID);
    const result = await cli(server, 'subscriptions', 'apply-presets', destinationId);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('No presets to apply: the catalog entry has none.');
  });

  it('fails with a clear message for an unknown destination', async () => {
    const result = await cli(server, 'subscriptions', 'apply-presets', 'nOsUcHdEsTiNaTiOn');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Destination with id 'nOsUcHdEsTiNaTiOn' not found");
  });

  it('respects the workspace feature flag, toggled through the CLI as well', async () => {
    const destinationId = await createDestination(server, sourceId, ANGLER_AI);
    const off = await cli(server, 'workspaces', 'subscriptions', workspaceId, 'off');
    expect(off.code, off.stderr).toBe(0);
    expect((await server.api(`/destinations/${destinationId}/subscriptions`)).status).toBe(403);
    const refused = await cli(server, 'subscriptions', 'apply-presets', destinationId);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`switchyard workspaces subscriptions ${workspaceId} on`);
    const on = await cli(server, 'workspaces', 'subscriptions', workspaceId, 'on');
    expect(on.code, on.stderr).toBe(0);
    expect(await listAll(server, destinationId)).toEqual([]);
  });
});

describe.each(BACKENDS)('SubscriptionService.applyPresets [%s]', (backend) => {
  let server: TestServer;
  let sourceId: string;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    sourceId = await createSource(server);
    workspaceId = (await server.running.controlPlane.workspaces.list())[0]!.id;
  });
  afterAll(() => server.destroy());

  it('applies the catalog presets and reports the one it skipped', async () => {
    const destinationId = await createDestination(server, sourceId, ANGLER_AI);
    const row = await server.running.controlPlane.destinations.require(workspaceId, destinationId);
    const result = await server.running.controlPlane.subscriptions.applyPresets(operator(workspaceId), row);
    const presets = server.running.controlPlane.catalog.get(ANGLER_AI)!.metadata.presets;
    expect(result.created).toHaveLength(presets.length - 1);
    expect(result.createdDisabled).toEqual([]);
    expect(result.skipped).toEqual([{ name: BROKEN_PRESET, reasons: [expect.stringContaining('"settings.eventName" must be one of')] }]);
    expect(result.existing).toEqual([]);
    expect(await listAll(server, destinationId)).toHaveLength(presets.length - 1);
    const rerun = await server.running.controlPlane.subscriptions.applyPresets(operator(workspaceId), row);
    expect(rerun.created).toEqual([]);
    expect(rerun.existing).toHaveLength(presets.length - 1);
  });

  it('creates a preset lacking required fields disabled, and skips malformed ones without aborting', async () => {
    const webhook = server.running.controlPlane.catalog.get(WEBHOOK_METADATA_ID)!;
    const send = webhookSendActionId(server);
    const presets: SubscriptionPreset[] = [
      { actionId: send, name: 'bad trigger', trigger: 'event == "x"', fields: { url: 'https://x.example' } },
      { actionId: send, name: 'complete', trigger: 'type = "track"', fields: { url: 'https://x.example', method: 'PUT' } },
      { actionId: send, name: 'no url', trigger: 'type = "identify"', fields: { method: 'POST' } },
      { actionId: send, name: 'bad mapping', trigger: 'type = "page"', fields: { url: 'https://x.example', method: 'GET' } },
      { actionId: 'gone', name: 'unknown action', trigger: 'type = "page"', fields: {} },
    ];
    const catalog = new DestinationCatalog([
      {
        metadata: { ...webhook.metadata, presets },
        readOnlyOptions: [...webhook.readOnlyOptions],
        runtimeDirectory: webhook.runtimeDirectory,
      },
    ]);
    const service = new SubscriptionService(server.running.storage.db, catalog, server.running.controlPlane.destinations);
    const destinationId = await createDestination(server, sourceId);
    const row = await server.running.controlPlane.destinations.require(workspaceId, destinationId);

    const result = await service.applyPresets(operator(workspaceId), row);
    expect(result.created.map((s) => [s.name, s.enabled])).toEqual([['complete', true]]);
    expect(result.createdDisabled).toHaveLength(1);
    expect(result.createdDisabled[0]!.subscription).toMatchObject({ name: 'no url', enabled: false, settings: { method: 'POST' } });
    expect(result.createdDisabled[0]!.reasons).toEqual(['"settings.url" is required when the subscription is enabled']);
    expect(result.skipped).toEqual([
      { name: 'bad trigger', reasons: [expect.stringContaining('uses "=="')] },
      { name: 'bad mapping', reasons: [expect.stringContaining('"settings.method" must be one of')] },
      { name: 'unknown action', reasons: ['action gone is not part of this catalog entry'] },
    ]);

    const listed = await listAll(server, destinationId);
    expect(listed.map((s) => s.name).sort()).toEqual(['complete', 'no url']);
    // The disabled one cannot be enabled until its mapping is completed.
    const noUrl = listed.find((s) => s.name === 'no url')!;
    const path = `/destinations/${destinationId}/subscriptions/${noUrl.id}`;
    const enable = await server.api(path, { method: 'PATCH', json: { input: { enabled: true } } });
    expect(enable.status).toBe(422);
    expect((await errorsOf(enable))[0]!.field).toBe('input.settings.url');
    const completed = await server.api(path, { method: 'PATCH', json: { input: { enabled: true, settings: { url: 'https://y.example' } } } });
    expect(completed.status).toBe(200);
  });
});
