/**
 * The default backend: one SQLite file (better-sqlite3, WAL) holding a kine-style revision log
 * (schema.ts). Writes go through group commit (group-commit.ts): a write's promise resolves only
 * after its transaction committed with synchronous=FULL, i.e. after fsync. Watchers are fed
 * in-process right after each commit (watch-hub.ts), never by polling. Compaction runs in small
 * batches (compaction.ts), driven by the shared background policy (../compactor.ts).
 *
 * better-sqlite3 is synchronous, so every read runs between commits and sees exactly the
 * committed state at `rev`; reads never wait for queued writes.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { realClock, type Clock } from '../../util/clock.js';
import { Compactor, defaultCompactionPolicy, type CompactionPolicy } from '../compactor.js';
import { checkReadRevision, closedError, futureRevisionError } from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from '../interface.js';
import { compareKeys, prefixEnd } from '../keys.js';
import { WatchHub } from '../watch-hub.js';
import { SqliteCompaction } from './compaction.js';
import { GroupCommit, OP, type WriteOp } from './group-commit.js';
import { prepare, SCHEMA, type Statements } from './schema.js';

export interface SqliteStoreOptions {
  /** Database file (its directory is created). ':memory:' works but is not durable. */
  file: string;
  clock?: Clock;
  /** Background compaction policy; false disables it (default: defaultCompactionPolicy). */
  compaction?: CompactionPolicy | false;
  /** Most writes per commit (default 1000). */
  maxBatch?: number;
  /** Rows per compaction transaction (default 500). */
  compactionBatchRows?: number;
  /** Progress notifications to caught-up watchers (ms; 0 = off, the default). */
  progressIntervalMs?: number;
}

/** Upper bound for a prefix that has no tight one; lists also check startsWith. */
const MAX_KEY = '\u{10ffff}\u{10ffff}\u{10ffff}\u{10ffff}';

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmts: Statements;
  private readonly writes: GroupCommit;
  private readonly compaction: SqliteCompaction;
  private readonly compactor: Compactor | undefined;
  private readonly hub: WatchHub;
  private rev: number;
  private closed = false;

  constructor(opts: SqliteStoreOptions) {
    this.file = opts.file;
    if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
    const clock = opts.clock ?? realClock;
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('cache_size = -32768');
    this.db.exec(SCHEMA);
    this.stmts = prepare(this.db);
    this.compaction = new SqliteCompaction({ db: this.db, stmts: this.stmts, batchRows: opts.compactionBatchRows ?? 500 });
    // Compaction may delete the newest row (a tombstone), so the compacted revision bounds it too.
    this.rev = Math.max(this.stmts.maxId.get()?.[0] ?? 0, this.compaction.compacted);
    this.hub = new WatchHub({
      clock,
      progressIntervalMs: opts.progressIntervalMs ?? 0,
      source: {
        currentRevision: () => this.rev,
        compactedRevision: () => this.compaction.compacted,
        readEvents: (prefix, after, upto, limit) => this.readEvents(prefix, after, upto, limit),
      },
    });
    this.writes = new GroupCommit({
      db: this.db,
      stmts: this.stmts,
      maxBatch: opts.maxBatch ?? 1000,
      revision: () => this.rev,
      committed: (rev, events) => {
        this.rev = rev;
        this.hub.publish(events);
      },
    });
    void this.compaction.resume();
    const policy = opts.compaction === undefined ? defaultCompactionPolicy : opts.compaction;
    if (policy) {
      this.compactor = new Compactor({ target: this, clock, policy });
      this.compactor.start();
    }
  }

  async get(key: string, revision?: number): Promise<KeyValue | null> {
    this.ensureOpen();
    const at = this.readRevision(revision);
    const row = this.stmts.latestAt.get(key, at);
    if (!row || row[2] !== 0) return null;
    return { key, value: row[3], createRevision: row[1], modRevision: row[0] };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const at = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const end = prefixEnd(prefix) ?? MAX_KEY;
    const after = opts.startAfter !== undefined && compareKeys(opts.startAfter, prefix) >= 0;
    const stmt = after ? this.stmts.listAfter : this.stmts.listFrom;
    const rows = stmt.all(after ? opts.startAfter! : prefix, end, at, limit < 0 ? -1 : limit + 1);
    const more = limit >= 0 && rows.length > limit;
    const n = more ? limit : rows.length;
    const items: KeyValue[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (!r[1].startsWith(prefix)) continue;
      items.push({ key: r[1], value: r[3], createRevision: r[2], modRevision: r[0] });
    }
    if (!more) return { items, revision: at, more, remaining: 0 };
    // Keys after the page (for remainingItemCount), counted at the same revision as etcd's
    // count-only range does.
    const last = items.length ? items[items.length - 1]!.key : (opts.startAfter ?? prefix);
    const remaining = this.stmts.count.get(`${last}\u0000`, end, at)?.[0] ?? 0;
    return { items, revision: at, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    return this.stmts.count.get(prefix, prefixEnd(prefix) ?? MAX_KEY, this.rev)?.[0] ?? 0;
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.submit(OP.CREATE, key, value, -1);
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.submit(OP.UPDATE, key, value, expectedModRevision);
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.submit(OP.DELETE, key, '', expectedModRevision ?? -1);
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
    return this.compaction.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    if (revision > this.rev) throw futureRevisionError(revision, this.rev);
    await this.compaction.compact(revision);
  }

  async sizeBytes(): Promise<number> {
    this.ensureOpen();
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    let wal = 0;
    if (this.file !== ':memory:') wal = statSync(`${this.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return pages * size + wal;
  }

  /** Commits queued writes, ends watches, stops compaction, closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writes.flushAll();
    await this.compaction.stop();
    await this.compactor?.stop();
    this.hub.close();
    this.db.close();
  }

  private submit(op: WriteOp['op'], key: string, value: string, expected: number): Promise<KeyValue> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<KeyValue>((resolve, reject) => this.writes.submit({ op, key, value, expected, resolve, reject }));
  }

  private readRevision(revision: number | undefined): number {
    if (!revision) return this.rev;
    checkReadRevision(revision, this.compaction.compacted, this.rev);
    return revision;
  }

  private readEvents(prefix: string, after: number, upto: number, limit: number): WatchEvent[] {
    const rows = this.stmts.events.all(after, upto, prefix, prefixEnd(prefix) ?? MAX_KEY, limit);
    const out: WatchEvent[] = [];
    for (const [id, name, created, deleted, createRev, prevRev, value, prevValue] of rows) {
      if (!name.startsWith(prefix)) continue;
      const kv: KeyValue = { key: name, value, createRevision: createRev, modRevision: id };
      if (created) out.push({ type: 'create', kv });
      else if (deleted) out.push({ type: 'delete', kv, prev: { key: name, value, createRevision: createRev, modRevision: prevRev } });
      else if (prevValue !== null) out.push({ type: 'update', kv, prev: { key: name, value: prevValue, createRevision: createRev, modRevision: prevRev } });
      else out.push({ type: 'update', kv });
    }
    return out;
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }
}
