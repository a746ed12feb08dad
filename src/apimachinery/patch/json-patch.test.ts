import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJSONPatch, decodeJSONPatch, JSONPatchApplyError, JSON_PATCH_REJECTED_MESSAGE } from './json-patch.js';

function fails(doc: unknown, patch: unknown, detail: string | RegExp): void {
  try {
    applyJSONPatch(doc, patch);
  } catch (e) {
    assert.ok(e instanceof JSONPatchApplyError, String(e));
    assert.equal(e.code, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.message, JSON_PATCH_REJECTED_MESSAGE);
    assert.deepEqual(e.toStatus().details, {});
    if (typeof detail === 'string') assert.equal(e.patchError, detail);
    else assert.match(e.patchError, detail);
    return;
  }
  assert.fail('expected the patch to fail');
}

test('RFC 6902 appendix A basics: add, remove, replace, move, copy, test', () => {
  assert.deepEqual(applyJSONPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { foo: 'bar', baz: 'qux' });
  assert.deepEqual(applyJSONPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
  assert.deepEqual(applyJSONPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' });
  assert.deepEqual(applyJSONPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]), { foo: ['bar', 'baz'] });
  assert.deepEqual(applyJSONPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]), { baz: 'boo', foo: 'bar' });
  assert.deepEqual(
    applyJSONPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]),
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  );
  assert.deepEqual(applyJSONPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]), { foo: ['all', 'cows', 'eat', 'grass'] });
  assert.deepEqual(applyJSONPatch({ a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }]), { a: { b: [1] }, c: { b: [1] } });
  assert.deepEqual(applyJSONPatch({ baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }]), { baz: 'qux', foo: ['a', 2, 'c'] });
  assert.deepEqual(applyJSONPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]), { foo: ['bar', ['abc', 'def']] });
});

test('escaped pointer tokens ~1 and ~0', () => {
  const doc = { metadata: { annotations: { 'a/b': 'x', 'm~n': 'y' } } };
  const out = applyJSONPatch(doc, [
    { op: 'replace', path: '/metadata/annotations/a~1b', value: 'X' },
    { op: 'remove', path: '/metadata/annotations/m~0n' },
    { op: 'add', path: '/metadata/annotations/~01', value: 'z' },
  ]);
  assert.deepEqual(out, { metadata: { annotations: { 'a/b': 'X', '~1': 'z' } } });
});

test('test op failures and v4 null semantics', () => {
  fails({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'testing value /baz failed: test failed');
  fails({ a: { b: 1 } }, [{ op: 'test', path: '/a', value: { b: 2 } }], 'testing value /a failed: test failed');
  fails({ a: 1 }, [{ op: 'test', path: '/missing', value: 1 }], 'testing value /missing failed: test failed');
  // Missing or null member tests equal to null; so does a missing expected value.
  applyJSONPatch({ a: 1 }, [{ op: 'test', path: '/missing', value: null }]);
  applyJSONPatch({ a: null }, [{ op: 'test', path: '/a', value: null }]);
  applyJSONPatch({ a: [1, { b: 'c' }] }, [{ op: 'test', path: '', value: { a: [1, { b: 'c' }] } }]);
  fails({ a: 1 }, [{ op: 'test', path: '/x/y', value: 1 }], 'test operation does not apply: is missing path: /x/y: missing value');
});

test('errors for missing paths and bad indices (all 422)', () => {
  fails({ spec: {} }, [{ op: 'add', path: '/spec/x/y', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/x/y": missing value');
  fails({ a: 1 }, [{ op: 'remove', path: '/b' }], "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value");
  fails({ a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }], "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced");
  fails({ a: [1] }, [{ op: 'remove', path: '/a/1' }], /Unable to access invalid index: 1/);
  fails({ a: [1] }, [{ op: 'replace', path: '/a/1', value: 2 }], 'replace operation does not apply: doc is missing key: /a/1: missing value');
  fails({ a: [1] }, [{ op: 'add', path: '/a/x', value: 1 }], /value was not a proper array index: 'x'/);
  fails({ a: 1 }, [{ op: 'move', from: '/b', path: '/c' }], /Unable to remove nonexistent key: b/);
  fails({ a: 1 }, [{ op: 'frobnicate', path: '/a' }], 'Unexpected kind: frobnicate');
  fails({ a: 1 }, [{ path: '/a' }], 'Unexpected kind: unknown');
  fails({ a: 1 }, [{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value');
  fails({ a: 1 }, [{ op: 'add', path: '', value: 1 }], 'add operation does not apply: doc is missing path: "": missing value');
});

test('v4 quirks: replace of a missing member sets it; negative indices; copy of missing member adds null', () => {
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
  assert.deepEqual(applyJSONPatch({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }]), { a: [1, 2] });
  assert.deepEqual(applyJSONPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-1', value: 9 }]), { a: [1, 2, 9] });
  assert.deepEqual(applyJSONPatch({ a: [1, 2] }, [{ op: 'replace', path: '/a/-2', value: 0 }]), { a: [0, 2] });
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'copy', from: '/zz', path: '/b' }]), { a: 1, b: null });
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'add', path: '/b' }]), { a: 1, b: null });
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'replace', path: '', value: { z: 1 } }]), { z: 1 });
});

test('inputs are never mutated and results do not alias the patch', () => {
  const doc = { spec: { list: [1, 2], m: { k: 'v' } } };
  const snapshot = structuredClone(doc);
  const value = { deep: [1] };
  const patch = [{ op: 'add', path: '/spec/new', value }, { op: 'remove', path: '/spec/list/0' }, { op: 'replace', path: '/spec/m/k', value: 'w' }];
  const patchSnapshot = structuredClone(patch);
  const out = applyJSONPatch(doc, patch) as unknown as { spec: { new: { deep: number[] } } };
  assert.deepEqual(doc, snapshot);
  assert.deepEqual(patch, patchSnapshot);
  out.spec.new.deep.push(2);
  assert.deepEqual(value, { deep: [1] });
  // A failing patch leaves the input untouched too.
  assert.throws(() => applyJSONPatch(doc, [{ op: 'remove', path: '/spec/list/0' }, { op: 'test', path: '/spec/m/k', value: 'nope' }]));
  assert.deepEqual(doc, snapshot);
});

test('patch that is not an array → 400 with Go decoding text; too many ops → 413', () => {
  assert.throws(() => applyJSONPatch({}, { op: 'add' }), { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' });
  assert.throws(() => applyJSONPatch({}, 'x'), { code: 400, message: 'json: cannot unmarshal string into Go value of type jsonpatch.Patch' });
  assert.throws(() => decodeJSONPatch([1]), { code: 400, message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation' });
  assert.deepEqual(applyJSONPatch({ a: 1 }, null), { a: 1 });
  const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.throws(() => applyJSONPatch({ a: 1 }, many), { code: 413, message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' });
});
