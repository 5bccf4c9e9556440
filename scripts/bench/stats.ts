/** One benchmark row: several measurements of one thing, summarised. */
export interface Row {
  id: string;
  name: string;
  unit: string;
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** Human-readable target, e.g. `≤ 100 ms`. */
  target?: string;
  /** Whether the median meets the target; undefined when the row has no target. */
  met?: boolean;
  note?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function row(
  id: string,
  name: string,
  unit: string,
  samples: number[],
  target?: { max?: number; min?: number; text: string },
  note?: string,
): Row {
  const m = median(samples);
  const met = target ? (target.max === undefined || m <= target.max) && (target.min === undefined || m >= target.min) : undefined;
  return { id, name, unit, samples, median: m, min: Math.min(...samples), max: Math.max(...samples), target: target?.text, met, note };
}

const round = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

/** `smoke`: a quick run, whose figures are not compared with the targets. */
export function formatTable(rows: readonly Row[], { smoke = false } = {}): string {
  const header = ['row', 'median', 'min–max', 'target', ''];
  const lines = rows.map((r) => [
    r.name,
    `${round(r.median)} ${r.unit}`,
    `${round(r.min)}–${round(r.max)}`,
    r.target ?? '',
    r.met === undefined ? '' : smoke ? 'smoke' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

/** Times an async function, ms. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

// Present when node runs with --expose-gc (npm run bench does).
const gc = (globalThis as { gc?: () => void }).gc;

/** The heap in use after two full collections (when gc is exposed), MiB. */
export function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
