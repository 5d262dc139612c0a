// `npm run bench [-- <scenario>…]`: runs each scenario on SQLite and PostgreSQL, prints the table and writes
// bench/results/latest.json. Expects a build in dist/ (the npm script builds first).
// Environment (all optional; docs/benchmarks.md has the full list): BENCH_BACKENDS (sqlite,postgres),
// BENCH_SECONDS (measured seconds per side, default 6), BENCH_MEMORY_SECONDS (default 120), BENCH_POSTGRES_URL,
// BENCH_CPU_PROF=1 (CPU profiles of the servers under test in bench/results/profiles).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dropAllDatabases, postgresReachable, postgresVersion, POSTGRES_ADMIN_URL } from './lib/databases.mjs';
import { stopAllChildren } from './lib/processes.mjs';
import { failedRow, formatTable, machineInfo } from './lib/results.mjs';
import { ROUNDS } from './lib/rounds.mjs';
import * as controlGet from './scenarios/control-get.mjs';
import * as controlList from './scenarios/control-list.mjs';
import * as deliver from './scenarios/deliver.mjs';
import * as ingest from './scenarios/ingest.mjs';
import * as isolation from './scenarios/isolation.mjs';
import * as latency from './scenarios/latency.mjs';
import * as memory from './scenarios/memory.mjs';
import * as scaleOut from './scenarios/scale-out.mjs';

const SCENARIOS = [controlGet, controlList, ingest, deliver, isolation, latency, memory, scaleOut];
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

function parseArguments(argv) {
  const known = new Map(SCENARIOS.map((s) => [s.name, s]));
  const unknown = argv.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}\nknown: ${[...known.keys()].join(', ')}\n`);
    process.exit(2);
  }
  return argv.length > 0 ? SCENARIOS.filter((s) => argv.includes(s.name)) : SCENARIOS;
}

/** The commit measured, marked when the working tree differs from it (undefined outside a git checkout). */
function gitRevision() {
  try {
    const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+changes' : ''}`;
  } catch {
    return undefined;
  }
}

function interrupted(signal) {
  process.stderr.write(`\n${signal}: stopping bench processes and dropping bench databases\n`);
  Promise.allSettled([stopAllChildren(), dropAllDatabases()]).finally(() => process.exit(130));
}

async function main() {
  const scenarios = parseArguments(process.argv.slice(2));
  const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim()).filter(Boolean);
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  const postgres = backends.includes('postgres') && (await postgresReachable()) ? await postgresVersion() : undefined;
  if (backends.includes('postgres') && !postgres) process.stderr.write(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}\n`);
  const machine = machineInfo(postgres ? { postgres } : {});
  const startedAt = new Date();
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, node ${machine.node}\n`);

  const rows = [];
  const shared = {};
  for (const backend of backends) {
    for (const scenario of scenarios) {
      const tag = `[${backend} ${scenario.name}]`;
      const log = (message) => process.stdout.write(`${tag} ${message}\n`);
      const began = Date.now();
      try {
        if (backend === 'postgres' && !postgres) throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`);
        const result = await scenario.run({ backend, seconds, log, shared });
        rows.push(...result);
        for (const r of result) log(`${r.name}: ${r.value} ${r.unit}${r.ratio !== null ? ` / ${r.limit} = ${r.ratio}` : ''} ${r.pass ? 'pass' : 'MISS'}`);
      } catch (error) {
        rows.push(failedRow(scenario.name, backend, error));
        log(`failed: ${error?.stack ?? error}`);
      }
      log(`took ${((Date.now() - began) / 1000).toFixed(0)} s`);
    }
  }

  const finishedAt = new Date();
  const report = {
    machine,
    revision: gitRevision(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt - startedAt) / 1000),
    settings: {
      secondsPerSide: seconds,
      rounds: ROUNDS,
      memorySeconds: memory.MEMORY_SECONDS,
      memoryWarmupSeconds: memory.WARMUP_SECONDS,
      backends,
    },
    scenarios: rows,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(new URL('latest.json', `file://${RESULTS_DIR}`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${formatTable(rows)}\n\nfinished in ${report.durationSeconds} s; written to bench/results/latest.json\n`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

await main();
