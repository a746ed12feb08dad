/**
 * Error wording and status codes of applyStrategicMergePatch, as kube-apiserver 1.32 answers
 * (mergepatch errors, handlers/patch.go interpretStrategicMergePatchError, the CRD handler's 415).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyStrategicMergePatch } from './strategic.js';
import { goFmt } from './strategic-errors.js';

const deploy = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x' }] } }, strategy: { type: 'RollingUpdate' } },
};

function fails(patch: unknown, code: number, reason: string, message: string | RegExp, apiVersion = 'apps/v1', kind = 'Deployment'): void {
  assert.throws(() => applyStrategicMergePatch(deploy, patch, apiVersion, kind), (e: unknown) => {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('custom resources: 415 with the CRD handler wording', () => {
  fails({ spec: {} }, 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml', 'example.com/v1', 'Widget');
});

test('a patch that is not a JSON object: 400 with encoding/json wording', () => {
  fails([1], 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  fails('x', 400, 'BadRequest', 'json: cannot unmarshal string into Go value of type map[string]interface {}');
});

test('unknown object field: 500 (not a Status upstream) with the forked encoding/json wording', () => {
  // Fields are only looked up when the live object has a map or list there too, or for directives.
  fails({ spec: { template: { spec: { '$setElementOrder/bogus': [] } } } }, 500, '', 'unable to find api field in struct PodSpec for the json field "bogus"');
  fails({ spec: { '$setElementOrder/paused': [] } }, 500, '', 'expected slice or array type, but got: struct');
  fails({ spec: { '$setElementOrder/replicas': [] } }, 500, '', 'expected a []interface {}, but received a int64');
});

test('an object where the Go type is a map: not a struct', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'x' } } };
  assert.throws(() => applyStrategicMergePatch({ ...cm, metadata: { ...cm.metadata, labels: { a: { b: 1 } } } }, { metadata: { labels: { a: { c: 2 } } } }, 'v1', 'ConfigMap'),
    (e: unknown) => e instanceof StatusError && e.code === 500 && e.message === 'merging an object in json but data type is not struct, instead is: map');
});

test('missing merge key: 500 with the map rendered as Go prints it', () => {
  fails({ spec: { template: { spec: { containers: [{ image: 'y' }] } } } }, 500, '', 'map: map[image:y] does not contain declared merge key: name');
});

test('directive format errors are 400', () => {
  fails({ spec: { strategy: { $retainKeys: 'type' } } }, 400, 'BadRequest', 'invalid patch format of retainKeys');
  fails({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, 400, 'BadRequest', 'invalid patch format of retainKeys');
  fails({ spec: { template: { spec: { '$setElementOrderX/containers': [] } } } }, 400, 'BadRequest', 'invalid patch format of setElementOrder list');
  fails({ metadata: { '$deleteFromPrimitiveListX/finalizers': [] } }, 400, 'BadRequest', 'invalid patch format of primitive list');
});

test('bad $patch values and $patch: merge in a list', () => {
  fails({ spec: { $patch: 'bogus' } }, 500, '', 'unknown patch type: bogus in map: map[$patch:bogus]');
  fails({ spec: { template: { spec: { containers: [{ name: 'a', $patch: 'merge' }] } } } }, 500, '', 'merging lists cannot yet be specified in the patch');
});

test('$setElementOrder inconsistent with the patch list', () => {
  fails({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'z' }] } } } }, 500, '', /^The order in patch list:\n\[map\[image:z name:b\]\]\n doesn't match \$setElementOrder list:\n\[map\[name:a\]\]\n$/);
});

test('mixed element types and lists of lists', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a'] } };
  assert.throws(() => applyStrategicMergePatch(cm, { metadata: { finalizers: [{ x: 1 }] } }, 'v1', 'ConfigMap'),
    (e: unknown) => e instanceof StatusError && e.code === 500 && e.message === 'list element types are not identical: [[a] [map[x:1]]]');
  assert.throws(() => applyStrategicMergePatch({ ...cm, metadata: { name: 'c', finalizers: [] } }, { metadata: { finalizers: [['a']] } }, 'v1', 'ConfigMap'),
    (e: unknown) => e instanceof StatusError && e.code === 422 && e.reason === 'Invalid');
});

test('goFmt renders like fmt %v', () => {
  assert.equal(goFmt({ b: [1, 'x', null], a: { c: true } }), 'map[a:map[c:true] b:[1 x <nil>]]');
  assert.equal(goFmt(1.5), '1.5');
  assert.equal(goFmt(1e-7), '1e-07');
});
