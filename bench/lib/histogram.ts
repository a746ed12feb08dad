/**
 * A fixed-range latency histogram (0.01 ms buckets from -200 ms to +10 s) that worker processes
 * fill and the parent merges, so millions of (event, watcher) delays need not cross IPC.
 * Values outside the range are clamped into the edge buckets (and still counted in min/max).
 */
const LO_MS = -200;
const HI_MS = 10_000;
const STEP_MS = 0.01;
const BUCKETS = Math.ceil((HI_MS - LO_MS) / STEP_MS) + 1;

export interface HistogramData {
  counts: Uint32Array;
  n: number;
  min: number;
  max: number;
  sum: number;
}

export function newHistogram(): HistogramData {
  return { counts: new Uint32Array(BUCKETS), n: 0, min: Infinity, max: -Infinity, sum: 0 };
}

export function record(h: HistogramData, ms: number): void {
  const i = Math.min(BUCKETS - 1, Math.max(0, Math.round((ms - LO_MS) / STEP_MS)));
  h.counts[i]++;
  h.n++;
  h.sum += ms;
  if (ms < h.min) h.min = ms;
  if (ms > h.max) h.max = ms;
}

export function merge(into: HistogramData, from: HistogramData): void {
  for (let i = 0; i < BUCKETS; i++) into.counts[i] += from.counts[i];
  into.n += from.n;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
}

/** Nearest-rank percentile (bucket resolution 0.01 ms); NaN when empty. */
export function histPercentile(h: HistogramData, p: number): number {
  if (h.n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * h.n));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += h.counts[i];
    if (seen >= rank) return LO_MS + i * STEP_MS;
  }
  return h.max;
}
