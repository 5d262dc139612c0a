// The remote CLI without a server: --help for every command and group, usage errors (exit 2), and the split
// between remote commands and the operator commands that main.ts keeps.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, GROUPS, isRemoteCommand } from '../../src/cli/remote/commands.js';
import { cliEnvironment, requireBuild, runCli } from './run-cli.js';

describe('switchyard remote CLI: help and usage', () => {
  const env = cliEnvironment();
  beforeAll(requireBuild);

  it('lists the remote commands beside the operator ones in the top-level usage', async () => {
    for (const args of [['--help'], ['-h'], []]) {
      const result = await runCli(env, args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: switchyard <command>');
      for (const line of ['login', 'sources list|get|create|update|delete', 'destinations list|get|create|update|delete', 'metrics <destinationId>', 'tail <sourceId>']) {
        expect(result.stdout).toContain(line);
      }
      // The operator commands are still there.
      expect(result.stdout).toContain('tokens revoke <tokenId>');
      expect(result.stdout).toContain('subscriptions apply-presets <destinationId>');
    }
  });

  it('prints help for every command, naming each of its options', async () => {
    const results = await Promise.all(COMMANDS.map((command) => runCli(env, [...command.path, '--help'])));
    COMMANDS.forEach((command, i) => {
      const { code, stdout, stderr } = results[i]!;
      expect(code, `${command.path.join(' ')} --help: ${stderr}`).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: switchyard ${command.path.join(' ')}`));
      expect(stdout).toContain(command.summary);
      for (const option of [...Object.keys(command.options), 'url', 'token', 'json', 'help']) expect(stdout).toContain(`--${option}`);
    });
    // -h works too, anywhere on the line.
    const short = await runCli(env, ['sources', 'create', '--slug', 'x', '-h']);
    expect(short.stdout).toMatch(/^Usage: switchyard sources create/);
  });

  it('prints help for every command group, including the operator subcommand of subscriptions', async () => {
    for (const group of GROUPS) {
      const result = await runCli(env, [group.name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: switchyard ${group.name} <command>`));
      for (const command of COMMANDS.filter((c) => c.path[0] === group.name)) expect(result.stdout).toContain(`  ${command.path[1]}`);
    }
    expect((await runCli(env, ['subscriptions', '--help'])).stdout).toContain('apply-presets <destinationId>');
  });

  it('exits 2 with a pointer to the right help on misuse', async () => {
    const cases: Array<[string[], string, string]> = [
      [['sources'], 'sources needs a command', 'Usage: switchyard sources <command>'],
      [['destinations', 'frob'], 'unknown command "destinations frob"', 'Usage: switchyard destinations <command>'],
      [['sources', 'get'], 'missing <sourceId>', 'switchyard sources get --help'],
      [['sources', 'get', 'a', 'b'], 'unexpected argument "b"', 'switchyard sources get --help'],
      [['sources', 'list', '--bogus'], "Unknown option '--bogus'", 'switchyard sources list --help'],
      [['sources', 'update', 'someId'], 'nothing to change', 'switchyard sources update --help'],
      [['sources', 'create', '--slug', 'x', '--settings', '[1]'], '--settings must be a JSON object', 'switchyard sources create --help'],
      [['metrics', 'someId', '--granularity', 'WEEK'], '--granularity must be MINUTE, HOUR or DAY', 'switchyard metrics --help'],
      [['metrics', 'someId', '--granularity', 'DAY', '--windows', '30'], '--windows must be a whole number from 1 to 14', 'switchyard metrics --help'],
      [['tail', 'someId', '--limit', '0'], '--limit must be a whole number', 'switchyard tail --help'],
      [['destinations', 'update', 'someId', '--enable', '--disable'], '--enable and --disable cannot be combined', 'switchyard destinations update --help'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(env, args)));
    cases.forEach(([args, message, pointer], i) => {
      const { code, stdout, stderr } = results[i]!;
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toContain(message);
      expect(stderr + stdout, args.join(' ')).toContain(pointer);
      expect(stderr).not.toContain('    at ');
    });
  });

  it('explains how to log in when no token is configured', async () => {
    const result = await runCli(env, ['sources', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no API token: run "switchyard login", set SWITCHYARD_TOKEN, or pass --token <token>');
  });

  it('leaves the operator commands to main.ts', () => {
    expect(isRemoteCommand(['subscriptions', 'apply-presets', 'd1'])).toBe(false);
    for (const args of [['serve'], ['migrate'], ['tokens', 'list'], ['workspaces', 'create', 'x'], ['replay', '--destination', 'd'], ['--help'], []]) {
      expect(isRemoteCommand(args), args.join(' ')).toBe(false);
    }
    for (const args of [['subscriptions', 'list', 'd1'], ['subscriptions'], ['sources', '--help'], ['--url', 'http://x', 'tail', 's1'], ['login']]) {
      expect(isRemoteCommand(args), args.join(' ')).toBe(true);
    }
  });
});
