/**
 * In-process throughput of a synchronous operation: warm-up calls, then timed rounds of `fn`
 * called in batches (so the clock is read once per batch). Returns ops/s per round, sorted
 * ascending: on this shared, noisy machine the best round is what the code does and the median
 * what the neighbours' load left of it.
 */
import { performance } from 'node:perf_hooks';

export interface OpsRateOptions {
  /** Total timed seconds, split evenly over the rounds. */
  seconds: number;
  rounds?: number;
  warmup?: number;
  batch?: number;
}

export function opsRate(fn: () => void, o: OpsRateOptions): number[] {
  const rounds = o.rounds ?? 1;
  const batch = o.batch ?? 10;
  for (let i = 0; i < (o.warmup ?? 50); i++) fn();
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    const end = start + (o.seconds * 1000) / rounds;
    while (performance.now() < end) { for (let i = 0; i < batch; i++) fn(); n += batch; }
    out.push(n / ((performance.now() - start) / 1000));
  }
  return out.sort((a, b) => a - b);
}
