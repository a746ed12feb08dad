import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, invalid } from '../errors.js';
import type { ObjectMeta } from '../../api/types.js';
import { nameIsDNSLabel, nameIsPathSegment } from './names.js';
import { TOTAL_ANNOTATION_SIZE_LIMIT_B, validateAnnotations, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

const strs = (errs: ReturnType<typeof validateObjectMeta>): string[] => errs.map(fieldErrorString);
const ns = { namespaced: true };

test('name or generateName is required', () => {
  assert.deepEqual(strs(validateObjectMeta({ namespace: 'default' }, ns)), ['metadata.name: Required value: name or generateName is required']);
  const st = invalid({ group: '', kind: 'ConfigMap' }, '', validateObjectMeta({ namespace: 'default' }, ns)).toStatus();
  assert.equal(st.message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
});

test('name validation per kind', () => {
  assert.deepEqual(strs(validateObjectMeta({ name: 'Foo', namespace: 'default' }, ns)), [
    `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a.b' }, { namespaced: false, validateName: nameIsDNSLabel })), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(strs(validateObjectMeta({ name: 'system:admin' }, { namespaced: false, validateName: nameIsPathSegment })), []);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a/b' }, { namespaced: false, validateName: nameIsPathSegment })), [`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  // generateName is validated as a prefix (trailing dash allowed) — TestValidateObjectMetaCustomName.
  assert.deepEqual(strs(validateObjectMeta({ name: 'web-abcde', generateName: 'web-', namespace: 'x' }, ns)), []);
  assert.match(strs(validateObjectMeta({ name: 'web-abcde', generateName: 'Web-', namespace: 'x' }, ns))[0]!, /^metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/);
});

test('namespace required, valid, or forbidden by scope (TestValidateObjectMetaNamespaces)', () => {
  assert.deepEqual(strs(validateObjectMeta({ name: 'a' }, ns)), ['metadata.namespace: Required value']);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'foo.bar' }, ns)), ['metadata.namespace: Invalid value: "foo.bar": must not contain dots']);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false })), ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('labels: keys and values', () => {
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'n', labels: { 'a/b/c': 'x', ok: '-bad' } }, ns)), [
    `metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    `metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ]);
});

test('TestValidateAnnotations (upstream table) and the 256 KiB total', () => {
  for (const a of <Array<Record<string, string>>>[{ simple: 'bar' }, { '1.2.3.4/5678': 'bar' }, { UpperCase123: 'bar' }, { a: 'b'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B - 1) },
    { a: 'b'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B / 2 - 1), c: 'd'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B / 2 - 1) }]) {
    assert.deepEqual(validateAnnotations(a, 'field'), [], Object.keys(a).join());
  }
  for (const a of <Array<Record<string, string>>>[{ 'nospecialchars^=@': 'bar' }, { 'cantendwithadash-': 'bar' }, { 'only/one/slash': 'bar' }, { ['a'.repeat(254)]: 'bar' }]) {
    assert.equal(validateAnnotations(a, 'field').length, 1);
  }
  assert.deepEqual(strs(validateAnnotations({ a: 'b'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B) }, 'metadata.annotations')), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  // Upper case in the prefix is accepted for annotations (the key is lower-cased first).
  assert.deepEqual(validateAnnotations({ 'Example.com/x': 'y' }, 'f'), []);
});

test('ownerReferences: required parts, banned Event owner, at most one controller', () => {
  const errs = strs(validateObjectMeta({ name: 'a', namespace: 'n', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] }, ns));
  assert.deepEqual(errs, [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
  const ev = strs(validateObjectMeta({ name: 'a', namespace: 'n', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] }, ns));
  assert.equal(ev.length, 1);
  assert.match(ev[0]!, /^metadata.ownerReferences: Invalid value: v1.OwnerReference\{APIVersion:"v1", Kind:"Event".*\}: \/v1, Kind=Event is disallowed from being an owner$/);
  const two = strs(validateObjectMeta({
    name: 'a', namespace: 'n', ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: '1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: '2' },
      { apiVersion: 'example.com/v1', kind: 'Thing', name: 't', uid: '3', controller: true },
    ],
  }, ns));
  assert.equal(two.length, 1);
  assert.match(two[0]!, /Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/r1 and Thing\/t$/);
});

test('finalizers: qualified names, orphan+foreground conflict', () => {
  assert.match(strs(validateObjectMeta({ name: 'a', namespace: 'n', finalizers: ['a/b/c'] }, ns))[0]!, /^metadata.finalizers: Invalid value: "a\/b\/c": a qualified name/);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'n', finalizers: ['orphan', 'foregroundDeletion'] }, ns)), [
    'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
  ]);
});

test('managedFields checks', () => {
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'n', managedFields: [{ manager: 'k', operation: 'Apply', fieldsType: 'FieldsV1' }] }, ns)), []);
  assert.deepEqual(strs(validateObjectMeta({ name: 'a', namespace: 'n', managedFields: [{ manager: 'k', fieldsType: 'X' }] }, ns)), [
    'metadata.managedFields[0].operation: Invalid value: "": must be `Apply` or `Update`',
    'metadata.managedFields[0].fieldsType: Invalid value: "X": must be `FieldsV1`',
  ]);
});

const base: ObjectMeta = { name: 'test', namespace: 'n', uid: 'u1', resourceVersion: '1', creationTimestamp: '2024-01-02T03:04:05Z' };

test('update: immutable name/namespace/uid, resourceVersion required, generation not decremented', () => {
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base }, base)), []);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, name: 'x', namespace: 'm', uid: 'u2', resourceVersion: '' }, base)), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    'metadata.name: Invalid value: "x": field is immutable',
    'metadata.namespace: Invalid value: "m": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, generation: 1 }, { ...base, generation: 2 })), ['metadata.generation: Invalid value: 1: must not be decremented']);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, creationTimestamp: '2024-01-02T03:04:06Z' }, base)), [
    'metadata.creationTimestamp: Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable',
  ]);
});

test('update: deletion fields (TestValidateObjectMetaUpdatePreventsDeletionFieldMutation wording)', () => {
  const now = '1970-01-01T00:16:40Z';
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, deletionTimestamp: now }, base)), ['metadata.deletionTimestamp: Invalid value: 1970-01-01 00:16:40 +0000 UTC: field is immutable']);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base }, { ...base, deletionTimestamp: now })), ['metadata.deletionTimestamp: Invalid value: "null": field is immutable']);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, deletionTimestamp: now, deletionGracePeriodSeconds: 40 }, { ...base, deletionTimestamp: now, deletionGracePeriodSeconds: 30 })), [
    'metadata.deletionGracePeriodSeconds: Invalid value: 40: field is immutable',
  ]);
});

test('update: no new finalizers while deleting (TestValidateFinalizersUpdate)', () => {
  const deleting = { ...base, deletionTimestamp: '2024-01-02T03:04:05Z' };
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...deleting, finalizers: ['x/a', 'y/b'] }, { ...deleting, finalizers: ['x/a'] })), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"y/b"}',
  ]);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...deleting, finalizers: ['x/a'] }, { ...deleting, finalizers: ['x/a', 'y/b'] })), []);
  assert.deepEqual(strs(validateObjectMetaUpdate({ ...base, finalizers: ['x/a', 'y/b'] }, { ...base, finalizers: ['x/a'] })), []);
});

test('validateLabelSelector (metav1 validation)', () => {
  assert.deepEqual(strs(validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Foo' }] }, 'spec.selector')), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
  ]);
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'x' } }, 'spec.selector'), []);
});
