/**
 * The storage contract: ONE suite every backend runs from its own test file, so memory, sqlite
 * and etcd provably share etcd v3 semantics (interface.ts). A backend test calls
 * `runStoreContract('sqlite', harness)`; the harness opens a fresh, empty store per test (and,
 * for durable backends, reopens one on the same data).
 *
 * Tests never assume revisions start at 1 or are contiguous (an etcd server is shared between
 * tests through key prefixes); they compare against the revisions the writes returned.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isStorageError, type KeyValue, type Store, type StorageErrorCode } from '../interface.js';
import { compactionContract, concurrencyContract, lifecycleContract } from './contract-concurrency.js';
import { watchContract } from './contract-watch.js';

export interface ContractHarness {
  /** A fresh, empty store (its own file, directory or key prefix). */
  open(): Promise<Store>;
  /** Durable backends: a new store on the same data as `closed` (which the test closed). */
  reopen?(closed: Store): Promise<Store>;
  /** Called once after the suite (stop servers, remove temp dirs). */
  cleanup?(): Promise<void>;
}

/** Registers the whole contract as a `describe` block named after the backend. */
export function runStoreContract(name: string, harness: ContractHarness): void {
  describe(`storage contract: ${name}`, () => {
    if (harness.cleanup) after(() => harness.cleanup!());
    crudContract(harness);
    listContract(harness);
    watchContract(harness);
    concurrencyContract(harness);
    compactionContract(harness);
    lifecycleContract(harness);
  });
}

/** Opens a store, runs fn, always closes it. */
export async function withStore(h: ContractHarness, fn: (s: Store) => Promise<void>): Promise<void> {
  const s = await h.open();
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** Asserts that `p` rejects with a StorageError of `code`; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: StorageErrorCode) {
  try {
    await p;
  } catch (err) {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but it resolved`);
}

function crudContract(h: ContractHarness): void {
  describe('get/create/update/delete', () => {
    it('creates a key once and reads it back', () =>
      withStore(h, async (s) => {
        assert.equal(await s.get('/a/x'), null);
        const kv = await s.create('/a/x', 'v1');
        assert.deepEqual({ key: kv.key, value: kv.value }, { key: '/a/x', value: 'v1' });
        assert.ok(kv.modRevision > 0);
        assert.equal(kv.createRevision, kv.modRevision);
        assert.deepEqual(await s.get('/a/x'), kv);
        assert.equal(await s.currentRevision(), kv.modRevision);
        const err = await rejectsWith(s.create('/a/x', 'v2'), 'KeyExists');
        assert.equal(err.key, '/a/x');
        assert.equal((await s.get('/a/x'))?.value, 'v1');
      }));

    it('updates only at the expected modRevision', () =>
      withStore(h, async (s) => {
        const c = await s.create('/a/x', 'v1');
        const u = await s.update('/a/x', 'v2', c.modRevision);
        assert.ok(u.modRevision > c.modRevision);
        assert.equal(u.createRevision, c.createRevision);
        assert.equal(u.value, 'v2');
        const conflict = await rejectsWith(s.update('/a/x', 'v3', c.modRevision), 'Conflict');
        if (conflict.current) assert.deepEqual(conflict.current, u);
        assert.deepEqual(await s.get('/a/x'), u);
        await rejectsWith(s.update('/a/missing', 'v', 1), 'NotFound');
        assert.equal(await s.get('/a/missing'), null);
      }));

    it('deletes guarded and unguarded, returning the last value at the delete revision', () =>
      withStore(h, async (s) => {
        const c = await s.create('/a/x', 'v1');
        await rejectsWith(s.delete('/a/x', c.modRevision + 1000), 'Conflict');
        const d = await s.delete('/a/x', c.modRevision);
        assert.equal(d.key, '/a/x');
        assert.equal(d.value, 'v1');
        assert.equal(d.createRevision, c.createRevision);
        assert.ok(d.modRevision > c.modRevision);
        assert.equal(await s.currentRevision(), d.modRevision);
        assert.equal(await s.get('/a/x'), null);
        await rejectsWith(s.delete('/a/x'), 'NotFound');
        await rejectsWith(s.update('/a/x', 'v', d.modRevision), 'NotFound');
        const again = await s.create('/a/x', 'v2');
        assert.ok(again.createRevision > d.modRevision);
        const d2 = await s.delete('/a/x');
        assert.equal(d2.value, 'v2');
      }));

    it('reads a key as of an older revision', () =>
      withStore(h, async (s) => {
        const before = await s.create('/a/other', 'o');
        const c = await s.create('/a/x', 'v1');
        const u = await s.update('/a/x', 'v2', c.modRevision);
        const d = await s.delete('/a/x');
        assert.equal(await s.get('/a/x', before.modRevision), null);
        assert.equal((await s.get('/a/x', c.modRevision))?.value, 'v1');
        assert.deepEqual(await s.get('/a/x', u.modRevision), u);
        assert.equal(await s.get('/a/x', d.modRevision), null);
        assert.equal(await s.get('/a/x'), null);
        await assert.rejects(s.get('/a/other', d.modRevision + 1000), /future revision/, 'reading a future revision fails');
        await assert.rejects(s.list('/a/', { revision: d.modRevision + 1000 }), /future revision/);
      }));

    it('gives every write a strictly greater revision', () =>
      withStore(h, async (s) => {
        const revs: number[] = [];
        for (let i = 0; i < 20; i++) {
          const kv = await s.create(`/r/${i}`, String(i));
          revs.push(kv.modRevision);
          if (i % 3 === 0) revs.push((await s.update(`/r/${i}`, 'u', kv.modRevision)).modRevision);
          if (i % 4 === 0) revs.push((await s.delete(`/r/${i}`)).modRevision);
        }
        const parallel = await Promise.all(Array.from({ length: 20 }, (_, i) => s.create(`/p/${i}`, 'x')));
        const pr = parallel.map((kv) => kv.modRevision);
        assert.equal(new Set(pr).size, pr.length, 'concurrent writes get distinct revisions');
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revision ${revs[i]} after ${revs[i - 1]}`);
        assert.ok(Math.min(...pr) > revs[revs.length - 1]!);
        assert.equal(await s.currentRevision(), Math.max(...pr));
      }));
  });
}

/** Keys chosen to catch non-bytewise ordering: '/' vs '0', accents, and an astral character vs U+FF01. */
const SORT_KEYS = ['/s/a', '/s/a/b', '/s/a/b/c', '/s/a0', '/s/b', '/s/z', '/s/\u00e9', '/s/\uff01', '/s/\u{1f600}', '/s/'];

function listContract(h: ContractHarness): void {
  describe('list', () => {
    it('lists a prefix in bytewise ascending order', () =>
      withStore(h, async (s) => {
        const shuffled = [...SORT_KEYS].sort(() => Math.random() - 0.5);
        for (const k of shuffled) await s.create(k, k);
        await s.create('/t/outside', 'x');
        await s.create('/s', 'exact-prefix-without-slash');
        const expected = [...SORT_KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        const all = await s.list('/s/');
        assert.deepEqual(all.items.map((i) => i.key), expected);
        assert.equal(all.more, false);
        assert.equal(all.revision, await s.currentRevision());
        for (const it of all.items) assert.equal(it.value, it.key);
        assert.deepEqual((await s.list('/s/a')).items.map((i) => i.key), ['/s/a', '/s/a/b', '/s/a/b/c', '/s/a0']);
        assert.deepEqual((await s.list('/s/a/')).items.map((i) => i.key), ['/s/a/b', '/s/a/b/c']);
        assert.deepEqual((await s.list('/nothing/')).items, []);
        assert.equal(await s.count('/s/'), SORT_KEYS.length);
        assert.equal(await s.count('/s/a'), 4);
        assert.equal(await s.count('/nothing/'), 0);
      }));

    it('pages with limit and startAfter, and reports more', () =>
      withStore(h, async (s) => {
        for (let i = 0; i < 25; i++) await s.create(`/pg/${String(i).padStart(3, '0')}`, String(i));
        const seen: string[] = [];
        let startAfter: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await s.list('/pg/', { limit: 10, ...(startAfter ? { startAfter } : {}) });
          pages++;
          assert.ok(page.items.length <= 10);
          seen.push(...page.items.map((i) => i.key));
          if (page.remaining !== undefined) assert.equal(page.remaining, 25 - seen.length);
          if (!page.more) break;
          startAfter = page.items[page.items.length - 1]!.key;
        }
        assert.equal(pages, 3);
        assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `/pg/${String(i).padStart(3, '0')}`));
        const exact = await s.list('/pg/', { limit: 25 });
        assert.equal(exact.items.length, 25);
        assert.equal(exact.more, false);
      }));

    it('paginates consistently at a fixed revision while writes happen', () =>
      withStore(h, async (s) => {
        const kvs: KeyValue[] = [];
        for (let i = 0; i < 30; i++) kvs.push(await s.create(`/cp/${String(i).padStart(2, '0')}`, `v${i}`));
        const first = await s.list('/cp/', { limit: 7 });
        const rev = first.revision;
        const keys = first.items.map((i) => i.key);
        let last = keys[keys.length - 1]!;
        let more = first.more;
        let n = 0;
        while (more) {
          // Writes between pages: new keys, deleted keys, updated values — none may show up.
          await s.create(`/cp/${String(n).padStart(2, '0')}x`, 'new');
          await s.delete(`/cp/${String(29 - n).padStart(2, '0')}`);
          const k = kvs[n]!;
          await s.update(k.key, 'changed', k.modRevision);
          const page = await s.list('/cp/', { limit: 7, startAfter: last, revision: rev });
          assert.equal(page.revision, rev);
          for (const it of page.items) assert.ok(it.modRevision <= rev);
          keys.push(...page.items.map((i) => i.key));
          if (page.items.length) last = page.items[page.items.length - 1]!.key;
          more = page.more;
          n++;
        }
        assert.deepEqual(keys, kvs.map((k) => k.key));
        const old = await s.list('/cp/', { revision: rev });
        assert.deepEqual(old.items, kvs);
        const now = await s.list('/cp/');
        assert.ok(now.revision > rev);
        assert.equal(now.items.filter((i) => i.value === 'changed').length, n);
      }));

    it('lists as of an older revision, including since-deleted keys', () =>
      withStore(h, async (s) => {
        const a = await s.create('/o/a', 'a1');
        const b = await s.create('/o/b', 'b1');
        const at = await s.currentRevision();
        await s.update('/o/a', 'a2', a.modRevision);
        await s.delete('/o/b');
        await s.create('/o/c', 'c1');
        const old = await s.list('/o/', { revision: at });
        assert.deepEqual(old.items, [a, b]);
        assert.equal(old.revision, at);
        const now = await s.list('/o/');
        assert.deepEqual(now.items.map((i) => `${i.key}=${i.value}`), ['/o/a=a2', '/o/c=c1']);
        const paged = await s.list('/o/', { revision: at, limit: 1, startAfter: '/o/a' });
        assert.deepEqual(paged.items, [b]);
        assert.equal(paged.more, false);
      }));
  });
}
