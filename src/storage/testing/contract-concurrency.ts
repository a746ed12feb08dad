/**
 * Concurrency, compaction and lifecycle parts of the storage contract (see contract.ts):
 * read-modify-write workers with Conflict retries lose no update; reads and watches before the
 * compacted revision fail with Compacted (the API's 410 Expired); close rejects further calls;
 * durable backends keep data and keep counting revisions across close/reopen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError, type Store } from '../interface.js';
import { rejectsWith, withStore, type ContractHarness } from './contract.js';
import { collect, waitFor } from './contract-watch.js';

/** One read-modify-write increment of a JSON counter, retried on Conflict (bounded). */
async function increment(s: Store, key: string): Promise<number> {
  let cur = await s.get(key);
  for (let attempt = 0; attempt < 1000; attempt++) {
    if (!cur) throw new Error(`counter ${key} vanished`);
    const n = (JSON.parse(cur.value) as { n: number }).n + 1;
    try {
      await s.update(key, JSON.stringify({ n }), cur.modRevision);
      return attempt;
    } catch (err) {
      if (!isStorageError(err, 'Conflict')) throw err;
      cur = err.current ?? (await s.get(key));
    }
  }
  throw new Error(`gave up incrementing ${key}`);
}

export function concurrencyContract(h: ContractHarness): void {
  describe('concurrent writers', () => {
    it('lose no update under read-modify-write with Conflict retries', () =>
      withStore(h, async (s) => {
        const keys = ['/cnt/a', '/cnt/b', '/cnt/c'];
        for (const k of keys) await s.create(k, JSON.stringify({ n: 0 }));
        const workers = 8;
        const perWorker = 24;
        let retries = 0;
        await Promise.all(
          Array.from({ length: workers }, async (_, w) => {
            for (let i = 0; i < perWorker; i++) retries += await increment(s, keys[(w + i) % keys.length]!);
          }),
        );
        const finals = await Promise.all(keys.map(async (k) => (JSON.parse((await s.get(k))!.value) as { n: number }).n));
        assert.deepEqual(finals, keys.map(() => (workers * perWorker) / keys.length));
        assert.ok(retries > 0, 'the workers really raced (some updates conflicted)');
      }));

    it('lets exactly one of many concurrent creates of a key win', () =>
      withStore(h, async (s) => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.create('/race/k', String(i))));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'KeyExists'));
      }));
  });
}

export function compactionContract(h: ContractHarness): void {
  describe('compaction', () => {
    it('fails reads and watches before the compacted revision with Compacted, keeps the rest', () =>
      withStore(h, async (s) => {
        const a1 = await s.create('/cmp/a', '1');
        const a2 = await s.update('/cmp/a', '2', a1.modRevision);
        await s.create('/cmp/b', 'b');
        await s.delete('/cmp/b');
        const keep = await s.create('/cmp/c', 'c');
        const r = await s.currentRevision();
        const a3 = await s.update('/cmp/a', '3', a2.modRevision);
        await s.compact(r);
        assert.ok((await s.compactedRevision()) >= r);
        const old = a1.modRevision;
        const e1 = await rejectsWith(s.get('/cmp/a', old), 'Compacted');
        if (e1.compactedRevision !== undefined) assert.ok(e1.compactedRevision >= r);
        await rejectsWith(s.list('/cmp/', { revision: old }), 'Compacted');
        const w = collect(s, '/cmp/', old);
        await waitFor(() => w.error !== undefined, 'the Compacted watch error');
        assert.ok(isStorageError(w.error, 'Compacted'), `watch error ${String(w.error)}`);
        // At and after the compacted revision everything is still there.
        assert.deepEqual(await s.get('/cmp/a', r), a2);
        assert.deepEqual((await s.list('/cmp/', { revision: r })).items, [a2, keep]);
        assert.deepEqual((await s.list('/cmp/')).items, [a3, keep]);
        assert.equal(await s.count('/cmp/'), 2);
        const fromR = collect(s, '/cmp/', r);
        await waitFor(() => fromR.events.length === 1, 'the event after the compacted revision');
        assert.deepEqual(fromR.events[0]!.kv, a3);
        fromR.stop();
        await s.compact(r); // compacting again to the same revision is a no-op
        const a4 = await s.update('/cmp/a', '4', a3.modRevision);
        assert.ok(a4.modRevision > a3.modRevision);
      }));
  });
}

export function lifecycleContract(h: ContractHarness): void {
  describe('lifecycle', () => {
    it('ends watches and rejects calls after close', async () => {
      const s = await h.open();
      await s.create('/l/a', '1');
      const w = collect(s, '/l/', 0);
      await s.close();
      await waitFor(() => w.error !== undefined, 'the watch to end on close');
      await rejectsWith(s.get('/l/a'), 'Closed');
      await rejectsWith(s.create('/l/b', '1'), 'Closed');
      await rejectsWith(s.list('/l/'), 'Closed');
      await s.close(); // idempotent
    });

    if (h.reopen) {
      it('keeps data and revisions across close and reopen', async () => {
        const s = await h.open();
        await s.create('/pad', 'so that /d/a is not at revision 1');
        const a = await s.create('/d/a', 'a1');
        const a2 = await s.update('/d/a', 'a2', a.modRevision);
        const b = await s.create('/d/b', 'b');
        const gone = await s.create('/d/gone', 'x');
        const del = await s.delete('/d/gone', gone.modRevision);
        const rev = await s.currentRevision();
        assert.equal(rev, del.modRevision);
        await s.close();
        const s2 = await h.reopen!(s);
        try {
          assert.deepEqual((await s2.list('/d/')).items, [a2, b]);
          assert.equal(await s2.currentRevision(), rev);
          assert.equal((await s2.get('/d/a', a.modRevision))?.value, 'a1');
          const c = await s2.create('/d/c', 'c');
          assert.ok(c.modRevision > rev, 'revisions continue after reopen');
          const replay = collect(s2, '/d/', a.modRevision - 1);
          await waitFor(() => replay.events.length === 6, 'replayed history after reopen');
          assert.deepEqual(replay.events.map((e) => e.type), ['create', 'update', 'create', 'create', 'delete', 'create']);
          replay.stop();
        } finally {
          await s2.close();
        }
      });
    }
  });
}
