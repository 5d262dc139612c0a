// Side-by-side measurement on a shared, noisy machine: the system and its limit are measured in alternating
// slices (A B, B A, A B …) so background load drifting over the run hits both sides alike.
import { measureGet } from './load.mjs';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Runs `system(round)` and `limit(round)` alternately; returns each side's results in round order. */
export async function sideBySide({ rounds = ROUNDS, system, limit }) {
  const results = { system: [], limit: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['system', 'limit'] : ['limit', 'system'];
    for (const side of order) results[side].push(await (side === 'system' ? system : limit)(round));
  }
  return results;
}

/** Total rate over slices: the sum of `count` divided by the sum of `seconds`. */
export function pooledRate(slices, count = (s) => s.count) {
  const total = slices.reduce((sum, s) => sum + count(s), 0);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  return seconds > 0 ? total / seconds : 0;
}

export function sliceSeconds(seconds, rounds = ROUNDS) {
  return Math.max(1, seconds / rounds);
}

function summarize(slices) {
  const sorted = (key) => slices.map((s) => s[key]).sort((a, b) => a - b);
  const middle = (key) => sorted(key)[Math.floor(slices.length / 2)];
  return {
    perSecond: pooledRate(slices),
    p50Ms: middle('p50Ms'),
    p99Ms: middle('p99Ms'),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    non2xx: slices.reduce((sum, s) => sum + s.non2xx, 0),
    slices: slices.map((s) => Math.round(s.perSecond)),
  };
}

/** The same GET against the server and against its bare limit, warmed up, then in alternating slices. */
export async function compareGets({ systemUrl, systemHeaders, limitUrl, connections, seconds }) {
  const slice = sliceSeconds(seconds);
  const system = () => measureGet({ url: systemUrl, headers: systemHeaders, connections, seconds: slice });
  const limit = () => measureGet({ url: limitUrl, connections, seconds: slice });
  await measureGet({ url: systemUrl, headers: systemHeaders, connections, seconds: 1 });
  await measureGet({ url: limitUrl, connections, seconds: 1 });
  const results = await sideBySide({ system, limit });
  const summary = { system: summarize(results.system), limit: summarize(results.limit) };
  if (summary.system.non2xx > 0 || summary.system.errors > 0) {
    throw new Error(`server answered ${summary.system.non2xx} non-2xx and ${summary.system.errors} errors`);
  }
  return summary;
}
