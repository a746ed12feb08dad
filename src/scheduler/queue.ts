/**
 * The scheduling queue (pkg/scheduler/backend/queue): an active FIFO of pod keys, per-pod
 * back-off after failed attempts (1 s doubling to 10 s), and a set of unschedulable pods that
 * cluster events (a node added or changed, a pod removed) move back — to the active queue if
 * their back-off has passed, else after it. Pods stuck unschedulable for 5 minutes are retried
 * regardless (podMaxInUnschedulablePodsDuration). Priority ordering comes with preemption.
 */
import type { Clock, Timer } from '../util/clock.js';

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

interface Entry { attempts: number; lastFailure: number }

export class SchedulingQueue {
  private readonly clock: Clock;
  private active: string[] = [];
  private head = 0;
  private readonly inActive = new Set<string>();
  private readonly entries = new Map<string, Entry>();
  private readonly unschedulable = new Map<string, number>();
  private readonly waiting = new Map<string, Timer>();
  private waiters: Array<(k: string | undefined) => void> = [];
  private closed = false;
  private flushTimer: Timer | undefined;

  constructor(opts: { clock: Clock }) {
    this.clock = opts.clock;
    this.flushTimer = this.clock.setInterval(() => this.flushStale(), 30_000);
  }

  /** A new or changed pending pod: straight to the active queue (unless backing off). */
  add(key: string): void {
    if (this.closed || this.inActive.has(key) || this.waiting.has(key)) return;
    this.unschedulable.delete(key);
    const e = this.entries.get(key);
    const left = e ? e.lastFailure + this.backoff(e.attempts) - this.clock.now() : 0;
    if (left > 0) { this.addAfter(key, left); return; }
    const w = this.waiters.shift();
    if (w) { w(key); return; }
    this.inActive.add(key);
    this.active.push(key);
  }

  private addAfter(key: string, ms: number): void {
    const t = this.clock.setTimeout(() => { this.waiting.delete(key); this.add(key); }, ms);
    this.waiting.set(key, t);
  }

  backoff(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  }

  /** The attempt failed: park the pod as unschedulable until a cluster event (or error: retry after back-off). */
  failed(key: string, retryAfterBackoff: boolean): void {
    const e = this.entries.get(key) ?? { attempts: 0, lastFailure: 0 };
    e.attempts++;
    e.lastFailure = this.clock.now();
    this.entries.set(key, e);
    if (retryAfterBackoff) this.addAfter(key, this.backoff(e.attempts));
    else this.unschedulable.set(key, e.lastFailure);
  }

  /** Whether the queue tracks this pod (active, backing off, or unschedulable). */
  has(key: string): boolean {
    return this.inActive.has(key) || this.waiting.has(key) || this.unschedulable.has(key) || this.entries.has(key);
  }

  /** The pod is gone or scheduled: forget it. */
  delete(key: string): void {
    this.entries.delete(key);
    this.unschedulable.delete(key);
    this.waiting.get(key)?.cancel();
    this.waiting.delete(key);
    if (this.inActive.delete(key)) {
      const i = this.active.indexOf(key, this.head);
      if (i >= 0) this.active.splice(i, 1);
    }
  }

  /** A cluster event that may make unschedulable pods schedulable (MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoff(): void {
    const keys = [...this.unschedulable.keys()];
    this.unschedulable.clear();
    for (const k of keys) this.add(k);
  }

  get unschedulableCount(): number {
    return this.unschedulable.size;
  }

  get pendingCount(): number {
    return this.active.length - this.head;
  }

  private flushStale(): void {
    const now = this.clock.now();
    for (const [k, since] of this.unschedulable) if (now - since >= MAX_UNSCHEDULABLE_MS) { this.unschedulable.delete(k); this.add(k); }
  }

  /** The next pod to schedule (undefined once closed). */
  pop(): Promise<string | undefined> {
    if (this.head < this.active.length) {
      const k = this.active[this.head++];
      if (this.head > 1024 && this.head * 2 > this.active.length) { this.active = this.active.slice(this.head); this.head = 0; }
      this.inActive.delete(k);
      return Promise.resolve(k);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((r) => this.waiters.push(r));
  }

  close(): void {
    this.closed = true;
    this.flushTimer?.cancel();
    for (const t of this.waiting.values()) t.cancel();
    this.waiting.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
