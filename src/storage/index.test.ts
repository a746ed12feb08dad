import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { createStore, isStorageError } from './index.js';

test('createStore: a memory store compacts in the background like the others (it kept every version forever before)', async () => {
  const clock = new FakeClock();
  const store = await createStore({ kind: 'memory', clock });
  try {
    for (let i = 0; i < 1500; i++) await store.create(`/k/${i}`, '{}');
    // Samples every 60 s; history older than 5 min and more than 1,000 revisions back goes.
    for (let m = 0; m < 7; m++) { clock.step(60_000); await new Promise((r) => setImmediate(r)); }
    for (let i = 1500; i < 1510; i++) await store.create(`/k/${i}`, '{}');
    for (let m = 0; m < 2; m++) { clock.step(60_000); await new Promise((r) => setImmediate(r)); }
    await assert.rejects(store.get('/k/0', 1), (e: unknown) => isStorageError(e, 'Compacted'));
    const none = await createStore({ kind: 'memory', clock, compaction: false });
    await none.create('/k/0', '{}');
    for (let m = 0; m < 9; m++) clock.step(60_000);
    assert.ok(await none.get('/k/0', 1), 'compaction: false keeps history');
    await none.close();
  } finally {
    await store.close();
  }
});
