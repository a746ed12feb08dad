/**
 * In-process watch fan-out for the backends that commit in this process (memory, sqlite).
 *
 * Contract (interface.ts WatchOptions): each watcher receives every event with revision >
 * afterRevision under its prefix, in revision order, never concurrently, with no gaps.
 * A watcher starting in the past first replays history from the backend (`readEvents`, in
 * bounded chunks, one chunk per macrotask so a long replay never blocks writes) and then
 * switches to live delivery. Both steps advance one cursor (the last revision delivered), so
 * an event is delivered exactly once whether it came from replay or from `publish`.
 *
 * `publish` is called by the backend after a commit (after the writers' promises resolved);
 * delivery happens in a microtask and is queued, so a handler that writes to the store from
 * inside `onEvent` cannot reorder events for other watchers. Event objects are shared between
 * watchers and must be treated as immutable.
 */
import type { Clock, Timer } from '../util/clock.js';
import { closedError, compactedError } from './errors.js';
import type { Watch, WatchEvent, WatchOptions } from './interface.js';

export interface EventSource {
  /** Events with afterRevision < revision <= uptoRevision under prefix, ascending, at most `limit`. */
  readEvents(prefix: string, afterRevision: number, uptoRevision: number, limit: number): WatchEvent[];
  /** The revision of the last committed (and published or about to be published) write. */
  currentRevision(): number;
  compactedRevision(): number;
}

export interface WatchHubOptions {
  source: EventSource;
  clock: Clock;
  /** Events per replay chunk (default 1000). */
  replayChunk?: number;
  /** Send onProgress to caught-up watchers this often; 0 = never (default 0). */
  progressIntervalMs?: number;
}

interface Watcher {
  opts: WatchOptions;
  /** Last revision delivered (or known to have nothing for this watcher). */
  cursor: number;
  live: boolean;
  done: boolean;
}

/** Revision of an event: the write that produced it. */
function revOf(e: WatchEvent): number {
  return e.kv.modRevision;
}

export class WatchHub {
  private readonly source: EventSource;
  private readonly clock: Clock;
  private readonly chunk: number;
  private readonly watchers = new Set<Watcher>();
  private readonly queue: WatchEvent[][] = [];
  private draining = false;
  private progressTimer: Timer | undefined;
  private closed = false;

  constructor(opts: WatchHubOptions) {
    this.source = opts.source;
    this.clock = opts.clock;
    this.chunk = opts.replayChunk ?? 1000;
    if (opts.progressIntervalMs && opts.progressIntervalMs > 0) {
      this.progressTimer = this.clock.setInterval(() => this.sendProgress(), opts.progressIntervalMs);
    }
  }

  get size(): number {
    return this.watchers.size;
  }

  watch(opts: WatchOptions): Watch {
    const w: Watcher = { opts, cursor: 0, live: false, done: false };
    const stop = (): void => {
      w.done = true;
      this.watchers.delete(w);
    };
    if (this.closed) {
      queueMicrotask(() => this.fail(w, closedError()));
      return { stop };
    }
    const current = this.source.currentRevision();
    if (opts.afterRevision > 0 && opts.afterRevision < this.source.compactedRevision()) {
      queueMicrotask(() => this.fail(w, this.compactedError(opts.afterRevision)));
      return { stop };
    }
    w.cursor = opts.afterRevision > 0 ? opts.afterRevision : current;
    this.watchers.add(w);
    if (w.cursor >= current) w.live = true;
    else setImmediate(() => this.catchUp(w));
    return { stop };
  }

  /** Queue committed events (ascending revisions) for delivery to live watchers. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || this.watchers.size === 0) return;
    this.queue.push(events);
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Ends every watch with a `Closed` error and refuses new ones. */
  close(): void {
    this.closed = true;
    this.progressTimer?.cancel();
    const err = closedError();
    for (const w of [...this.watchers]) this.fail(w, err);
  }

  private drain(): void {
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const batch = this.queue[i]!;
        for (const w of this.watchers) if (w.live) this.deliver(w, batch);
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  /** Delivers the events of `batch` this watcher has not seen and that match its prefix. */
  private deliver(w: Watcher, batch: WatchEvent[]): void {
    const prefix = w.opts.prefix;
    let out: WatchEvent[] | undefined;
    let all = true;
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      if (revOf(e) > w.cursor && (prefix === '' || e.kv.key.startsWith(prefix))) {
        if (!all) (out ??= []).push(e);
      } else if (all) {
        all = false;
        out = batch.slice(0, i);
      }
    }
    const events = all ? batch : out;
    if (!events || events.length === 0) return;
    w.cursor = revOf(events[events.length - 1]!);
    this.call(w, events);
  }

  private call(w: Watcher, events: WatchEvent[]): void {
    try {
      w.opts.onEvent(events);
    } catch (err) {
      this.fail(w, err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** One replay chunk; reschedules itself until the watcher reached the current revision. */
  private catchUp(w: Watcher): void {
    if (w.done) return;
    if (w.cursor < this.source.compactedRevision()) {
      this.fail(w, this.compactedError(w.cursor));
      return;
    }
    const upto = this.source.currentRevision();
    let events: WatchEvent[];
    try {
      events = this.source.readEvents(w.opts.prefix, w.cursor, upto, this.chunk);
    } catch (err) {
      this.fail(w, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (events.length > 0) {
      w.cursor = revOf(events[events.length - 1]!);
      this.call(w, events);
      if (w.done) return;
    }
    if (events.length < this.chunk) {
      w.cursor = Math.max(w.cursor, upto);
      w.live = true;
    } else {
      setImmediate(() => this.catchUp(w));
    }
  }

  private sendProgress(): void {
    const rev = this.source.currentRevision();
    for (const w of this.watchers) {
      if (!w.live || !w.opts.onProgress) continue;
      try {
        w.opts.onProgress(rev);
      } catch (err) {
        this.fail(w, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  private fail(w: Watcher, err: Error): void {
    if (w.done) return;
    w.done = true;
    this.watchers.delete(w);
    w.opts.onError(err);
  }

  private compactedError(rev: number): Error {
    const compacted = this.source.compactedRevision();
    return compactedError(rev, compacted);
  }
}
