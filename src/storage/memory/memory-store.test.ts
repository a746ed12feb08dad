/** The memory backend runs the shared storage contract, plus its own background-compaction check. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { runStoreContract } from '../testing/contract.js';
import { MemoryStore } from './memory-store.js';

runStoreContract('memory', { open: async () => new MemoryStore() });

it('memory: background compaction keeps keepRevisions and keepForMs of history', async () => {
  const clock = new FakeClock();
  const s = new MemoryStore({ clock, compaction: { intervalMs: 1000, keepRevisions: 5, keepForMs: 2000 } });
  let kv = await s.create('/k', '0');
  for (let i = 1; i < 20; i++) kv = await s.update('/k', String(i), kv.modRevision);
  clock.step(1000); // sample rev 20 at t=1000; nothing is old enough yet
  await new Promise((r) => setImmediate(r));
  assert.equal(await s.compactedRevision(), 0);
  for (let i = 20; i < 40; i++) kv = await s.update('/k', String(i), kv.modRevision);
  clock.step(1000);
  await new Promise((r) => setImmediate(r));
  clock.step(1000); // t=3000: the t=1000 sample (rev 20) is 2 s old → compact to min(20, 40-5)
  await new Promise((r) => setImmediate(r));
  assert.equal(await s.compactedRevision(), 20);
  assert.equal((await s.get('/k', 20))?.value, '19');
  await assert.rejects(s.get('/k', 19), /compacted/);
  await s.close();
});
