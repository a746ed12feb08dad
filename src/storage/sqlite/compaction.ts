/**
 * Batched compaction for the sqlite backend. compact(R) first records R in kine_meta (so reads
 * and watches before R fail with Compacted from then on, also after a restart), then deletes
 * the rows superseded at R in small id ranges (see the compact statements in schema.ts), one
 * short transaction per event-loop turn, so
 * queued writes are never blocked for long. Progress (the last id range done) is stored with
 * each batch; an interrupted compaction resumes from there when the store reopens.
 */
import type Database from 'better-sqlite3';
import type { Statements } from './schema.js';

export const META_COMPACTED = 'compact_rev';
export const META_CURSOR = 'compact_cursor';

export interface SqliteCompactionOptions {
  db: Database.Database;
  stmts: Statements;
  /** Rows examined per transaction. */
  batchRows: number;
}

export class SqliteCompaction {
  private readonly o: SqliteCompactionOptions;
  /** Processes the rows in (lo, min(lo + batchRows rows, target)]; returns the new cursor. */
  private readonly step: (lo: number, target: number) => number;
  private target: number;
  private cursor: number;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: SqliteCompactionOptions) {
    this.o = opts;
    this.target = opts.stmts.getMeta.get(META_COMPACTED)?.[0] ?? 0;
    this.cursor = opts.stmts.getMeta.get(META_CURSOR)?.[0] ?? 0;
    this.step = opts.db.transaction((lo: number, target: number) => {
      const end = opts.stmts.chunkEnd.get(lo, target, opts.batchRows - 1)?.[0] ?? target;
      opts.stmts.compactPrev.run(lo, end);
      opts.stmts.compactTombstones.run(lo, end);
      opts.stmts.setMeta.run(META_CURSOR, end);
      return end;
    });
  }

  /** The compacted revision (reads before it fail). */
  get compacted(): number {
    return this.target;
  }

  /** Raises the compacted revision durably and deletes superseded rows in the background. */
  compact(revision: number): Promise<void> {
    if (revision > this.target) {
      this.o.stmts.setMeta.run(META_COMPACTED, revision);
      this.target = revision;
    }
    return this.resume();
  }

  /** Continues deleting up to the compacted revision; resolves when done. */
  resume(): Promise<void> {
    if (this.running) return this.running;
    if (this.cursor >= this.target || this.stopped) return Promise.resolve();
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops after the current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (this.cursor < this.target && !this.stopped) {
      this.cursor = this.step(this.cursor, this.target);
      await new Promise<void>((r) => setImmediate(r));
    }
  }
}
