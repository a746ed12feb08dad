/**
 * Parent side of the load generator: N forked worker processes (load-worker.ts), each with its
 * own connections. run() gives every worker a job, waits until all connections are open and
 * warm, starts them together, and merges the results (latencies, counts, client CPU).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './keks-process.js';
import type { FromWorker, LoadJob, LoadResult, ToWorker } from './load-job.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./load-worker.js', import.meta.url));

export interface MergedResult {
  lat: Float64Array;
  ok: number;
  errors: number;
  skipped: number;
  errorSamples: string[];
  /** Longest worker wall time, s. */
  wallS: number;
  /** Summed CPU seconds of all workers. */
  clientCpuS: number;
  /** ok / wallS. */
  rps: number;
  bytes: number;
}

export class LoadPool {
  private readonly workers: ChildProcess[];

  private constructor(workers: ChildProcess[]) {
    this.workers = workers;
  }

  static start(n: number): LoadPool {
    const ws = Array.from({ length: n }, () => fork(WORKER_SCRIPT, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    return new LoadPool(ws);
  }

  get size(): number {
    return this.workers.length;
  }

  private next(w: ChildProcess, timeoutMs: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { cleanup(); reject(new Error(`load worker ${w.pid} timed out`)); }, timeoutMs);
      const onMsg = (m: FromWorker): void => { cleanup(); if (m.type === 'failed') reject(new Error(m.error)); else resolve(m); };
      const onExit = (code: number | null): void => { cleanup(); reject(new Error(`load worker exited (${code})`)); };
      const cleanup = (): void => { clearTimeout(t); w.off('message', onMsg); w.off('exit', onExit); };
      w.on('message', onMsg);
      w.once('exit', onExit);
    });
  }

  /**
   * Runs jobs[i] on worker `from + i` (from + jobs.length ≤ size) and merges the results. Runs
   * on disjoint workers may overlap (e.g. a writer and a reader at the same time).
   */
  async run(target: Target, jobs: LoadJob[], { from = 0, timeoutMs = 120_000 } = {}): Promise<MergedResult> {
    const ws = this.workers.slice(from, from + jobs.length);
    if (ws.length < jobs.length) throw new Error(`load pool has ${this.workers.length} workers, needs ${from + jobs.length}`);
    await Promise.all(ws.map((w, i) => { const p = this.next(w, 60_000); w.send({ type: 'prepare', target, job: jobs[i] } satisfies ToWorker); return p; }));
    const results = await Promise.all(ws.map((w) => { const p = this.next(w, timeoutMs); w.send({ type: 'go' } satisfies ToWorker); return p; }));
    const rs = results.map((m) => (m as { result: LoadResult }).result);
    let n = 0;
    for (const r of rs) n += r.lat.length;
    const lat = new Float64Array(n);
    let off = 0;
    for (const r of rs) { lat.set(r.lat, off); off += r.lat.length; }
    const sum = (f: (r: LoadResult) => number): number => rs.reduce((a, r) => a + f(r), 0);
    const wallS = Math.max(...rs.map((r) => r.wallS));
    const ok = sum((r) => r.ok);
    return {
      lat, ok, errors: sum((r) => r.errors), skipped: sum((r) => r.skipped), errorSamples: rs.flatMap((r) => r.errorSamples).slice(0, 3),
      wallS, clientCpuS: sum((r) => r.cpuS), rps: ok / wallS, bytes: sum((r) => r.bytes),
    };
  }

  close(): void {
    for (const w of this.workers) {
      if (w.connected) w.send({ type: 'close' } satisfies ToWorker);
      setTimeout(() => w.kill('SIGKILL'), 2000).unref();
    }
  }
}
