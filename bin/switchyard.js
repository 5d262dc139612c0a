#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('switchyard: not built yet. Run `npm run build` (npm start does it for you).\n');
  process.exit(1);
}
// Commands that only talk to a server over HTTP skip loading the server code, which takes most of a second.
const remoteEntry = new URL('../dist/cli/remote/run.js', import.meta.url);
const remote = existsSync(remoteEntry) ? await import(remoteEntry.href) : undefined;
const argv = process.argv.slice(2);
if (remote?.isRemoteCommand(argv)) await remote.remoteMain(argv);
else await import(entry.href);
