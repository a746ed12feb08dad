import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  difference, forEachMember, fromFieldsV1, hasPath, intersection, isEmptySet, pathString,
  recursiveDifference, toFieldsV1, union, type Fields,
} from './fieldset.js';

const a: Fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } };
const b: Fields = { 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:paused': {} } };

test('union keeps membership of both sides and merges children', () => {
  assert.deepEqual(union(a, b), {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } },
    'f:spec': { 'f:replicas': {}, 'f:paused': {} },
  });
});

test('difference removes members only; a node keeps its children when only it goes', () => {
  assert.deepEqual(difference(a, { 'f:spec': { 'f:replicas': {} } }), { 'f:metadata': a['f:metadata'] });
  assert.deepEqual(difference(a, { 'f:metadata': { 'f:labels': {} } }), { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
  assert.equal(difference(a, {}), a);
});

test('intersection and recursiveDifference', () => {
  assert.deepEqual(intersection(a, { 'f:spec': { 'f:replicas': {}, 'f:x': {} } }), { 'f:spec': { 'f:replicas': {} } });
  assert.ok(isEmptySet(intersection(a, b)));
  assert.deepEqual(recursiveDifference(a, { 'f:metadata': {} }), { 'f:spec': { 'f:replicas': {} } });
});

test('hasPath and member iteration in PathElement order', () => {
  assert.ok(hasPath(a, ['f:metadata', 'f:labels']));
  assert.ok(!hasPath(a, ['f:metadata']));
  const seen: string[] = [];
  const s: Fields = { 'i:2': {}, 'v:"x"': {}, 'k:{"name":"b"}': {}, 'k:{"name":"a"}': {}, 'f:z': {}, 'f:a': {} };
  forEachMember(s, (p) => seen.push(pathString(p)));
  assert.deepEqual(seen, ['.a', '.z', '[name="a"]', '[name="b"]', '[="x"]', '[2]']);
});

test('FieldsV1 encoding: "." first, then fields, keys, values, indexes; key fields sorted by name', () => {
  const key = 'k:{"containerPort":80,"protocol":"TCP"}';
  const enc = toFieldsV1({ [key]: {}, 'f:b': {}, '.': {}, 'f:a': {} });
  assert.deepEqual(Object.keys(enc), ['.', 'f:a', 'f:b', key]);
  assert.equal(pathString(['f:spec', 'f:ports', key]), '.spec.ports[containerPort=80,protocol="TCP"]');
  assert.throws(() => fromFieldsV1({ 'x:y': {} }), /invalid path element/);
  assert.throws(() => fromFieldsV1({ 'f:a': [] }), /must be objects/);
});
