// `--help` texts of the remote commands, their groups, and the section the top-level usage lists them in.
import type { Command, OptionSpec } from './command.js';
import { COMMANDS, GLOBAL_OPTIONS, GROUPS, type CommandGroup } from './commands.js';

function optionLines(options: Record<string, OptionSpec>): string[] {
  const left = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, spec.help] as const;
  });
  const width = Math.max(...left.map(([flag]) => flag.length));
  return left.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
}

export function usageLine(command: Command): string {
  const options = Object.keys(command.options).length > 0 ? ' [options]' : '';
  return `switchyard ${[...command.path, ...command.args].join(' ')}${options}`;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary];
  if (command.description) lines.push('', command.description);
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  return lines.join('\n');
}

export function groupHelp(group: CommandGroup): string {
  const members = COMMANDS.filter((command) => command.path[0] === group.name);
  const entries = members.map((command) => [[command.path[1], ...command.args].join(' '), command.summary] as const);
  const operator = (group.operatorLines ?? []).map((line) => {
    const [left, ...rest] = line.split('  ');
    return [left!, rest.join('  ').trim()] as const;
  });
  const width = Math.max(...[...entries, ...operator].map(([left]) => left.length));
  return [
    `Usage: switchyard ${group.name} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...[...entries, ...operator].map(([left, summary]) => `  ${left.padEnd(width)}  ${summary}`),
    '',
    `Run "switchyard ${group.name} <command> --help" for a command's options.`,
  ].join('\n');
}

/** Matches the column of the operator commands in main.ts's usage. */
const USAGE_COLUMN = 36;

/** The block of the top-level usage that lists the remote commands. */
export function remoteUsageSection(): string {
  const rows: Array<[string, string]> = [];
  const listedGroups = new Set<string>();
  for (const command of COMMANDS) {
    const group = GROUPS.find((g) => g.name === command.path[0]);
    if (!group) {
      rows.push([[...command.path, ...command.args].join(' '), command.usageSummary ?? command.summary]);
    } else if (!listedGroups.has(group.name)) {
      listedGroups.add(group.name);
      const subcommands = COMMANDS.filter((c) => c.path[0] === group.name).map((c) => c.path[1]);
      rows.push([`${group.name} ${subcommands.join('|')}`, group.usageSummary]);
    }
  }
  // Left parts wider than the column get their summary on the next line, as main.ts does.
  const line = ([left, summary]: [string, string]) =>
    left.length < USAGE_COLUMN ? `  ${left.padEnd(USAGE_COLUMN)} ${summary}` : `  ${left}\n  ${' '.repeat(USAGE_COLUMN)} ${summary}`;
  return [
    'Remote commands (through a running server\'s Public API)',
    ...rows.map(line),
    '  The server URL and token come from --url/--token, SWITCHYARD_URL/SWITCHYARD_TOKEN, or the file',
    '  "switchyard login" writes. Every remote command takes --json and --help.',
  ].join('\n');
}
