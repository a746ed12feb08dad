/** The scheduling queue on a fake clock: back-off 1 s doubling to 10 s, cluster events, the 5-minute flush. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { SchedulingQueue } from './queue.js';

/** The next active key without waiting (pop() would park a waiter that takes a later key). */
async function popNow(q: SchedulingQueue): Promise<string | undefined> {
  return q.pendingCount > 0 ? q.pop() : undefined;
}

test('unschedulable pods wait for a cluster event, respecting back-off', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add('a');
  assert.equal(await q.pop(), 'a');
  q.failed('a', false);
  q.moveAllToActiveOrBackoff();
  assert.equal(await popNow(q), undefined, 'still backing off (1 s)');
  clock.step(1000);
  assert.equal(await popNow(q), 'a');
  q.failed('a', false);
  assert.equal(await popNow(q), undefined, 'parked until an event');
  clock.step(5000);
  assert.equal(await popNow(q), undefined);
  q.moveAllToActiveOrBackoff();
  assert.equal(await popNow(q), 'a', 'back-off (2 s) already over');
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => q.backoff(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  q.close();
});

test('errors retry after back-off; stale unschedulable pods are retried after 5 minutes', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add('b');
  await q.pop();
  q.failed('b', true);
  clock.step(999);
  assert.equal(await popNow(q), undefined);
  clock.step(1);
  assert.equal(await popNow(q), 'b');
  q.add('c');
  await q.pop();
  q.failed('c', false);
  clock.step(5 * 60_000 + 30_000);
  assert.equal(await popNow(q), 'c');
  q.delete('c');
  assert.equal(q.has('c'), false);
  q.close();
});
