/** WatchHub details the contract suite does not reach: re-entrant writes, progress, throwing handlers. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { isStorageError, type WatchEvent } from './interface.js';
import { MemoryStore } from './memory/memory-store.js';

const tick = () => new Promise((r) => setImmediate(r));
/** Watches end with Closed when the store closes; anything else is a test failure. */
const unexpected = (err: Error) => {
  if (!isStorageError(err, 'Closed')) assert.fail(err);
};

it('keeps revision order for every watcher when a handler writes from inside onEvent', async () => {
  const s = new MemoryStore();
  const seenA: number[] = [];
  const seenB: number[] = [];
  s.watch({
    prefix: '/',
    afterRevision: 0,
    onEvent: (events) => {
      for (const e of events) {
        seenA.push(e.kv.modRevision);
        if (e.kv.key === '/a') void s.create('/b', 'from handler');
      }
    },
    onError: unexpected,
  });
  s.watch({ prefix: '/', afterRevision: 0, onEvent: (events) => seenB.push(...events.map((e) => e.kv.modRevision)), onError: unexpected });
  await s.create('/a', '1');
  await tick();
  assert.deepEqual(seenA, [1, 2]);
  assert.deepEqual(seenB, [1, 2]);
  await s.close();
});

it('sends progress to caught-up watchers and ends a watcher whose handler throws', async () => {
  const clock = new FakeClock();
  const s = new MemoryStore({ clock, progressIntervalMs: 1000 });
  await s.create('/a', '1');
  const progress: number[] = [];
  let failed: Error | undefined;
  const events: WatchEvent[] = [];
  s.watch({ prefix: '/', afterRevision: 0, onEvent: () => {}, onError: unexpected, onProgress: (r) => progress.push(r) });
  s.watch({
    prefix: '/',
    afterRevision: 0,
    onEvent: (e) => {
      events.push(...e);
      throw new Error('handler bug');
    },
    onError: (err) => (failed = err),
  });
  await s.create('/b', '2');
  await tick();
  clock.step(1000);
  assert.deepEqual(progress, [2]);
  assert.equal(failed?.message, 'handler bug');
  await s.create('/c', '3');
  await tick();
  assert.equal(events.length, 1, 'no delivery after the watch ended');
  await s.close();
});
