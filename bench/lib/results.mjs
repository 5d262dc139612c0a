// Result rows, the printed table and the machine description. A ratio row divides the measured value by its
// physical limit (measured in the same run); a ceiling row compares the value with an absolute bound.
import os from 'node:os';

/**
 * @param {{ name: string, backend: string, value: number, unit: string, limit?: number, goal: number,
 *   kind?: 'ratio'|'ceiling', details?: Record<string, unknown> }} r
 */
export function resultRow({ name, backend, value, unit, limit = null, goal, kind = 'ratio', details = {} }) {
  const ratio = kind === 'ratio' && limit > 0 ? round(value / limit, 3) : null;
  const pass = kind === 'ratio' ? ratio !== null && ratio >= goal : Number.isFinite(value) && value <= goal;
  return { name, backend, value: round(value, 1), unit, limit: limit === null ? null : round(limit, 1), ratio, goal, goalKind: kind, pass, details };
}

export function failedRow(name, backend, error) {
  return { name, backend, value: null, unit: null, limit: null, ratio: null, goal: null, goalKind: null, pass: false, error: String(error?.stack ?? error) };
}

export function round(n, digits) {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Nearest-rank percentile of an unsorted array (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values) {
  return percentile(values, 50);
}

export function machineInfo(extra = {}) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    ...extra,
  };
}

const fmt = (n) => (n === null || n === undefined ? '—' : String(n));

function goalText(row) {
  if (row.goal === null) return '—';
  return row.goalKind === 'ratio' ? `≥ ${row.goal}` : `≤ ${row.goal} ${row.unit}`;
}

/** A Markdown table (readable in a terminal and pasteable into docs/benchmarks.md). */
export function formatTable(rows) {
  const header = ['scenario', 'backend', 'value', 'unit', 'limit', 'ratio', 'goal', 'pass', 'notes'];
  const lines = rows.map((r) => [
    r.name,
    r.backend,
    fmt(r.value),
    r.unit ?? '',
    fmt(r.limit),
    fmt(r.ratio),
    goalText(r),
    r.error ? 'ERROR' : r.pass ? 'yes' : 'NO',
    r.error ? r.error.split('\n')[0].slice(0, 80) : (r.details?.note ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const render = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
