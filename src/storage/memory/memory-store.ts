/**
 * In-memory backend (tests and `--store memory`): etcd v3 semantics without durability.
 *
 * State: every key's versions (ascending revisions, tombstones included) in a Map, the keys in a
 * SortedKeys set for prefix lists, and a global revision log (the same version objects, in
 * revision order) for watch replay. Reads at older revisions binary-search a key's versions.
 * Compaction to R drops log entries <= R and, per key, every version superseded at R (plus a
 * tombstone that is the key's state at R), as etcd's mvcc compaction keeps only the latest
 * revision at or below R of each live key.
 */
import { realClock, type Clock } from '../../util/clock.js';
import { Compactor, type CompactionPolicy } from '../compactor.js';
import { checkReadRevision, closedError, conflictError, futureRevisionError, keyExistsError, notFoundError } from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from '../interface.js';
import { compareKeys } from '../keys.js';
import { WatchHub } from '../watch-hub.js';
import { SortedKeys } from './sorted-keys.js';

export interface MemoryStoreOptions {
  clock?: Clock;
  /** Background compaction; omitted = none (tests compact explicitly). */
  compaction?: CompactionPolicy;
  /** Progress notifications to caught-up watchers (ms; 0 = off). */
  progressIntervalMs?: number;
}

interface Version {
  key: string;
  rev: number;
  createRev: number;
  /** For tombstones: the last value before deletion. */
  value: string;
  deleted: boolean;
  /** Revision of the version this one replaced (0 for a create). */
  prevRev: number;
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly history = new Map<string, Version[]>();
  private readonly keys = new SortedKeys();
  private log: Version[] = [];
  private rev = 0;
  private compacted = 0;
  private closed = false;
  private readonly hub: WatchHub;
  private readonly compactor: Compactor | undefined;

  constructor(opts: MemoryStoreOptions = {}) {
    const clock = opts.clock ?? realClock;
    this.hub = new WatchHub({
      clock,
      progressIntervalMs: opts.progressIntervalMs ?? 0,
      source: {
        currentRevision: () => this.rev,
        compactedRevision: () => this.compacted,
        readEvents: (prefix, after, upto, limit) => this.readEvents(prefix, after, upto, limit),
      },
    });
    if (opts.compaction) {
      this.compactor = new Compactor({ target: this, clock, policy: opts.compaction });
      this.compactor.start();
    }
  }

  async get(key: string, revision?: number): Promise<KeyValue | null> {
    this.ensureOpen();
    const at = this.readRevision(revision);
    const v = this.visible(key, at);
    return v ? toKv(v) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const at = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const start = opts.startAfter !== undefined && compareKeys(opts.startAfter, prefix) >= 0 ? opts.startAfter : prefix;
    const items: KeyValue[] = [];
    let more = false;
    for (const key of this.keys.from(start, start === opts.startAfter)) {
      if (!key.startsWith(prefix)) break;
      const v = this.visible(key, at);
      if (!v) continue;
      if (items.length >= limit) {
        more = true;
        break;
      }
      items.push(toKv(v));
    }
    if (!more) return { items, revision: at, more, remaining: 0 };
    // Keys after the page (remainingItemCount), at the same revision.
    let remaining = 0;
    const last = items[items.length - 1]?.key;
    for (const key of this.keys.from(last ?? start, last !== undefined)) {
      if (!key.startsWith(prefix)) break;
      if (this.visible(key, at)) remaining++;
    }
    return { items, revision: at, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    let n = 0;
    for (const key of this.keys.from(prefix)) {
      if (!key.startsWith(prefix)) break;
      if (this.visible(key, this.rev)) n++;
    }
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.ensureOpen();
    const versions = this.history.get(key);
    const last = versions?.[versions.length - 1];
    if (last && !last.deleted) throw keyExistsError(key, toKv(last));
    const rev = ++this.rev;
    const v: Version = { key, rev, createRev: rev, value, deleted: false, prevRev: last?.rev ?? 0 };
    this.append(v, versions);
    const kv = toKv(v);
    this.hub.publish([{ type: 'create', kv }]);
    return kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.ensureOpen();
    const versions = this.history.get(key);
    const last = versions?.[versions.length - 1];
    if (!versions || !last || last.deleted) throw notFoundError(key);
    if (last.rev !== expectedModRevision) throw conflictError(key, expectedModRevision, toKv(last));
    const rev = ++this.rev;
    const v: Version = { key, rev, createRev: last.createRev, value, deleted: false, prevRev: last.rev };
    this.append(v, versions);
    const kv = toKv(v);
    this.hub.publish([{ type: 'update', kv, prev: toKv(last) }]);
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.ensureOpen();
    const versions = this.history.get(key);
    const last = versions?.[versions.length - 1];
    if (!versions || !last || last.deleted) throw notFoundError(key);
    if (expectedModRevision !== undefined && last.rev !== expectedModRevision) throw conflictError(key, expectedModRevision, toKv(last));
    const rev = ++this.rev;
    const v: Version = { key, rev, createRev: last.createRev, value: last.value, deleted: true, prevRev: last.rev };
    this.append(v, versions);
    const kv = toKv(v);
    this.hub.publish([{ type: 'delete', kv, prev: toKv(last) }]);
    return kv;
  }

  watch(opts: WatchOptions): Watch {
    return this.hub.watch(opts);
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    return this.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    if (revision > this.rev) throw futureRevisionError(revision, this.rev);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    const cut = firstAfter(this.log, revision);
    const touched = new Set<string>();
    for (let i = 0; i < cut; i++) touched.add(this.log[i]!.key);
    this.log = this.log.slice(cut);
    for (const key of touched) this.pruneKey(key, revision);
  }

  async sizeBytes(): Promise<number> {
    let bytes = 0;
    for (const [key, versions] of this.history) {
      for (const v of versions) bytes += 2 * (key.length + v.value.length) + 64;
    }
    return bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compactor?.stop();
    this.hub.close();
  }

  private append(v: Version, versions: Version[] | undefined): void {
    if (versions) versions.push(v);
    else {
      this.history.set(v.key, [v]);
      this.keys.add(v.key);
    }
    this.log.push(v);
  }

  /** The live version of key at revision `at`, or undefined (absent or deleted). */
  private visible(key: string, at: number): Version | undefined {
    const versions = this.history.get(key);
    if (!versions) return undefined;
    const v = versions[lastAtOrBefore(versions, at)];
    return v && !v.deleted ? v : undefined;
  }

  private readRevision(revision: number | undefined): number {
    if (!revision) return this.rev;
    checkReadRevision(revision, this.compacted, this.rev);
    return revision;
  }

  /** Drops the versions of key superseded at `revision`, and a tombstone that is its state there. */
  private pruneKey(key: string, revision: number): void {
    const versions = this.history.get(key);
    if (!versions) return;
    const idx = lastAtOrBefore(versions, revision);
    if (idx < 0) return;
    const drop = versions[idx]!.deleted ? idx + 1 : idx;
    if (drop > 0) versions.splice(0, drop);
    if (versions.length === 0) {
      this.history.delete(key);
      this.keys.delete(key);
    }
  }

  private readEvents(prefix: string, after: number, upto: number, limit: number): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (let i = firstAfter(this.log, after); i < this.log.length && out.length < limit; i++) {
      const v = this.log[i]!;
      if (v.rev > upto) break;
      if (!v.key.startsWith(prefix)) continue;
      out.push(this.eventOf(v));
    }
    return out;
  }

  private eventOf(v: Version): WatchEvent {
    const kv = toKv(v);
    if (v.prevRev === 0 || v.createRev === v.rev) return { type: 'create', kv };
    const versions = this.history.get(v.key)!;
    const prev = versions[lastAtOrBefore(versions, v.prevRev)];
    const prevKv = prev && prev.rev === v.prevRev ? toKv(prev) : undefined;
    const type = v.deleted ? 'delete' : 'update';
    return prevKv ? { type, kv, prev: prevKv } : { type, kv };
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }
}

function toKv(v: Version): KeyValue {
  return { key: v.key, value: v.value, createRevision: v.createRev, modRevision: v.rev };
}

/** Index of the last version with rev <= at (-1 if none). */
function lastAtOrBefore(versions: Version[], at: number): number {
  let lo = 0;
  let hi = versions.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid]!.rev <= at) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Index of the first log entry with rev > after. */
function firstAfter(log: Version[], after: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.rev <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
