/**
 * A rate-limited work queue with client-go's semantics (k8s.io/client-go/util/workqueue): a key
 * is queued at most once, is never processed by two workers at once (re-added keys wait until
 * done()), and failed keys come back after a per-item exponential backoff (5 ms doubling to 1000 s).
 */
import type { Clock } from '../util/clock.js';

export interface WorkQueueOptions {
  clock: Clock;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue<K = string> {
  private readonly clock: Clock;
  private readonly base: number;
  private readonly max: number;
  private queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private waiters: Array<(k: K | undefined) => void> = [];
  private shuttingDown = false;

  constructor(opts: WorkQueueOptions) {
    this.clock = opts.clock;
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) { this.dirty.delete(key); this.processing.add(key); w(key); return; }
    this.queue.push(key);
  }

  addAfter(key: K, ms: number): void {
    if (ms <= 0) { this.add(key); return; }
    this.clock.setTimeout(() => this.add(key), ms);
  }

  /** Backoff for this key: base * 2^failures, capped. */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.max, this.base * 2 ** n));
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key, or undefined once shut down. Call done(key) when finished with it. */
  get(): Promise<K | undefined> {
    if (this.queue.length) {
      const k = this.queue.shift() as K;
      this.dirty.delete(k);
      this.processing.add(k);
      return Promise.resolve(k);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  get length(): number {
    return this.queue.length;
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

/** Runs `workers` loops taking keys from the queue into `sync`; a thrown error requeues with backoff. */
export function runWorkers<K>(queue: WorkQueue<K>, workers: number, sync: (key: K) => Promise<void>, onError?: (key: K, err: unknown) => void): Promise<void> {
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        onError?.(key, err);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  return Promise.all(Array.from({ length: workers }, loop)).then(() => undefined);
}
