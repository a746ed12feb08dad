import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../api/types.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.js';
import { customResourcePrinter } from './printer.js';
import { validateCrd } from './crd-validation.js';
import { customResourceRules } from './cr-strategy.js';
import { sortVersions, type Crd } from './types.js';

function crd(over: Partial<Crd['spec']> = {}, name = 'widgets.example.com'): Crd {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name },
    spec: {
      group: 'example.com', scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 3 } } }, status: { type: 'object', properties: { ready: { type: 'boolean' } } } } } },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
      ...over,
    },
  };
}

test('jsonpath: fields, escaped dots, indexes, wildcards and filters', () => {
  const obj = { metadata: { labels: { 'node.kubernetes.io/instance-type': 'm5' } }, spec: { refs: [{ name: 'a' }, { name: 'b' }] }, status: { conditions: [{ type: 'X', status: 'F' }, { type: 'Ready', status: 'True' }] } };
  assert.deepEqual(evalJsonPath(parseJsonPath('.metadata.labels.node\\.kubernetes\\.io/instance-type'), obj), ['m5']);
  assert.deepEqual(evalJsonPath(parseJsonPath('.spec.refs[*].name'), obj), ['a', 'b']);
  assert.deepEqual(evalJsonPath(parseJsonPath('.spec.refs[-1].name'), obj), ['b']);
  assert.deepEqual(evalJsonPath(parseJsonPath(".status.conditions[?(@.type == 'Ready')].status"), obj), ['True']);
  assert.deepEqual(evalJsonPath(parseJsonPath('.spec.missing.deep'), obj), []);
  assert.throws(() => parseJsonPath('.spec..x[?(@.a > 1)]'));
});

test('printer: NAME, then the columns with their types; no match is null; Age when no columns', () => {
  const p = customResourcePrinter(crd().spec.versions[0].additionalPrinterColumns);
  assert.deepEqual(p.columns.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Size', 'integer', ''], ['Ready', 'string', ''], ['Age', 'date', '']]);
  assert.equal(p.columns[1].description, 'Custom resource definition column (in JSONPath format): .spec.size');
  const now = new Date('2024-01-01T00:10:00Z');
  const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { size: 3 }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  assert.deepEqual(p.cells(obj, { now }), ['w', 3, 'True', '10m']);
  assert.deepEqual(p.cells({ ...obj, spec: { size: 'x' }, status: {} }, { now }), ['w', null, null, '10m']);
  const d = customResourcePrinter(undefined);
  assert.deepEqual(d.columns.map((c) => c.name), ['Name', 'Age']);
});

test('CRD validation: a valid CRD passes; upstream messages for the common mistakes', () => {
  assert.deepEqual(validateCrd(crd()), []);
  const msgs = (c: Crd) => validateCrd(c).map(fieldErrorString);
  assert.deepEqual(msgs(crd({}, 'wrong.example.com')), ['metadata.name: Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group']);
  assert.deepEqual(msgs({ ...crd(), metadata: { name: 'widgets.example' }, spec: { ...crd().spec, group: 'example' } }), ['spec.group: Invalid value: "example": should be a domain with at least one dot']);
  const two = crd({ versions: [{ ...crd().spec.versions[0] }, { ...crd().spec.versions[0], name: 'v2' }] });
  assert.deepEqual(msgs(two), ['spec.versions: Invalid value: ["v1","v2"]: must have exactly one version marked as storage version']);
  const untyped = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } } } }] });
  assert.deepEqual(msgs(untyped), ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']);
  const badRule = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.spec.quantity().isLessThan(1)' }] } } }] });
  assert.match(msgs(badRule)[0], /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.spec\.quantity\(\)\.isLessThan\(1\)": compilation failed: .*quantity/);
  const badDefault = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } } } } } }] });
  assert.deepEqual(msgs(badDefault), ['spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].default: Invalid value: "string": spec.replicas in body must be of type integer: "string"']);
  assert.deepEqual(msgs(crd({ scope: 'Everywhere' as 'Cluster' })), ['spec.scope: Unsupported value: "Everywhere": supported values: "Cluster", "Namespaced"']);
});

test('custom resource rules: prune + default on the way in, validate against the schema, status ignored on the main resource', () => {
  const { strategy, converter } = customResourceRules(crd());
  const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { extra: 1 } };
  converter.toStorage(obj, 'example.com/v1');
  assert.deepEqual(obj.spec, { size: 3 });
  assert.deepEqual(strategy.validate({ ...obj, spec: { size: 'big' } }).map(fieldErrorString), ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
  const now = { now: new Date() };
  const upd: KubeObject = { ...obj, status: { ready: true } };
  strategy.prepareForUpdate(upd, { ...obj, status: { ready: false } }, now);
  assert.deepEqual(upd.status, { ready: false });
  assert.equal(strategy.tracksGeneration, true);
});

test('updates ratchet: an unchanged invalid field does not block an update elsewhere', () => {
  const c = crd();
  const spec = c.spec.versions[0].schema?.openAPIV3Schema?.properties?.spec as { properties: Record<string, object> };
  spec.properties.name = { type: 'string', maxLength: 3 };
  const { strategy } = customResourceRules(c);
  const old: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, name: 'toolong' } };
  assert.deepEqual(strategy.validateUpdate({ ...old, spec: { size: 2, name: 'toolong' } }, old), []);
  assert.deepEqual(strategy.validateUpdate({ ...old, spec: { size: 2, name: 'longer!' } }, old).map(fieldErrorString), ['spec.name: Too long: may not be more than 3 bytes']);
  assert.equal(strategy.validate({ ...old, spec: { size: 2, name: 'toolong' } }).length, 1, 'create does not ratchet');
});

test('versions sort as kube-aware priorities', () => {
  assert.deepEqual(sortVersions(['v1alpha1', 'v1', 'v2beta1', 'foo', 'v1beta1', 'v2']), ['v2', 'v1', 'v2beta1', 'v1beta1', 'v1alpha1', 'foo']);
});
