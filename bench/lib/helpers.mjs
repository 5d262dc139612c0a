// Starting the helper processes (sink, bare Fastify) and reading what the sink saw.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode } from './processes.mjs';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));

export async function startSink() {
  const proc = startNode([path.join(SERVERS, 'sink.mjs')], { label: 'sink' });
  const { url } = await proc.ready;
  const get = async (p) => (await fetch(`${url}${p}`)).json();
  return {
    url,
    stop: () => proc.stop(),
    reset: () => fetch(`${url}/__reset`, { method: 'POST' }).then((r) => r.json()),
    timeline: async () => (await get('/__timeline')).timeline,
    arrivals: async () => (await get('/__arrivals')).arrivals,
    sample: async () => (await get('/__sample')).sample,
    /** Events received so far. */
    async count() {
      return (await get('/__timeline')).timeline.reduce((sum, [, n]) => sum + n, 0);
    },
  };
}

/** A bare Fastify process answering each `path` with the given JSON text. */
export async function startBareFastify(routes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bare-'));
  const spec = routes.map((route, i) => {
    const file = path.join(dir, `body-${i}.json`);
    writeFileSync(file, route.body);
    return { path: route.path, file };
  });
  const specFile = path.join(dir, 'routes.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const proc = startNode([path.join(SERVERS, 'bare-fastify.mjs'), specFile], { label: 'bare fastify' });
  const { url } = await proc.ready;
  return {
    url,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(predicate, { timeoutMs, everyMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await sleep(everyMs);
  }
  return predicate();
}

/** Runs `body(defer)` and then every deferred cleanup, newest first, even when the body throws. */
export async function scoped(body) {
  const cleanups = [];
  try {
    return await body((cleanup) => cleanups.push(cleanup));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(`cleanup failed: ${error}`));
  }
}
