// Runs the built CLI (`node bin/switchyard.js …`) the way a user does, with a private config file location.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));
const DIST_REMOTE = fileURLToPath(new URL('../../dist/cli/remote/run.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function requireBuild(): void {
  if (!existsSync(DIST_REMOTE)) throw new Error('dist/ is missing: run `npm run build` before this suite (npm test does)');
}

/** A home of its own: the config file lands in it, and nothing of the developer's leaks in. */
export function cliEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
  return { PATH: process.env.PATH ?? '', HOME: home, SWITCHYARD_CONFIG: path.join(home, 'switchyard.json'), ...extra };
}

export function runCli(env: Record<string, string>, args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: options.timeoutMs ?? 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  /** Resolves once stdout contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** Starts the CLI without waiting for it (for `tail`), exposing its output as it arrives. */
export function startCli(env: Record<string, string>, args: string[]): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const done = new Promise<CliResult>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    }),
  );
  return {
    done,
    async waitForOutput(text, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text) && !stderr.includes(text)) {
        if (Date.now() > deadline) throw new Error(`CLI output never contained "${text}":\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/** Parses the JSON a `--json` command printed, failing with its output when it did not succeed. */
export function jsonOf<T = any>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`CLI exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
