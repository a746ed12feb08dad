/**
 * Watch fan-out for one resource (a small cousin of k8s.io/apiserver/pkg/storage/cacher):
 * one store watch per resource, a ring of recent events, and many watchers that each get
 * every matching event in revision order. Events are decoded and serialised once, lazily.
 *
 * A watch from revision R replays the ring's events after R when the ring still covers R;
 * older revisions get a dedicated store watch (the store replays its history, or fails with
 * Compacted → 410). Label/field filtering follows cache_watcher.go: an object that starts
 * matching is ADDED, one that stops matching is DELETED (carrying its previous state).
 */
import type { KubeObject } from '../../api/types.js';
import type { KeyValue, Store, Watch, WatchEvent } from '../../storage/interface.js';
import { decodeFromStorage, storedJsonWithVersion } from './codec.js';
import type { ObjectFilter } from './filter.js';
import type { WatchItem, WatchSink, WatchHandle } from './watch-types.js';

/** One store event, decoded on demand and shared by every watcher. */
class CachedEvent {
  readonly revision: number;
  private obj: KubeObject | undefined;
  private prevObj: KubeObject | undefined;
  private text: string | undefined;
  private prevText: string | undefined;
  constructor(readonly ev: WatchEvent) {
    this.revision = ev.kv.modRevision;
  }
  object(): KubeObject {
    return (this.obj ??= decodeFromStorage(this.ev.kv));
  }
  json(): string {
    return (this.text ??= storedJsonWithVersion(this.ev.kv));
  }
  /** The previous state, stamped with this event's revision (as kube does for filtered-out DELETED). */
  prevObject(): KubeObject | undefined {
    if (!this.ev.prev) return undefined;
    return (this.prevObj ??= decodeFromStorage({ ...this.ev.prev, modRevision: this.revision }));
  }
  private whole: WatchItem | undefined;
  /** The item every unfiltered watcher receives: built once, shared (items are read-only). */
  everythingItem(): WatchItem {
    const t = this.ev.type;
    return (this.whole ??= { type: t === 'create' ? 'ADDED' : t === 'update' ? 'MODIFIED' : 'DELETED', json: () => this.json(), object: () => this.object() });
  }
  prevJson(): string {
    const p = this.ev.prev as KeyValue;
    return (this.prevText ??= storedJsonWithVersion({ ...p, modRevision: this.revision }));
  }
}

interface CacheWatcher {
  prefix: string;
  filter: ObjectFilter;
  /** Deliver only events after this revision. */
  after: number;
  sink: WatchSink;
  stopped: boolean;
}

function itemFor(ce: CachedEvent, w: CacheWatcher): WatchItem | null {
  const t = ce.ev.type;
  if (w.filter.everything) return ce.everythingItem();
  const cur = t !== 'delete' && w.filter.matches(ce.object());
  const prev = t === 'delete' ? w.filter.matches(ce.object()) : ce.prevObject() !== undefined && w.filter.matches(ce.prevObject() as KubeObject);
  if (t === 'delete') return prev ? { type: 'DELETED', json: () => ce.json(), object: () => ce.object() } : null;
  if (cur && prev) return { type: 'MODIFIED', json: () => ce.json(), object: () => ce.object() };
  if (cur) return { type: 'ADDED', json: () => ce.json(), object: () => ce.object() };
  if (prev) return { type: 'DELETED', json: () => ce.prevJson(), object: () => ce.prevObject() as KubeObject };
  return null;
}

export interface CacherOptions {
  store: Store;
  /** Key prefix of the resource, e.g. `/registry/core/configmaps/`. */
  prefix: string;
  /** How many recent events to keep for replay. */
  capacity?: number;
}

export class Cacher {
  private readonly store: Store;
  private readonly prefix: string;
  private readonly capacity: number;
  private ring: CachedEvent[] = [];
  private ringStart = 0;
  /** Every event after this revision is in the ring (or still to come). */
  private floor = 0;
  private current = 0;
  private storeWatch: Watch | undefined;
  private starting: Promise<void> | undefined;
  private readonly watchers = new Set<CacheWatcher>();

  constructor(opts: CacherOptions) {
    this.store = opts.store;
    this.prefix = opts.prefix;
    this.capacity = opts.capacity ?? 4096;
  }

  /** The newest revision this cacher has seen (events up to it are dispatched). */
  get revision(): number {
    return this.current;
  }

  /** Starts the store watch (once); watches from revisions after this point are served from the ring. */
  ready(): Promise<void> {
    return this.start();
  }

  private start(): Promise<void> {
    return (this.starting ??= (async () => {
      const rev = await this.store.currentRevision();
      this.floor = rev;
      this.current = rev;
      this.storeWatch = this.store.watch({
        prefix: this.prefix,
        afterRevision: rev,
        onEvent: (evs) => this.dispatch(evs),
        onError: (err) => this.restart(err),
      });
    })());
  }

  /** The store watch broke (e.g. etcd hiccup): fail the watchers, they re-watch as clients do. */
  private restart(err: Error): void {
    for (const w of this.watchers) {
      w.stopped = true;
      w.sink.fail(err);
    }
    this.watchers.clear();
    this.ring = [];
    this.ringStart = 0;
    this.storeWatch = undefined;
    this.starting = undefined;
  }

  private dispatch(evs: WatchEvent[]): void {
    for (const ev of evs) {
      const ce = new CachedEvent(ev);
      this.current = ce.revision;
      if (this.ring.length - this.ringStart >= this.capacity) {
        this.floor = this.ring[this.ringStart].revision;
        this.ringStart++;
        if (this.ringStart > 1024) {
          this.ring = this.ring.slice(this.ringStart);
          this.ringStart = 0;
        }
      }
      this.ring.push(ce);
      for (const w of this.watchers) {
        if (w.stopped || ce.revision <= w.after || !ev.kv.key.startsWith(w.prefix)) continue;
        const item = itemFor(ce, w);
        if (item) w.sink.send(item);
      }
    }
  }

  /**
   * Watch keys under `prefix` (the resource prefix, or a namespace below it) after revision
   * `after`. Resolves once the watcher is registered; events may be delivered before it resolves.
   */
  async watch(prefix: string, after: number, filter: ObjectFilter, sink: WatchSink): Promise<WatchHandle> {
    await this.start();
    if (after < this.floor) return this.directWatch(prefix, after, filter, sink);
    const w: CacheWatcher = { prefix, filter, after, sink, stopped: false };
    for (let i = this.ringStart; i < this.ring.length; i++) {
      const ce = this.ring[i];
      if (ce.revision <= after || !ce.ev.kv.key.startsWith(prefix)) continue;
      const item = itemFor(ce, w);
      if (item) sink.send(item);
    }
    // Replayed up to the ring's end; live events continue from there.
    w.after = Math.max(after, this.current);
    this.watchers.add(w);
    return { stop: () => { w.stopped = true; this.watchers.delete(w); } };
  }

  /** A watch from before the ring: straight from the store's history (or Compacted). */
  private directWatch(prefix: string, after: number, filter: ObjectFilter, sink: WatchSink): WatchHandle {
    const w: CacheWatcher = { prefix, filter, after, sink, stopped: false };
    const sw = this.store.watch({
      prefix,
      afterRevision: after,
      onEvent: (evs) => {
        for (const ev of evs) {
          if (w.stopped) return;
          const item = itemFor(new CachedEvent(ev), w);
          if (item) sink.send(item);
        }
      },
      onError: (err) => { if (!w.stopped) { w.stopped = true; sink.fail(err); } },
    });
    return { stop: () => { w.stopped = true; sw.stop(); } };
  }

  stop(): void {
    this.storeWatch?.stop();
    for (const w of this.watchers) w.stopped = true;
    this.watchers.clear();
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
