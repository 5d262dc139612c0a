// Child processes of the bench: the server under test, the limit servers and the sink each get their own
// event loop, so the load generator in this process never competes with them inside one loop.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const KEPT_OUTPUT_LINES = 40;

/** Children still running, so an interrupted bench can stop them (see stopAllChildren). */
const live = new Set();

export async function stopAllChildren() {
  await Promise.all([...live].map((proc) => proc.stop()));
}

/**
 * Starts `node <args>` and resolves once a stdout line satisfies `isReady` (its parsed JSON is returned).
 * The last lines of output are kept so a failed start or crash can be explained.
 */
export function startNode(args, { env = {}, isReady = (line) => line.ready === true, label = args[0], nodeOptions = [] } = {}) {
  const child = spawn(process.execPath, [...nodeOptions, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const remember = (line) => {
    tail.push(line);
    if (tail.length > KEPT_OUTPUT_LINES) tail.shift();
  };
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => ((exited = true), resolve({ code, signal }))));

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} not ready within ${READY_TIMEOUT_MS} ms\n${tail.join('\n')}`)), READY_TIMEOUT_MS);
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        remember(line);
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        if (isReady(parsed)) {
          clearTimeout(timer);
          resolve(parsed);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => chunk.split('\n').filter(Boolean).forEach(remember));
    exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited early (code ${code}, signal ${signal})\n${tail.join('\n')}`));
    });
  });

  const handle = {
    child,
    pid: child.pid,
    ready,
    output: () => tail.join('\n'),
    /** SIGTERM, then SIGKILL if the process does not leave in time. */
    async stop() {
      if (exited) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
  live.add(handle);
  exit.then(() => live.delete(handle));
  return handle;
}

/** Resident set size of a process in bytes (Linux /proc; `ps` elsewhere). */
export function residentBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: fall through to ps
  }
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
  } catch {
    return undefined;
  }
}
