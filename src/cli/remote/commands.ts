// The remote commands (they talk to a server through switchyard/client) and how argv selects one. Kept free of
// server code so `switchyard sources list` starts in a fraction of the time `serve` needs to load.
import { catalogCommands } from './catalog.js';
import type { Command, OptionSpec } from './command.js';
import { destinationCommands } from './destinations.js';
import { loginCommand, logoutCommand, whoamiCommand } from './login.js';
import { metricsCommand } from './metrics.js';
import { sendCommand } from './send.js';
import { sourceCommands } from './sources.js';
import { subscriptionCommands } from './subscriptions.js';
import { tailCommand } from './tail.js';

export const COMMANDS: readonly Command[] = [
  loginCommand,
  logoutCommand,
  whoamiCommand,
  ...sourceCommands,
  ...destinationCommands,
  ...subscriptionCommands,
  ...catalogCommands,
  sendCommand,
  metricsCommand,
  tailCommand,
];

export interface CommandGroup {
  name: string;
  summary: string;
  /** Summary in the top-level usage. */
  usageSummary: string;
  /** Subcommands of the group served elsewhere (the operator commands in main.ts). */
  operatorLines?: string[];
}

export const GROUPS: readonly CommandGroup[] = [
  { name: 'sources', summary: 'Sources: where events come in', usageSummary: 'Manage sources' },
  { name: 'destinations', summary: 'Destinations: where events go', usageSummary: 'Manage destinations' },
  {
    name: 'subscriptions',
    summary: "Subscriptions: which events reach which of a destination's actions, and how they are mapped",
    usageSummary: "Manage a destination's subscriptions",
    operatorLines: ["apply-presets <destinationId>  Create the catalog entry's default subscriptions (operator command: works on the database, no token)"],
  },
  { name: 'catalog', summary: 'The catalog of source and destination types', usageSummary: 'Browse the source and destination types' },
];

/** Subcommands that belong to the operator CLI even though their group is remote. */
const OPERATOR_SUBCOMMANDS: Record<string, string[]> = { subscriptions: ['apply-presets'] };

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: { type: 'string', value: '<url>', help: 'Server URL (else $SWITCHYARD_URL, the saved login, or http://127.0.0.1:8080)' },
  token: { type: 'string', value: '<token>', help: 'API token (else $SWITCHYARD_TOKEN, or the saved login)' },
  json: { type: 'boolean', help: 'Print JSON for scripts instead of tables' },
  help: { type: 'boolean', short: 'h', help: 'Show help' },
};

const STRING_GLOBALS = new Set(['--url', '--token']);

/** The non-option words of argv (`sources`, `get`, `<id>`), skipping the values of --url and --token. */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('-')) {
      if (STRING_GLOBALS.has(arg)) i += 1;
      continue;
    }
    words.push(arg);
  }
  return words;
}

export function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((command) => command.path.every((part, i) => words[i] === part));
}

export function findGroup(words: readonly string[]): CommandGroup | undefined {
  return GROUPS.find((group) => group.name === words[0]);
}

/** Whether argv names a remote command (or a remote group, for its help); the rest is the operator CLI's. */
export function isRemoteCommand(argv: readonly string[]): boolean {
  const [first, second] = commandWords(argv);
  if (first === undefined) return false;
  if (second !== undefined && OPERATOR_SUBCOMMANDS[first]?.includes(second)) return false;
  return COMMANDS.some((command) => command.path[0] === first);
}
