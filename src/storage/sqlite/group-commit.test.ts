/** GroupCommit: one transaction per turn, per-write checks, all-or-nothing on database failure. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { isStorageError, type KeyValue, type WatchEvent } from '../interface.js';
import { GroupCommit, OP, type WriteOp } from './group-commit.js';
import { prepare, SCHEMA } from './schema.js';

function setup(failOn?: string) {
  const db = new Database(':memory:');
  db.exec(SCHEMA);
  const stmts = prepare(db);
  if (failOn) {
    const real = stmts.insert;
    stmts.insert = { run: (...args: Parameters<typeof real.run>) => {
      if (args[1] === failOn) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      return real.run(...args);
    } } as typeof real;
  }
  let rev = 0;
  const commits: WatchEvent[][] = [];
  const gc = new GroupCommit({ db, stmts, maxBatch: 3, revision: () => rev, committed: (r, events) => ((rev = r), commits.push(events)) });
  const write = (op: WriteOp['op'], key: string, value = 'v', expected = -1) =>
    new Promise<KeyValue>((resolve, reject) => gc.submit({ op, key, value, expected, resolve, reject }));
  return { db, gc, write, commits, rev: () => rev };
}

it('commits a turn of writes in batches of maxBatch, in submission order', async () => {
  const t = setup();
  const results = await Promise.all(['/a', '/b', '/c', '/d', '/e'].map((k) => t.write(OP.CREATE, k)));
  assert.deepEqual(results.map((r) => r.modRevision), [1, 2, 3, 4, 5]);
  assert.deepEqual(t.commits.map((c) => c.length), [3, 2]);
  t.db.close();
});

it('fails only the write whose check fails, and the batch revisions stay dense', async () => {
  const t = setup();
  const [a, dup, b] = await Promise.allSettled([t.write(OP.CREATE, '/a'), t.write(OP.CREATE, '/a'), t.write(OP.CREATE, '/b')]);
  assert.equal(a.status, 'fulfilled');
  assert.ok(dup.status === 'rejected' && isStorageError(dup.reason, 'KeyExists'));
  assert.ok(b.status === 'fulfilled' && b.value.modRevision === 2);
  t.db.close();
});

it('rolls back the whole batch with Unavailable when the database fails, and keeps going', async () => {
  const t = setup('/bad');
  await t.write(OP.CREATE, '/first');
  const settled = await Promise.allSettled([t.write(OP.CREATE, '/x'), t.write(OP.CREATE, '/bad'), t.write(OP.CREATE, '/y')]);
  for (const r of settled) assert.ok(r.status === 'rejected' && isStorageError(r.reason, 'Unavailable'));
  assert.equal(t.rev(), 1);
  assert.equal(t.db.prepare('SELECT COUNT(*) FROM kine').pluck().get(), 1, 'nothing of the failed batch was written');
  const next = await t.write(OP.CREATE, '/x');
  assert.equal(next.modRevision, 2);
  t.db.close();
});
