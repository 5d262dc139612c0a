// The operator CLI (`node bin/switchyard.js`) against the SQLite data directory of a running server: tokens it
// creates work at once, tokens it revokes get 401 at once, workspaces it creates come with a working token.
// Runs the compiled CLI, so it needs `npm run build` first (`npm test` does that).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, expectOk, JAVASCRIPT_SOURCE, workspaceOf } from '../support/control-api.js';
import { startTestServer, type TestServer } from '../support/server.js';

const BIN = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));
const DIST_ENTRY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('switchyard CLI over a shared SQLite data directory', () => {
  let server: TestServer;
  let workspaceId: string;

  const cli = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      // Only what the CLI needs: no DATABASE_URL leaking in from the environment.
      const env = { PATH: process.env.PATH ?? '', SWITCHYARD_DATA_DIR: server.config.dataDir, LOG_LEVEL: 'warn' };
      execFile(process.execPath, [BIN, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  beforeAll(async () => {
    if (!existsSync(DIST_ENTRY)) throw new Error('dist/ is missing: run `npm run build` before this suite (npm test does)');
    server = await startTestServer('sqlite');
    workspaceId = (await workspaceOf(server)).id;
  });
  afterAll(() => server?.destroy());

  it('prints usage for --help, -h and no command, and exits 2 on misuse', async () => {
    for (const args of [['--help'], ['-h'], [], ['tokens', '--help']]) {
      const result = await cli(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: switchyard <command>');
      expect(result.stdout).toContain('tokens revoke <tokenId>');
    }
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badOption = await cli('tokens', 'create', '--bogus');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('--bogus');
    expect(badOption.stderr).not.toContain('    at ');
    const missing = await cli('tokens', 'revoke');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing token id');
  });

  it('creates a token that the running server accepts at once, then revokes it to a 401 at once', async () => {
    const created = await cli('tokens', 'create', '--label', 'deploy bot');
    expect(created.code, created.stderr).toBe(0);
    const [header, token] = created.stdout.trim().split('\n');
    const tokenId = /^Token (\S+) \(owner\) for workspace (\S+)/.exec(header!)?.[1];
    expect(header).toContain(`for workspace ${workspaceId}`);
    expect(tokenId).toMatch(/^[1-9A-HJ-NP-Za-km-z]{8}$/);
    expect(token).toMatch(/^\S{20,}$/);
    expect((await workspaceOf(server, token)).id).toBe(workspaceId);
    // Its actor string shows up in the audit trail.
    const source = expectOk(await call(server, '/sources', { method: 'POST', token, json: { slug: 'by-cli-token', enabled: true, metadataId: JAVASCRIPT_SOURCE } }), 201);
    const events = expectOk(await call(server, `/audit-events?resourceId=${source.source.id}`, { token })).events;
    expect(events[0].actor).toBe(`public-api-token/${tokenId}`);

    const listed = await cli('tokens', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${tokenId}  ${workspaceId}  owner  active  deploy bot$`, 'm'));

    const revoked = await cli('tokens', 'revoke', tokenId!);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Token ${tokenId} revoked.`);
    const refused = await call(server, '/', { token });
    expect(expectError(refused, 401, 'unauthorized')).toEqual([{ type: 'unauthorized', message: 'Invalid API token' }]);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expectOk(await call(server, '/'));

    expect((await cli('tokens', 'list')).stdout).toMatch(new RegExp(`^${tokenId}  ${workspaceId}  owner  revoked \\d{4}-\\d{2}-\\d{2}T`, 'm'));
    const again = await cli('tokens', 'revoke', tokenId!);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not found or already revoked');
  });

  it('creates read-only tokens that read but cannot write', async () => {
    const created = await cli('tokens', 'create', '--read-only', '--workspace', workspaceId);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('(read-only)');
    const token = created.stdout.trim().split('\n')[1]!;
    expectOk(await call(server, '/sources', { token }));
    const write = await call(server, '/sources', { method: 'POST', token, json: { slug: 'nope', enabled: true, metadataId: JAVASCRIPT_SOURCE } });
    expectError(write, 403, 'forbidden');
  });

  it('creates a workspace whose printed token works and sees only that workspace', async () => {
    const created = await cli('workspaces', 'create', 'Acme Corp');
    expect(created.code, created.stderr).toBe(0);
    const id = /^Workspace (\S+) \(acme-corp\) created\.$/m.exec(created.stdout)?.[1];
    const token = /^Owner token \(shown once\): (\S+)$/m.exec(created.stdout)?.[1];
    expect(id).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(await workspaceOf(server, token)).toEqual({ id, name: 'Acme Corp', slug: 'acme-corp' });
    expect(expectOk(await call(server, '/sources', { token })).pagination.totalEntries).toBe(0);

    const workspaces = await cli('workspaces', 'list');
    expect(workspaces.stdout).toMatch(new RegExp(`^${id}  acme-corp  Acme Corp$`, 'm'));
    expect(workspaces.stdout).toContain(workspaceId);
    const tokens = await cli('tokens', 'list', '--workspace', id!);
    expect(tokens.stdout.trim().split('\n')).toHaveLength(1);
    expect(tokens.stdout).toContain(`${id}  owner  active`);
  });

  it('refuses an unknown workspace and migrates idempotently', async () => {
    const unknown = await cli('tokens', 'create', '--workspace', 'noSuchWorkspace');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Workspace with id 'noSuchWorkspace' not found");
    const migrated = await cli('migrate');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('Database is at the latest schema (SQLite)');
    expectOk(await call(server, '/'));
  });
});
