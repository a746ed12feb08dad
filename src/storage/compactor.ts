/**
 * Background compaction policy shared by the backends, after kube-apiserver's compactor
 * (k8s.io/apiserver/pkg/storage/etcd3/compact.go), which every interval compacts etcd to the
 * revision it saw one interval earlier so watchers have at least one interval to catch up.
 *
 * Every `intervalMs` the compactor samples the current revision. It compacts to the newest
 * revision that is both at least `keepRevisions` behind the current one and was already
 * current `keepForMs` ago, so history is kept for whichever window is longer.
 */
import type { Clock, Timer } from '../util/clock.js';

export interface CompactionPolicy {
  /** How often to consider compacting (ms). 0 disables background compaction. */
  intervalMs: number;
  /** Always keep at least this many most recent revisions. */
  keepRevisions: number;
  /** Always keep history at least this long (ms). */
  keepForMs: number;
}

export const defaultCompactionPolicy: CompactionPolicy = { intervalMs: 60_000, keepRevisions: 1000, keepForMs: 5 * 60_000 };

export interface CompactorTarget {
  currentRevision(): Promise<number>;
  compactedRevision(): Promise<number>;
  compact(revision: number): Promise<void>;
}

export interface CompactorOptions {
  target: CompactorTarget;
  clock: Clock;
  policy: CompactionPolicy;
  /** Called when a background compaction fails (the next tick tries again). */
  onError?: (err: unknown) => void;
}

interface Sample { at: number; revision: number }

export class Compactor {
  private readonly opts: CompactorOptions;
  private readonly samples: Sample[] = [];
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;

  constructor(opts: CompactorOptions) {
    this.opts = opts;
  }

  start(): void {
    if (this.opts.policy.intervalMs > 0 && !this.timer) {
      this.timer = this.opts.clock.setInterval(() => void this.tick(), this.opts.policy.intervalMs);
    }
  }

  /** Stops the timer and waits for a compaction in progress. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  /** One policy evaluation (exposed for tests). Resolves when any compaction it started is done. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.evaluate()
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async evaluate(): Promise<void> {
    const { target, clock, policy } = this.opts;
    const now = clock.now();
    const current = await target.currentRevision();
    this.samples.push({ at: now, revision: current });
    let byTime = -1;
    while (this.samples.length > 0 && this.samples[0]!.at <= now - policy.keepForMs) {
      byTime = this.samples.shift()!.revision;
    }
    if (byTime < 0) return;
    // Keep the newest expired sample: it is the bound for the next tick too.
    this.samples.unshift({ at: now - policy.keepForMs, revision: byTime });
    const goal = Math.min(byTime, current - policy.keepRevisions);
    if (goal <= 0 || goal <= (await target.compactedRevision())) return;
    await target.compact(goal);
  }
}
