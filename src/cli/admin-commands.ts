// Operator commands that work directly on the database (they need no running server and no API token).
import type { Config } from '../config/config.js';
import { loadDestinationCatalog } from '../control/catalog/destination-catalog.js';
import { AppError } from '../control/errors.js';
import type { AuthContext } from '../http/request-context.js';
import { createControlPlane, type ControlPlane } from '../main/control-plane.js';
import { createLogger } from '../main/logger.js';
import { openMigratedStorage } from '../main/server.js';

export type Output = (line: string) => void;

async function withControlPlane<T>(config: Config, work: (cp: ControlPlane) => Promise<T>): Promise<T> {
  const storage = await openMigratedStorage(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
  try {
    return await work(createControlPlane(storage.db, loadDestinationCatalog()));
  } finally {
    await storage.close();
  }
}

export async function migrateCommand(config: Config, out: Output): Promise<void> {
  const storage = await openMigratedStorage(config, createLogger('silent'));
  await storage.close();
  out(`Database is at the latest schema (${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}).`);
}

export function createWorkspaceCommand(config: Config, out: Output, name: string): Promise<void> {
  return withControlPlane(config, async (cp) => {
    const { workspace, token } = await cp.workspaces.create(name);
    out(`Workspace ${workspace.id} (${workspace.slug}) created.`);
    out(`Owner token (shown once): ${token.token}`);
  });
}

export function listWorkspacesCommand(config: Config, out: Output): Promise<void> {
  return withControlPlane(config, async (cp) => {
    for (const w of await cp.workspaces.list()) {
      out(`${w.id}  ${w.slug}  ${w.name}${w.subscriptions_enabled ? '' : '  (subscriptions disabled)'}`);
    }
  });
}

export function setSubscriptionsFeatureCommand(config: Config, out: Output, workspaceId: string, enabled: boolean) {
  return withControlPlane(config, async (cp) => {
    await cp.workspaces.setSubscriptionsEnabled(workspaceId, enabled);
    out(`Destination subscriptions ${enabled ? 'enabled' : 'disabled'} for workspace ${workspaceId}.`);
  });
}

export function createTokenCommand(config: Config, out: Output, options: { workspace?: string; readOnly: boolean; label?: string }) {
  return withControlPlane(config, async (cp) => {
    const workspaceId = options.workspace ?? (await cp.workspaces.list())[0]?.id;
    if (!workspaceId) throw new AppError('not-found', 'No workspace exists yet: start the server once or run `switchyard workspaces create <name>`');
    await cp.workspaces.get(workspaceId);
    const token = await cp.tokens.issue(workspaceId, { role: options.readOnly ? 'read-only' : 'owner', label: options.label ?? '' });
    out(`Token ${token.id} (${token.role}) for workspace ${workspaceId} (shown once):`);
    out(token.token);
  });
}

export function listTokensCommand(config: Config, out: Output, workspace?: string) {
  return withControlPlane(config, async (cp) => {
    for (const t of await cp.tokens.list(workspace)) {
      const state = t.revoked_at ? `revoked ${new Date(t.revoked_at).toISOString()}` : 'active';
      out(`${t.id}  ${t.workspace_id}  ${t.role}  ${state}  ${t.label}`);
    }
  });
}

export function revokeTokenCommand(config: Config, out: Output, id: string) {
  return withControlPlane(config, async (cp) => {
    await cp.tokens.revoke(id);
    out(`Token ${id} revoked.`);
  });
}

export function applyPresetsCommand(config: Config, out: Output, destinationId: string) {
  return withControlPlane(config, async (cp) => {
    const row = await cp.destinations.findAnywhere(destinationId);
    const actor: AuthContext = { workspaceId: row.workspace_id, tokenId: 'cli', role: 'owner', actor: 'cli/apply-presets' };
    const result = await cp.subscriptions.applyPresets(actor, row);
    const describe = (s: { id: string; name: string; actionSlug: string; trigger: string }) =>
      `subscription ${s.id} "${s.name}" (${s.actionSlug}) trigger: ${s.trigger}`;
    for (const s of result.created) out(`Created ${describe(s)}`);
    for (const { subscription, reasons } of result.createdDisabled) {
      out(`Created disabled ${describe(subscription)}; complete it before enabling: ${reasons.join('; ')}`);
    }
    for (const { name, reasons } of result.skipped) out(`Skipped preset "${name}": ${reasons.join('; ')}`);
    for (const name of result.existing) out(`Already present: "${name}"`);
    if (result.created.length + result.createdDisabled.length + result.skipped.length + result.existing.length === 0) {
      out('No presets to apply: the catalog entry has none.');
    }
  });
}
