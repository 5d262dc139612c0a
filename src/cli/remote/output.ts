// Rendering for humans (aligned tables, label/value blocks, sparklines) and for scripts (`--json`).
import type { CliOutput } from './command.js';

export type Cell = string | number | boolean | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return '-';
  return String(cell);
}

/** Columns separated by two spaces; numeric columns (and those in `rightAligned`) right-aligned. */
export function renderTable(headers: string[], rows: Cell[][], rightAligned: number[] = []): string {
  const cells = rows.map((row) => row.map(text));
  const numeric = headers.map((_, i) => rightAligned.includes(i) || (rows.length > 0 && rows.every((row) => typeof row[i] === 'number')));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        if (i === row.length - 1 && !numeric[i]) return cell;
        return numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** `label  value` lines with aligned values; multi-line values are indented under their label. */
export function renderDetails(pairs: Array<[string, Cell]>): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs
    .map(([label, value]) => `${label.padEnd(width)}  ${text(value).split('\n').join(`\n${' '.repeat(width + 2)}`)}`)
    .join('\n');
}

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to the largest; zero is always the lowest bar so it reads as "nothing". */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((value) => {
      if (max === 0 || value <= 0) return SPARK[0];
      return SPARK[Math.max(1, Math.ceil((value / max) * (SPARK.length - 1)))];
    })
    .join('');
}

export function printJson(io: CliOutput, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** Settings and mappings on one line each when short, pretty-printed otherwise. */
export function compactJson(value: unknown): string {
  const flat = JSON.stringify(value);
  return flat.length <= 80 ? flat : JSON.stringify(value, null, 2);
}

export const yesNo = (value: boolean) => (value ? 'yes' : 'no');
