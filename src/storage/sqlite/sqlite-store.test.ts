/**
 * The sqlite backend runs the shared storage contract on temp files, plus sqlite-specific
 * checks: background compaction really deletes superseded rows and survives a restart, and
 * acknowledged writes survive SIGKILL of the writing process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runStoreContract } from '../testing/contract.js';
import { killDurabilityCheck } from '../testing/durability.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'keks-sqlite-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract('sqlite', {
  open: async () => new SqliteStore({ file: join(dir, `contract-${n++}.db`), compaction: false }),
  reopen: async (closed) => new SqliteStore({ file: (closed as SqliteStore).file, compaction: false }),
});

describe('sqlite backend', () => {
  it('compaction deletes superseded rows in batches, and the compacted revision survives restart', async () => {
    const file = join(dir, 'compact.db');
    const s = new SqliteStore({ file, compaction: false, compactionBatchRows: 7 });
    let kv = await s.create('/k/a', '0');
    for (let i = 1; i < 50; i++) kv = await s.update('/k/a', String(i), kv.modRevision);
    const gone = await s.create('/k/gone', 'x');
    await s.delete('/k/gone', gone.modRevision);
    const r = await s.currentRevision();
    const sizeBefore = countRows(file);
    await s.compact(r - 10);
    await s.close();
    assert.equal(countRows(file), sizeBefore - (r - 10 - 1), 'every row superseded at the compacted revision is gone');
    const s2 = new SqliteStore({ file, compaction: false });
    assert.equal(await s2.compactedRevision(), r - 10);
    assert.equal(await s2.currentRevision(), r);
    await assert.rejects(s2.get('/k/a', r - 11), /compacted/);
    assert.equal((await s2.get('/k/a', r - 10))?.value, String(r - 10 - 1));
    await s2.compact(r); // the tombstone at r is the newest row; the revision must still continue
    await s2.close();
    const s3 = new SqliteStore({ file, compaction: false });
    assert.equal(await s3.currentRevision(), r);
    assert.ok((await s3.create('/k/next', 'n')).modRevision > r);
    assert.equal(await s3.get('/k/gone'), null);
    await s3.close();
  });

  it('commits concurrent writes together and fails only the conflicting one', async () => {
    const s = new SqliteStore({ file: join(dir, 'batch.db'), compaction: false });
    const a = await s.create('/b/a', '0');
    const results = await Promise.allSettled([s.update('/b/a', '1', a.modRevision), s.update('/b/a', '2', a.modRevision), s.create('/b/c', 'c'), s.create('/b/c', 'dup')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    assert.equal((await s.get('/b/a'))?.value, '1');
    await s.close();
  });

  it('keeps every acknowledged write when the writer is SIGKILLed mid-burst', async () => {
    const file = join(dir, 'kill.db');
    await killDurabilityCheck({
      writerArgs: ['--kind', 'sqlite', '--file', file],
      open: async () => new SqliteStore({ file, compaction: false }),
    });
  });
});

function countRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM kine').pluck().get() as number;
  } finally {
    db.close();
  }
}
