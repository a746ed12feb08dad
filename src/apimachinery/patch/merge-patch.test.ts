import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';

test('RFC 7386 appendix A test cases', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify([doc, patch]));
});

test('v4 details: nulls in arrays are kept; array replacing an object is taken as is', () => {
  assert.deepEqual(applyMergePatch({ a: 1 }, { b: [null, { c: null, d: 1 }] }), { a: 1, b: [null, { d: 1 }] });
  assert.deepEqual(applyMergePatch({ a: { x: 1 } }, { a: [{ c: null }] }), { a: [{ c: null }] });
  assert.deepEqual(applyMergePatch({ a: 1 }, [1, null]), [1, null]);
});

test('a null or scalar patch is a 400 "Invalid JSON Patch"', () => {
  for (const p of [null, 5, 'x', true]) assert.throws(() => applyMergePatch({ a: 1 }, p), { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
});

test('never mutates its inputs; result shares nothing with the patch', () => {
  const doc = { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1] } };
  const patch = { metadata: { labels: { a: null, c: '3' } }, spec: { obj: { x: [1] } } };
  const ds = structuredClone(doc);
  const ps = structuredClone(patch);
  const out = applyMergePatch(doc, patch) as { metadata: { labels: Record<string, string> }; spec: { obj: { x: number[] } } };
  assert.deepEqual(out, { metadata: { labels: { b: '2', c: '3' } }, spec: { list: [1], obj: { x: [1] } } });
  assert.deepEqual(doc, ds);
  assert.deepEqual(patch, ps);
  out.spec.obj.x.push(2);
  assert.deepEqual(patch.spec.obj.x, [1]);
});
