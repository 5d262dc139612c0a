// Prints where a V8 CPU profile (node --cpu-prof, or BENCH_CPU_PROF=1 for bench servers) spent its time:
// the top functions by self time and, for the project's own code, by inclusive time.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Each sample is one tick of the node that was on top of the stack.
const ticks = new Map();
for (const id of profile.samples) ticks.set(id, (ticks.get(id) ?? 0) + 1);
const total = profile.samples.length;

const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
const inclusive = new Map();
for (const [id, count] of ticks) {
  const name = label(nodes.get(id));
  self.set(name, (self.get(name) ?? 0) + count);
  // Count each function once per sample even when it recurses.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = label(nodes.get(cur));
    if (seen.has(n)) continue;
    seen.add(n);
    inclusive.set(n, (inclusive.get(n) ?? 0) + count);
  }
}

const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
const print = (title, map, filter = () => true) => {
  process.stdout.write(`\n${title}\n`);
  [...map]
    .filter(([name]) => filter(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([name, count]) => process.stdout.write(`${pct(count)}  ${name}\n`));
};
const seconds = (profile.endTime - profile.startTime) / 1e6;
process.stdout.write(`${file}: ${total} samples over ${seconds.toFixed(1)} s\n`);
print('Self time', self);
print('Inclusive time, project code', inclusive, (name) => name.includes('dist/'));
