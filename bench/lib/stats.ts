/**
 * Small statistics and table helpers shared by the benchmarks: percentiles over latency
 * samples (nearest-rank, as /work/shared/tools/api-bench.mjs computes them, so numbers are
 * comparable), rounding, and GitHub-markdown tables.
 */

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending-sorted array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Summary of latency samples (any order; the input is not modified). */
export function summarize(samples: ArrayLike<number>): Summary {
  const s = Float64Array.from(samples as ArrayLike<number>).sort();
  let sum = 0;
  for (const x of s) sum += x;
  return {
    n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN, mean: s.length ? sum / s.length : NaN,
  };
}

/** A number for a table: integers with thousands separators above 100, else 2 decimals. */
export function fmt(x: number | undefined | null, digits = 2): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(digits);
}

/** A GitHub-markdown table; the first column is left-aligned, the others right-aligned. */
export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? fmt(v) : v);
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}
