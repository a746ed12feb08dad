/**
 * Group commit for the sqlite backend: writes queue up and are committed together, one
 * transaction per event-loop turn (setImmediate), so N concurrent writers pay for one fsync.
 *
 * Each write is checked on its own inside the transaction, against the rows written before it
 * in the same batch, exactly as if the writes had been committed one by one in queue order:
 * a KeyExists/NotFound/Conflict fails only that write. Only a database failure (disk full, I/O
 * error) fails the whole batch, with `Unavailable`, and rolls back every write in it.
 * With synchronous=FULL, COMMIT returns after the WAL is fsynced; only then are the promises
 * resolved and the events handed to watchers, in revision order.
 */
import type Database from 'better-sqlite3';
import { conflictError, keyExistsError, notFoundError } from '../errors.js';
import { StorageError, type KeyValue, type WatchEvent } from '../interface.js';
import type { LatestRow, Statements } from './schema.js';

const CREATE = 0;
const UPDATE = 1;
const DELETE = 2;

export interface WriteOp {
  op: typeof CREATE | typeof UPDATE | typeof DELETE;
  key: string;
  value: string;
  /** Expected modRevision (update; delete when guarded), -1 = unguarded. */
  expected: number;
  resolve: (kv: KeyValue) => void;
  reject: (err: Error) => void;
}

export const OP = { CREATE, UPDATE, DELETE } as const;

export interface GroupCommitOptions {
  db: Database.Database;
  stmts: Statements;
  /** Most writes per transaction (the rest go into the next turn). */
  maxBatch: number;
  /** The last committed revision. */
  revision: () => number;
  /** Called after a successful commit with the new revision and the batch's events, in order. */
  committed: (revision: number, events: WatchEvent[]) => void;
}

const NO_ROW = Number.MAX_SAFE_INTEGER;

export class GroupCommit {
  private readonly o: GroupCommitOptions;
  private queue: WriteOp[] = [];
  private scheduled = false;
  private readonly runBatch: (batch: WriteOp[], results: (KeyValue | StorageError)[], events: WatchEvent[]) => number;

  constructor(opts: GroupCommitOptions) {
    this.o = opts;
    this.runBatch = opts.db.transaction((batch: WriteOp[], results: (KeyValue | StorageError)[], events: WatchEvent[]) => {
      let rev = this.o.revision();
      for (const w of batch) rev = this.apply(w, rev, results, events);
      return rev;
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  submit(w: WriteOp): void {
    this.queue.push(w);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits one batch; leaves the rest for the next turn so reads and timers run in between. */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.commit(this.take());
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits everything queued, now (close()). */
  flushAll(): void {
    while (this.queue.length > 0) this.commit(this.take());
  }

  private take(): WriteOp[] {
    if (this.queue.length <= this.o.maxBatch) {
      const all = this.queue;
      this.queue = [];
      return all;
    }
    const batch = this.queue.slice(0, this.o.maxBatch);
    this.queue = this.queue.slice(this.o.maxBatch);
    return batch;
  }

  private commit(batch: WriteOp[]): void {
    const results: (KeyValue | StorageError)[] = [];
    const events: WatchEvent[] = [];
    let rev: number;
    try {
      rev = this.runBatch(batch, results, events);
    } catch (err) {
      const e = new StorageError('Unavailable', `sqlite commit failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const w of batch) w.reject(e);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const r = results[i]!;
      if (r instanceof StorageError) batch[i]!.reject(r);
      else batch[i]!.resolve(r);
    }
    this.o.committed(rev, events);
  }

  /** Checks and inserts one write; returns the revision after it. */
  private apply(w: WriteOp, rev: number, results: (KeyValue | StorageError)[], events: WatchEvent[]): number {
    const row: LatestRow | undefined = this.o.stmts.latestAt.get(w.key, NO_ROW);
    const live = row !== undefined && row[2] === 0;
    const next = rev + 1;
    if (w.op === CREATE) {
      if (live) {
        results.push(keyExistsError(w.key, toKv(w.key, row)));
        return rev;
      }
      if (!this.insert(w, results, [next, w.key, 1, 0, next, row ? row[0] : 0, w.value])) return rev;
      const kv: KeyValue = { key: w.key, value: w.value, createRevision: next, modRevision: next };
      results.push(kv);
      events.push({ type: 'create', kv });
      return next;
    }
    if (!live) {
      results.push(notFoundError(w.key));
      return rev;
    }
    const prev = toKv(w.key, row);
    if (w.expected >= 0 && row[0] !== w.expected) {
      results.push(conflictError(w.key, w.expected, prev));
      return rev;
    }
    const del = w.op === DELETE;
    const value = del ? row[3] : w.value;
    if (!this.insert(w, results, [next, w.key, 0, del ? 1 : 0, row[1], row[0], value])) return rev;
    const kv: KeyValue = { key: w.key, value, createRevision: row[1], modRevision: next };
    results.push(kv);
    events.push({ type: del ? 'delete' : 'update', kv, prev });
    return next;
  }

  /** Runs the INSERT; a UNIQUE violation (the kine backstop) fails only this write. */
  private insert(w: WriteOp, results: (KeyValue | StorageError)[], args: [number, string, number, number, number, number, string]): boolean {
    try {
      this.o.stmts.insert.run(...args);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      results.push(w.op === CREATE ? keyExistsError(w.key) : new StorageError('Conflict', `concurrent write to ${w.key}`, { key: w.key }));
      return false;
    }
  }
}

function toKv(key: string, row: LatestRow): KeyValue {
  return { key, value: row[3], createRevision: row[1], modRevision: row[0] };
}
