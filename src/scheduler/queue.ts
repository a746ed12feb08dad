/**
 * The scheduling queue (pkg/scheduler/backend/queue): an active FIFO of pod keys, per-pod
 * back-off after failed attempts (1 s doubling to 10 s), and a set of unschedulable pods that
 * cluster events (a node added or changed, a pod removed) move back — to the active queue if
 * their back-off has passed, else after it. Pods stuck unschedulable for 5 minutes are retried
 * regardless (podMaxInUnschedulablePodsDuration). The active queue is a heap ordered as the
 * default QueueSort plugin (PrioritySort): higher spec.priority first, then arrival order.
 */
import type { Clock, Timer } from '../util/clock.js';

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

interface Entry { attempts: number; lastFailure: number }
interface HeapItem { key: string; priority: number; seq: number }

/** a before b: higher priority, then earlier arrival. */
function before(a: HeapItem, b: HeapItem): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly heap: HeapItem[] = [];
  private seq = 0;
  /** key → the seq of its live heap item (deleted keys leave stale items, skipped on pop). */
  private readonly inActive = new Map<string, number>();
  private readonly priorities = new Map<string, number>();
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
  add(key: string, priority?: number): void {
    if (priority !== undefined) this.priorities.set(key, priority);
    if (this.closed || this.inActive.has(key) || this.waiting.has(key)) return;
    this.unschedulable.delete(key);
    const e = this.entries.get(key);
    const left = e ? e.lastFailure + this.backoff(e.attempts) - this.clock.now() : 0;
    if (left > 0) { this.addAfter(key, left); return; }
    const w = this.waiters.shift();
    if (w) { w(key); return; }
    const item = { key, priority: this.priorities.get(key) ?? 0, seq: this.seq++ };
    this.inActive.set(key, item.seq);
    this.push(item);
  }

  private push(item: HeapItem): void {
    const h = this.heap;
    let i = h.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = item;
  }

  private popItem(): HeapItem | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && before(h[l + 1], h[l]) ? l + 1 : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
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
    this.priorities.delete(key);
    this.unschedulable.delete(key);
    this.waiting.get(key)?.cancel();
    this.waiting.delete(key);
    this.inActive.delete(key);
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
    return this.inActive.size;
  }

  private flushStale(): void {
    const now = this.clock.now();
    for (const [k, since] of this.unschedulable) if (now - since >= MAX_UNSCHEDULABLE_MS) { this.unschedulable.delete(k); this.add(k); }
  }

  /** The next pod to schedule (undefined once closed). */
  pop(): Promise<string | undefined> {
    while (this.heap.length) {
      const it = this.popItem() as HeapItem;
      if (this.inActive.get(it.key) !== it.seq) continue; // deleted or re-added since
      this.inActive.delete(it.key);
      return Promise.resolve(it.key);
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
