import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, type StatusError } from '../../apimachinery/errors.js';
import { checkApplyBody, checkFields, checkPatchFields, fieldValidationDirective, yamlDuplicateKeys } from './index.js';
import { jsonDuplicateKeys } from './json-duplicates.js';

const deploy = (extra: string) => `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":1${extra},"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx","resources":{"limits":{"cpu":"1"}}}]}}}}`;

function thrown(fn: () => unknown): string {
  try { fn(); } catch (e) { if (isStatusError(e)) return `${e.code} ${e.message}`; throw e; }
  return '';
}

test('absent fieldValidation means Warn (kube-apiserver default since 1.27)', () => {
  assert.equal(fieldValidationDirective(null), 'Warn');
  assert.equal(fieldValidationDirective(''), 'Warn');
  assert.equal(fieldValidationDirective('Strict'), 'Strict');
  assert.equal(fieldValidationDirective('Ignore'), 'Ignore');
});

test('a clean body passes every directive', () => {
  for (const d of ['Strict', 'Warn', 'Ignore'] as const) {
    assert.deepEqual(checkFields({ raw: deploy(''), contentType: 'application/json', apiVersion: 'apps/v1', kind: 'Deployment', directive: d }), { warnings: [] });
  }
});

test('Strict rejects unknown and duplicate fields in document order, with paths', () => {
  const raw = deploy(',"foo":1,"replicas":2').replace('"image":"nginx"', '"image":"nginx","imagee":"x"');
  assert.equal(thrown(() => checkFields({ raw, contentType: 'application/json', apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Strict' })),
    '400 Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas", unknown field "spec.template.spec.containers[0].imagee"');
});

test('Warn returns one warning per problem; Ignore returns none', () => {
  const raw = deploy(',"foo":1');
  assert.deepEqual(checkFields({ raw, contentType: 'application/json', apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Warn' }).warnings, ['unknown field "spec.foo"']);
  assert.deepEqual(checkFields({ raw, contentType: 'application/json', apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Ignore' }).warnings, []);
});

test('free-form and map fields are not reported; metadata is checked', () => {
  const cm = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"any":"thing"},"bogus":1},"data":{"k":"v"}}';
  assert.deepEqual(checkFields({ raw: cm, contentType: 'application/json', apiVersion: 'v1', kind: 'ConfigMap', directive: 'Warn' }).warnings, ['unknown field "metadata.bogus"']);
  const crd = '{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"a.b"},"spec":{"group":"b","names":{"plural":"a","kind":"A"},"scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}';
  assert.deepEqual(checkFields({ raw: crd, contentType: 'application/json', apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', directive: 'Strict' }).warnings, []);
});

test('YAML duplicate keys are reported with go-yaml line numbers', () => {
  const y = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\nfoo: 1\n';
  assert.deepEqual(yamlDuplicateKeys(y), ['line 7: key "a" already set in map']);
  assert.deepEqual(checkFields({ raw: y, contentType: 'application/yaml', apiVersion: 'v1', kind: 'ConfigMap', directive: 'Warn' }).warnings,
    ['line 7: key "a" already set in map', 'unknown field "foo"']);
  assert.equal(thrown(() => checkFields({ raw: y, contentType: 'application/yaml', apiVersion: 'v1', kind: 'ConfigMap', directive: 'Strict' })),
    '400 ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 7: key "a" already set in map, unknown field "foo"');
});

test('an invalid quantity is a decode error whatever the directive', () => {
  const raw = deploy('').replace('"cpu":"1"', '"cpu":"1x"');
  assert.equal(thrown(() => checkFields({ raw, contentType: 'application/json', apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Ignore' })),
    '400 Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
});

test('patches: duplicates from the patch text, unknown fields from the patched object', () => {
  const patched = JSON.parse(deploy('')) as Record<string, unknown>;
  (patched.spec as Record<string, unknown>).paused2 = true;
  const r = checkPatchFields({ patch: '{"spec":{"paused2":true,"replicas":1,"replicas":2}}', patchContentType: 'application/merge-patch+json', patched, apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Warn' });
  assert.deepEqual(r.warnings, ['duplicate field "spec.replicas"', 'unknown field "spec.paused2"']);
  assert.equal(thrown(() => checkPatchFields({ patch: '{}', patchContentType: 'application/merge-patch+json', patched, apiVersion: 'apps/v1', kind: 'Deployment', directive: 'Strict' })),
    '400 strict decoding error: unknown field "spec.paused2"');
});

test('jsonDuplicateKeys: repeats per object with go-yaml lines; strings, arrays and escapes are not keys', () => {
  assert.deepEqual(jsonDuplicateKeys('{"a":1,"b":{"a":2,"c":"x\\"y","c":3},"a":4}'), [
    'line 1: key "c" already set in map',
    'line 1: key "a" already set in map',
  ]);
  assert.deepEqual(jsonDuplicateKeys('{"l":[{"n":"a"},{"n":"a"}],"s":"{\\"k\\":1,\\"k\\":2}","e":"\\\\"}'), []);
  assert.deepEqual(jsonDuplicateKeys('{\n  "x": 1,\n  "y": [1, 2],\n  "\\u0078": 2\n}'), ['line 4: key "x" already set in map']);
});

test('checkApplyBody: Strict throws the upstream 400, Warn returns the repeats, Ignore nothing', () => {
  const text = '{"spec":{"replicas":1,"replicas":2}}';
  assert.throws(() => checkApplyBody(jsonDuplicateKeys(text), 'Strict'), (e: StatusError) => e.code === 400 && e.message === 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "replicas" already set in map');
  assert.deepEqual(checkApplyBody(jsonDuplicateKeys(text), 'Warn').warnings, ['line 1: key "replicas" already set in map']);
  assert.deepEqual(checkApplyBody(jsonDuplicateKeys(text), 'Ignore').warnings, []);
  assert.deepEqual(checkApplyBody(yamlDuplicateKeys('spec:\n  a: 1\n  a: 2\n'), 'Warn').warnings, ['line 3: key "a" already set in map']);
});
