// Runs one remote command: parse its options strictly, print help when asked, build the client lazily, and map
// failures to exit codes (0 ok, 1 API or network error, 2 usage).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClient, type SwitchyardClient } from '../../client/index.js';
import { CliUsageError, type CliOutput, type Command, type CommandContext, type OptionSpec, type ParsedArgs } from './command.js';
import { commandWords, findCommand, findGroup, GLOBAL_OPTIONS } from './commands.js';
import { resolveConnection } from './connection.js';
import { commandHelp, groupHelp } from './help.js';
import { EXIT_OK, EXIT_USAGE, reportError } from './report-error.js';

export { isRemoteCommand } from './commands.js';
export { remoteUsageSection } from './help.js';

export interface RemoteIo extends CliOutput {
  env: Record<string, string | undefined>;
}

const processIo: RemoteIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  env: process.env,
};

function parseOptions(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
}

function checkArity(command: Command, positionals: string[]): void {
  const name = command.path.join(' ');
  const required = command.args.filter((arg) => !arg.endsWith('?'));
  if (positionals.length < required.length) {
    throw new CliUsageError(`missing ${required.slice(positionals.length).join(' ')}`, name);
  }
  if (positionals.length > command.args.length) {
    throw new CliUsageError(`unexpected argument "${positionals[command.args.length]}"`, name);
  }
}

function makeContext(io: RemoteIo, values: Record<string, unknown>, signal: AbortSignal): CommandContext {
  const flags = { url: values.url as string | undefined, token: values.token as string | undefined };
  let connection: ReturnType<typeof resolveConnection> | undefined;
  let client: SwitchyardClient | undefined;
  const resolve = () => (connection ??= resolveConnection(flags, io.env));
  return {
    out: io.out,
    err: io.err,
    json: values.json === true,
    env: io.env,
    signal,
    baseUrl: () => resolve().url,
    client() {
      if (client) return client;
      const { url, token } = resolve();
      if (!token) throw new CliUsageError('no API token: run "switchyard login", set SWITCHYARD_TOKEN, or pass --token <token>', 'login');
      client = createClient({
        baseUrl: url,
        token,
        userAgent: 'switchyard-cli',
        // Short first steps: a person is waiting, and a server that is down should be reported quickly.
        retryBaseMs: 250,
        onRetry: ({ status, delayMs, attempt }) => {
          const reason = status === 429 ? 'rate limited' : status ? `server answered ${status}` : 'request failed';
          const wait = delayMs < 1000 ? `${delayMs} ms` : `${Math.ceil(delayMs / 1000)} s`;
          io.err(`switchyard: ${reason}; retry ${attempt} in ${wait}`);
        },
      });
      return client;
    },
  };
}

export async function runRemoteCommand(argv: string[], io: RemoteIo = processIo): Promise<number> {
  const words = commandWords(argv);
  const command = findCommand(words);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const json = argv.includes('--json');
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    if (!command) {
      const group = findGroup(words);
      if (group && wantsHelp) return io.out(groupHelp(group)), EXIT_OK;
      if (group) {
        io.err(words[1] ? `switchyard: unknown command "${group.name} ${words[1]}"` : `switchyard: ${group.name} needs a command`);
        io.err(groupHelp(group));
        return EXIT_USAGE;
      }
      throw new CliUsageError(`unknown command "${words.join(' ')}"`);
    }
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: parseOptions({ ...GLOBAL_OPTIONS, ...command.options }),
    });
    if (parsed.values.help === true) return io.out(commandHelp(command)), EXIT_OK;
    const positionals = parsed.positionals.slice(command.path.length);
    checkArity(command, positionals);
    const ctx = makeContext(io, parsed.values, controller.signal);
    await command.run(ctx, { values: parsed.values as ParsedArgs['values'], positionals });
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, { json, interrupted: controller.signal.aborted, ...(command ? { command: command.path.join(' ') } : {}) });
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** Entry used by main.ts and the bin script: sets the exit code instead of exiting, so output is flushed. */
export async function remoteMain(argv: string[]): Promise<void> {
  process.exitCode = await runRemoteCommand(argv);
}
