/**
 * The generated patch metadata (generated/patchmeta/patch-meta.json from the 1.32 OpenAPI spec)
 * carries the Go struct tags SMP needs for well-known fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPatchSchemas, lookupForSlice, lookupForStruct, type SchemaNode } from './strategic-schema.js';

function at(root: SchemaNode, path: string[]): SchemaNode {
  let s = root;
  for (const k of path) s = lookupForStruct(s, k).schema;
  return s;
}

test('built-in roots and merge metadata of well-known lists', () => {
  const schemas = builtinPatchSchemas();
  const deploy = schemas.root('apps/v1', 'Deployment');
  assert.ok(deploy);
  assert.equal(deploy.name, 'Deployment');
  const podSpec = at(deploy, ['spec', 'template', 'spec']);
  assert.equal((podSpec as { name?: string }).name, 'PodSpec');
  assert.deepEqual([lookupForSlice(podSpec, 'containers').strategies, lookupForSlice(podSpec, 'containers').mergeKey], [['merge'], 'name']);
  assert.deepEqual(lookupForSlice(podSpec, 'volumes').strategies, ['merge', 'retainKeys']);
  assert.deepEqual([lookupForSlice(podSpec, 'tolerations').strategies, lookupForSlice(podSpec, 'tolerations').mergeKey], [[''], '']);
  const container = lookupForSlice(podSpec, 'containers').schema;
  assert.equal(lookupForSlice(container, 'ports').mergeKey, 'containerPort');
  assert.equal(lookupForSlice(container, 'env').mergeKey, 'name');
  assert.deepEqual(lookupForStruct(at(deploy, ['spec']), 'strategy').strategies, ['retainKeys']);
  const meta = at(deploy, ['metadata']);
  assert.equal(lookupForSlice(meta, 'ownerReferences').mergeKey, 'uid');
  assert.deepEqual(lookupForSlice(meta, 'finalizers').strategies, ['merge']);
  assert.equal(lookupForStruct(meta, 'labels').schema.goKind, 'map');
  const pdb = schemas.root('policy/v1', 'PodDisruptionBudget');
  assert.ok(pdb);
  assert.deepEqual(lookupForStruct(at(pdb, ['spec']), 'selector').strategies, ['replace']);
  const pod = schemas.root('v1', 'Pod');
  assert.ok(pod);
  assert.equal(lookupForSlice(at(pod, ['status']), 'conditions').mergeKey, 'type');
  assert.equal(schemas.root('example.com/v1', 'Widget'), undefined);
  // Case-insensitive fallback of encoding/json.
  assert.equal(lookupForStruct(at(deploy, ['spec']), 'Template').schema, at(deploy, ['spec', 'template']));
});
