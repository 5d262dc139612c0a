// `switchyard <command>`: the server and the operator commands.
import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from '../config/config.js';
import { AppError } from '../control/errors.js';
import { createLogger } from '../main/logger.js';
import { startSwitchyard, type ProcessRole } from '../main/server.js';
import * as admin from './admin-commands.js';
import { replayCommand } from './replay-command.js';
import { isRemoteCommand, remoteMain, remoteUsageSection } from './remote/run.js';

const USAGE = `Usage: switchyard <command> [options]

Server
  serve [--role all|api|worker]        Start Switchyard (default role: all)
  migrate                              Bring the database schema up to date

${remoteUsageSection()}

Workspaces and tokens
  workspaces create <name>             Create a workspace and print its owner token
  workspaces list                      List workspaces
  workspaces subscriptions <id> on|off Turn the destination subscriptions feature on or off
  tokens create [--workspace <id>] [--read-only] [--label <text>]
  tokens list [--workspace <id>]
  tokens revoke <tokenId>              Revoke a token (it gets 401 at once)

Subscriptions
  subscriptions apply-presets <destinationId>
                                       Create the catalog entry's default subscriptions

Dead letters
  replay --destination <id> [--subscription <id>] [--reason <code>] [--since <RFC 3339>] [--until <RFC 3339>]
                                       Queue failed deliveries again (each dead letter once)

Configuration comes from the environment: PORT, HOST, SWITCHYARD_DATA_DIR, DATABASE_URL,
SWITCHYARD_BOOTSTRAP_TOKEN, SWITCHYARD_RATE_LIMIT, SWITCHYARD_RATE_LIMIT_SUBSCRIPTION_WRITES, LOG_LEVEL.
`;

const ROLES: ProcessRole[] = ['all', 'api', 'worker'];
const out = (line: string) => process.stdout.write(`${line}\n`);

class UsageError extends Error {}

async function serve(role: string) {
  if (!ROLES.includes(role as ProcessRole)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const running = await startSwitchyard(config, logger, { role: role as ProcessRole });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function run(argv: string[]): Promise<void> {
  if (isRemoteCommand(argv)) return remoteMain(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string', default: 'all' },
      workspace: { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      label: { type: 'string' },
      destination: { type: 'string' },
      subscription: { type: 'string' },
      reason: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, arg, extra] = positionals;
  if (values.help || !command) return void out(USAGE);
  const need = (value: string | undefined, what: string) => {
    if (!value) throw new UsageError(`missing ${what}`);
    return value;
  };
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'serve':
      return serve(values.role);
    case 'migrate':
      return admin.migrateCommand(readConfig(), out);
    case 'workspaces create':
      return admin.createWorkspaceCommand(readConfig(), out, need(arg, 'workspace name'));
    case 'workspaces list':
      return admin.listWorkspacesCommand(readConfig(), out);
    case 'workspaces subscriptions': {
      if (extra !== 'on' && extra !== 'off') throw new UsageError('expected on or off');
      return admin.setSubscriptionsFeatureCommand(readConfig(), out, need(arg, 'workspace id'), extra === 'on');
    }
    case 'tokens create':
      return admin.createTokenCommand(readConfig(), out, {
        readOnly: values['read-only'],
        ...(values.workspace ? { workspace: values.workspace } : {}),
        ...(values.label ? { label: values.label } : {}),
      });
    case 'tokens list':
      return admin.listTokensCommand(readConfig(), out, values.workspace);
    case 'tokens revoke':
      return admin.revokeTokenCommand(readConfig(), out, need(arg, 'token id'));
    case 'subscriptions apply-presets':
      return admin.applyPresetsCommand(readConfig(), out, need(arg, 'destination id'));
    case 'replay':
      return replayCommand(readConfig(), out, {
        destination: need(values.destination, '--destination'),
        ...(values.subscription !== undefined ? { subscription: values.subscription } : {}),
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
        ...(values.since !== undefined ? { since: values.since } : {}),
        ...(values.until !== undefined ? { until: values.until } : {}),
      });
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

/** node:util parseArgs reports unknown options and missing option values as ERR_PARSE_ARGS_* TypeErrors. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

run(process.argv.slice(2)).catch((raw: unknown) => {
  const error = isArgumentError(raw) ? new UsageError(raw.message) : raw;
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof AppError) {
    process.stderr.write(`switchyard: ${error.message}\n`);
    if (error instanceof UsageError) process.stderr.write(`Run "switchyard --help" for usage.\n`);
  } else {
    process.stderr.write(`switchyard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(error instanceof UsageError ? 2 : 1);
});
