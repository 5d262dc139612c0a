// The shape of a remote CLI command (one that talks to a server through the client) and the small argument
// helpers they share.
import { readFileSync } from 'node:fs';
import type { SwitchyardClient } from '../../client/index.js';

/** Bad invocation: exit code 2 and a pointer to `--help`. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    /** The command whose help explains the fix, e.g. `sources create`. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `<id>`. */
  value?: string;
  help: string;
}

export interface CliOutput {
  /** One line (or block) to stdout. */
  out(text: string): void;
  /** One line to stderr. */
  err(text: string): void;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandContext extends CliOutput {
  json: boolean;
  env: Record<string, string | undefined>;
  /** The client for the resolved server URL and token; throws a usage error when no token is configured. */
  client(): SwitchyardClient;
  /** Base URL the client talks to (for the Tracking API and messages). */
  baseUrl(): string;
  /** Aborted on Ctrl-C, so long-running commands can stop cleanly. */
  signal: AbortSignal;
}

export interface Command {
  /** Words after `switchyard`, e.g. `['sources', 'list']`. */
  path: string[];
  /** Positional arguments after the path, e.g. `<sourceId>`; a trailing `?` marks one optional. */
  args: string[];
  summary: string;
  /** Shorter summary for the top-level usage, when `summary` is too long for it. */
  usageSummary?: string;
  /** Extra help text shown under the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  run(ctx: CommandContext, args: ParsedArgs): Promise<void>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(args: ParsedArgs, name: string, command: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value === '') throw new CliUsageError(`missing --${name}`, command);
  return value;
}

export function integerOption(args: ParsedArgs, name: string, command: string, range: { min: number; max: number }): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < range.min || value > range.max) {
    throw new CliUsageError(`--${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`, command);
  }
  return value;
}

/** `--enable` / `--disable` as a tri-state. */
export function enabledFlag(args: ParsedArgs, command: string): boolean | undefined {
  const enable = args.values.enable === true;
  const disable = args.values.disable === true;
  if (enable && disable) throw new CliUsageError('--enable and --disable cannot be combined', command);
  return enable ? true : disable ? false : undefined;
}

/** A JSON object given inline (`'{"a":1}'`) or as `@path/to/file.json`. */
export function jsonObjectOption(args: ParsedArgs, name: string, command: string): Record<string, unknown> | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (error) {
      throw new CliUsageError(`--${name}: cannot read ${raw.slice(1)} (${(error as Error).message})`, command);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--${name} must be a JSON object: ${(error as Error).message}`, command);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`--${name} must be a JSON object, e.g. '{"key":"value"}'`, command);
  }
  return parsed as Record<string, unknown>;
}

/** Repeated `--field key=value` pairs; a value that parses as JSON (number, object, true) is used as such. */
export function fieldPairs(args: ParsedArgs, name: string, command: string): Record<string, unknown> {
  const raw = args.values[name];
  const pairs = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const fields: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`--${name} expects key=value, got "${pair}"`, command);
    const value = pair.slice(eq + 1);
    fields[pair.slice(0, eq)] = parseLoose(value);
  }
  return fields;
}

function parseLoose(value: string): unknown {
  if (!/^[[{\d"-]|^(true|false|null)$/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
