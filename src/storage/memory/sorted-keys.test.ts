/** SortedKeys keeps UTF-8 byte order through chunk splits and deletions. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SortedKeys } from './sorted-keys.js';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

it('keeps many random keys sorted bytewise across chunk splits and deletes', () => {
  const s = new SortedKeys();
  const ref = new Set<string>();
  const alphabet = ['a', 'b', '/', '0', '\u00e9', '\uff01', '\u{1f600}'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 5000; i++) {
    let k = '';
    for (let j = 0; j < 1 + Math.floor(rnd() * 6); j++) k += alphabet[Math.floor(rnd() * alphabet.length)];
    if (rnd() < 0.25 && ref.size > 0) {
      assert.equal(s.delete(k), ref.delete(k));
    } else {
      assert.equal(s.add(k), !ref.has(k));
      ref.add(k);
    }
  }
  assert.equal(s.size, ref.size);
  const expected = [...ref].sort(byteOrder);
  assert.deepEqual([...s.from('')], expected);
  const mid = expected[Math.floor(expected.length / 2)]!;
  assert.deepEqual([...s.from(mid, true)], expected.filter((k) => byteOrder(k, mid) > 0));
  assert.deepEqual([...s.from(mid)], expected.filter((k) => byteOrder(k, mid) >= 0));
  assert.ok(s.has(mid));
  assert.equal(s.has('not-there'), ref.has('not-there'));
});
