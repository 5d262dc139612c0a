// Where the remote commands find their server and token: flags first, then the environment, then the
// config file written by `switchyard login`, then the local default URL.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliUsageError } from './command.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface SavedConfig {
  url?: string;
  token?: string;
}

export type Origin = 'flag' | 'environment' | 'config file' | 'default';

export interface Connection {
  url: string;
  urlOrigin: Origin;
  token: string | undefined;
  tokenOrigin: Origin | undefined;
  configPath: string;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env): string {
  if (env.SWITCHYARD_CONFIG) return path.resolve(env.SWITCHYARD_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'switchyard', 'config.json');
}

export function readSavedConfig(file: string): SavedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw new CliUsageError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as SavedConfig;
    return {
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
      ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}),
    };
  } catch {
    throw new CliUsageError(`the config file ${file} is not valid JSON; fix it or run "switchyard login" again`);
  }
}

/** The token is a credential: the file is readable by its owner only. */
export function writeSavedConfig(file: string, config: SavedConfig): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`"${raw}" is not a URL; expected something like ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError(`the server URL must be http:// or https://, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

export function resolveConnection(flags: { url?: string | undefined; token?: string | undefined }, env: Env): Connection {
  const file = configPath(env);
  // The file is only read when a flag or variable leaves something open, so a broken file never blocks them.
  const saved = (flags.url ?? env.SWITCHYARD_URL) && (flags.token ?? env.SWITCHYARD_TOKEN) ? {} : readSavedConfig(file);
  const pick = (flag: string | undefined, envValue: string | undefined, savedValue: string | undefined) =>
    flag ? { value: flag, origin: 'flag' as const }
    : envValue ? { value: envValue, origin: 'environment' as const }
    : savedValue ? { value: savedValue, origin: 'config file' as const }
    : undefined;
  const url = pick(flags.url, env.SWITCHYARD_URL, saved.url) ?? { value: DEFAULT_URL, origin: 'default' as const };
  const token = pick(flags.token, env.SWITCHYARD_TOKEN, saved.token);
  return {
    url: normalizeUrl(url.value),
    urlOrigin: url.origin,
    token: token?.value,
    tokenOrigin: token?.origin,
    configPath: file,
  };
}
