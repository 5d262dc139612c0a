// Turns what went wrong into a message a person can act on, and the exit code: 2 for misuse, 1 for API or
// network failures (with the envelope's type, message and field).
import { SwitchyardApiError, SwitchyardNetworkError } from '../../client/index.js';
import { CliUsageError, type CliOutput } from './command.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** node:util parseArgs reports unknown options and missing option values as ERR_PARSE_ARGS_* TypeErrors. */
export function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

function hintFor(error: SwitchyardApiError): string | undefined {
  if (error.status === 401) return 'Check the token: run "switchyard login", set SWITCHYARD_TOKEN, or pass --token.';
  if (error.status === 403) return 'This token cannot make changes (read-only); use an owner token.';
  if (error.status === 429) return 'Rate limited even after retrying; wait a minute and try again.';
  if (error.type !== 'not-found') return undefined;
  if (error.message.startsWith('Source with id')) return 'List the ids with "switchyard sources list".';
  if (error.message.startsWith('Destination with id')) return 'List the ids with "switchyard destinations list".';
  if (error.message.startsWith('Subscription with id')) return 'List the ids with "switchyard subscriptions list <destinationId>".';
  return undefined;
}

function describeApiError(error: SwitchyardApiError): string[] {
  const lines = error.errors.map((entry) => {
    const field = entry.field ? ` [field: ${entry.field}]` : '';
    return `switchyard: ${entry.message}${field} (${error.status} ${entry.type})`;
  });
  const hint = hintFor(error);
  return hint ? [...lines, hint] : lines;
}

export function reportError(io: CliOutput, raw: unknown, options: { json: boolean; command?: string; interrupted: boolean }): number {
  const error = isArgumentError(raw) ? new CliUsageError(raw.message, options.command) : raw;
  if (options.interrupted) return EXIT_INTERRUPTED;
  if (error instanceof CliUsageError) {
    io.err(`switchyard: ${error.message}`);
    const command = error.command ?? options.command;
    io.err(`Run "switchyard ${command ? `${command} ` : ''}--help" for usage.`);
    return EXIT_USAGE;
  }
  if (error instanceof SwitchyardApiError) {
    if (options.json) {
      const { status, type, message, field, errors } = error;
      io.err(JSON.stringify({ error: { status, type, message, ...(field ? { field } : {}), errors } }));
    } else {
      for (const line of describeApiError(error)) io.err(line);
    }
    return EXIT_FAILURE;
  }
  if (error instanceof SwitchyardNetworkError) {
    const reason = error.message.replace(/^.* failed: /, '');
    const target = new URL(error.url).origin;
    if (options.json) {
      io.err(JSON.stringify({ error: { type: 'network', message: `cannot reach ${target}: ${reason}` } }));
    } else {
      io.err(`switchyard: cannot reach ${target}: ${reason}`);
      io.err('Is the server running? Point the CLI at it with --url, SWITCHYARD_URL or "switchyard login --url <url>".');
    }
    return EXIT_FAILURE;
  }
  io.err(`switchyard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT_FAILURE;
}
