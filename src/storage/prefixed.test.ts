/** A prefixed view passes the storage contract and never sees or touches keys outside its prefix. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runStoreContract } from './testing/contract.js';
import { MemoryStore } from './memory/memory-store.js';
import { PrefixedStore } from './prefixed.js';

runStoreContract('prefixed(memory)', {
  async open() {
    const inner = new MemoryStore();
    // A neighbour's keys sort before and after ours: lists and watches must not include them.
    await inner.create('/clusters/a/registry/x', 'neighbour');
    await inner.create('/clusters/c/registry/x', 'neighbour');
    return new PrefixedStore(inner, '/clusters/b', { ownsInner: true });
  },
});

it('prefixed: views of one store are isolated and deleteAll removes only its own keys', async () => {
  const inner = new MemoryStore();
  const a = new PrefixedStore(inner, '/clusters/a');
  const ab = new PrefixedStore(inner, '/clusters/ab');
  await a.create('/registry/k', '1');
  await ab.create('/registry/k', '2');
  const seen: string[] = [];
  const w = a.watch({ prefix: '/registry/', afterRevision: 0, onEvent: (evs) => { for (const e of evs) seen.push(`${e.type}:${e.kv.key}`); }, onError: () => undefined });
  await ab.create('/registry/other', 'x');
  await a.create('/registry/mine', 'y');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['create:/registry/mine']);
  assert.deepEqual((await a.list('/registry/')).items.map((kv) => kv.key), ['/registry/k', '/registry/mine']);
  assert.equal(await a.deleteAll(), 2);
  assert.equal((await ab.get('/registry/k'))?.value, '2');
  assert.equal(await inner.count('/clusters/a/'), 0);
  w.stop();
  await a.close();
  assert.equal((await inner.get('/clusters/ab/registry/k'))?.value, '2', 'closing a non-owning view leaves the store open');
  await inner.close();
});
