// `switchyard login`, `logout` and `whoami`: saving, forgetting and checking the server URL and token.
import { createClient } from '../../client/index.js';
import { CliUsageError, stringOption, type Command } from './command.js';
import { readSavedConfig, resolveConnection, writeSavedConfig } from './connection.js';
import { printJson, renderDetails } from './output.js';

/** Reads one line from a terminal without echoing it (the token is a secret). */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.trim());
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new CliUsageError('login cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function tokenFromUser(): Promise<string> {
  const token = process.stdin.isTTY ? await promptHidden('API token: ') : await readStdin();
  if (!token) throw new CliUsageError('no token given: pass --token <token>, set SWITCHYARD_TOKEN, or type it when asked', 'login');
  return token;
}

export const loginCommand: Command = {
  path: ['login'],
  args: [],
  summary: 'Check a server URL and token, and save them for the other commands',
  usageSummary: 'Check and save the server URL and token',
  description:
    'The token comes from --token, SWITCHYARD_TOKEN, a prompt (on a terminal) or standard input (when piped).\n' +
    'It is checked against the server before anything is saved. The config file is $SWITCHYARD_CONFIG,\n' +
    'or ~/.config/switchyard/config.json, and is readable by you only.',
  options: {},
  examples: ['switchyard login --url http://127.0.0.1:8080 --token <token>', 'echo "$TOKEN" | switchyard login --url https://switchyard.internal'],
  async run(ctx, args) {
    const connection = resolveConnection({ url: stringOption(args, 'url'), token: stringOption(args, 'token') }, ctx.env);
    // A saved token is not reused: running login again is how a token is replaced.
    const token = connection.tokenOrigin === 'flag' || connection.tokenOrigin === 'environment' ? connection.token! : await tokenFromUser();
    const client = createClient({ baseUrl: connection.url, token, maxRetries: 2, userAgent: 'switchyard-cli' });
    const workspace = await client.workspace.get({ signal: ctx.signal });
    writeSavedConfig(connection.configPath, { url: connection.url, token });
    if (ctx.json) return printJson(ctx, { workspace, url: connection.url, configPath: connection.configPath });
    ctx.out(`Logged in to workspace "${workspace.name}" (${workspace.id}) at ${connection.url}.`);
    ctx.out(`Saved to ${connection.configPath}.`);
  },
};

export const logoutCommand: Command = {
  path: ['logout'],
  args: [],
  summary: 'Forget the saved token (the saved URL is kept)',
  usageSummary: 'Forget the saved token',
  options: {},
  async run(ctx) {
    const file = resolveConnection({}, { ...ctx.env, SWITCHYARD_URL: undefined, SWITCHYARD_TOKEN: undefined }).configPath;
    const saved = readSavedConfig(file);
    const hadToken = saved.token !== undefined;
    if (hadToken) writeSavedConfig(file, saved.url ? { url: saved.url } : {});
    if (ctx.json) return printJson(ctx, { loggedOut: hadToken, configPath: file });
    ctx.out(hadToken ? `Token removed from ${file}.` : `No token saved in ${file}.`);
  },
};

export const whoamiCommand: Command = {
  path: ['whoami'],
  args: [],
  summary: "Show the server, the token's workspace, and where both came from",
  usageSummary: "Show the server and the token's workspace",
  options: {},
  async run(ctx, args) {
    const connection = resolveConnection({ url: stringOption(args, 'url'), token: stringOption(args, 'token') }, ctx.env);
    const workspace = await ctx.client().workspace.get({ signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { workspace, url: connection.url, urlFrom: connection.urlOrigin, tokenFrom: connection.tokenOrigin });
    ctx.out(
      renderDetails([
        ['Workspace', `${workspace.name} (${workspace.id}, slug ${workspace.slug})`],
        ['Server', `${connection.url} (from ${connection.urlOrigin})`],
        ['Token', `from ${connection.tokenOrigin}`],
      ]),
    );
  },
};
