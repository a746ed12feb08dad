/**
 * The SQLite schema and prepared statements: a kine-style log table (k3s-io/kine,
 * pkg/drivers/sqlite + pkg/drivers/generic), one row per write, row id = revision.
 *
 * - `created`/`deleted` mark a key's first row and its tombstone; a tombstone's `value` holds
 *   the last value (so a replayed delete event needs no join).
 * - `prev_revision` is the row this one supersedes (0 when the key had no row). The UNIQUE
 *   (name, prev_revision) index is kine's optimistic-concurrency backstop: two writes can never
 *   both supersede the same row, even if a bug slipped past the in-transaction checks.
 * - (name, id) serves "latest row of a key" (get) and the per-key MAX in lists.
 * - Unlike kine there is no `old_value` column: an update event's previous value is the row at
 *   prev_revision, which compaction keeps for every event after the compacted revision (that
 *   row is the key's state at the compacted revision). That halves the bytes per update.
 * - kine_meta holds the compacted revision and the compaction cursor so both survive restarts.
 */
import type Database from 'better-sqlite3';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id);
CREATE TABLE IF NOT EXISTS kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** A key's newest row at or below a revision: [id, create_revision, deleted, value]. */
export type LatestRow = [number, number, number, string];
/** A list row: [id, name, create_revision, value]. */
export type ListRow = [number, string, number, string];
/** A replay row: [id, name, created, deleted, create_revision, prev_revision, value, prev value | null]. */
export type EventRow = [number, string, number, number, number, number, string, string | null];

export interface Statements {
  latestAt: Database.Statement<[string, number], LatestRow>;
  insert: Database.Statement<[number, string, number, number, number, number, string]>;
  /** [lower bound, range end, revision, limit]. */
  listFrom: Database.Statement<[string, string, number, number], ListRow>;
  listAfter: Database.Statement<[string, string, number, number], ListRow>;
  count: Database.Statement<[string, string, number], [number]>;
  events: Database.Statement<[number, number, string, string, number], EventRow>;
  maxId: Database.Statement<[], [number | null]>;
  getMeta: Database.Statement<[string], [number]>;
  setMeta: Database.Statement<[string, number]>;
  chunkEnd: Database.Statement<[number, number, number], [number]>;
  compactPrev: Database.Statement<[number, number]>;
  compactTombstones: Database.Statement<[number, number]>;
}

/** Prepares every statement once (better-sqlite3 statements are reusable and cached here). */
export function prepare(db: Database.Database): Statements {
  const raw = <P extends unknown[], R>(sql: string) => db.prepare<P, R>(sql).raw(true) as unknown as Database.Statement<P, R>;
  return {
    latestAt: raw('SELECT id, create_revision, deleted, value FROM kine WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1'),
    insert: db.prepare('INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    // The newest row per key at the revision, live keys only, in name order: from the prefix
    // (inclusive) or after a continue key (exclusive), below the prefix's range end.
    listFrom: raw(listSql('>=')),
    listAfter: raw(listSql('>')),
    count: raw(
      `SELECT COUNT(*) FROM kine k
       WHERE name >= ? AND name < ? AND deleted = 0
         AND id = (SELECT MAX(id) FROM kine WHERE name = k.name AND id <= ?)`,
    ),
    // Replay scans by row id (+name disables the name index so the planner walks revisions).
    events: raw(
      `SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value, p.value
       FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision AND k.created = 0 AND k.deleted = 0
       WHERE k.id > ? AND k.id <= ? AND +k.name >= ? AND +k.name < ?
       ORDER BY k.id LIMIT ?`,
    ),
    maxId: raw('SELECT MAX(id) FROM kine'),
    getMeta: raw('SELECT value FROM kine_meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO kine_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    chunkEnd: raw('SELECT id FROM kine WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ?'),
    // Compaction to R keeps only the newest row <= R of each live key (as etcd's mvcc
    // compaction). Every row's prev_revision is the key's row just before it, so the rows
    // superseded at R are exactly the prev_revisions of rows <= R, plus tombstones <= R.
    compactPrev: db.prepare('DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ? AND id <= ? AND prev_revision > 0)'),
    compactTombstones: db.prepare('DELETE FROM kine WHERE id > ? AND id <= ? AND deleted = 1'),
  };
}

function listSql(lower: '>=' | '>'): string {
  return `SELECT id, name, create_revision, value FROM kine k
    WHERE name ${lower} ? AND name < ? AND deleted = 0
      AND id = (SELECT MAX(id) FROM kine WHERE name = k.name AND id <= ?)
    ORDER BY name LIMIT ?`;
}
