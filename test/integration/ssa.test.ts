// Server-side apply over HTTP (in-process keks, memory store): PatchOptions checks (fieldManager
// required, force only for apply, 128 bytes), YAML bodies, create-if-absent (201), apply on
// /status, apply on custom resources with the CRD's list-map keys, the User-Agent as default
// manager of non-apply writes, and managedFields sent in a create body being recomputed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const APPLY = 'application/apply-patch+yaml';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

const deployment = (replicas: number): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('server-side apply over HTTP', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    // No workload controllers: the tests own every field of their Deployments, status included.
    tk = await startTestKeks({ store: 'memory', controllers: ['namespace'] });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('checks PatchOptions as kube-apiserver (422 PatchOptions.meta.k8s.io)', async () => {
    const noManager = await api.patch(`${DEPLOYS}/web`, deployment(1), APPLY);
    assert.equal(noManager.status, 422);
    assert.equal(noManager.json().message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.deepEqual(noManager.json().details, { group: 'meta.k8s.io', kind: 'PatchOptions', name: '', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] });
    const force = await api.patch(`${DEPLOYS}/web?force=true`, { metadata: {} }, 'application/merge-patch+json');
    assert.equal(force.status, 422);
    assert.equal(force.json().message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    const long = await api.post(`${DEPLOYS}?fieldManager=${'x'.repeat(129)}`, deployment(1));
    assert.equal(long.status, 422);
    assert.equal(long.json().message, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
  });

  it('creates from a YAML body (201), then updates (200); wrong kinds and managedFields are 400', async () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx}]\n';
    const created = await api.patch(`${DEPLOYS}/web?fieldManager=tool`, yaml, APPLY);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().metadata.managedFields[0].manager, 'tool');
    const again = await api.patch(`${DEPLOYS}/web?fieldManager=tool`, deployment(3), APPLY);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json().spec.replicas, 3);
    const kind = await api.patch(`${DEPLOYS}/web?fieldManager=tool`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } }, APPLY);
    assert.equal(kind.status, 400);
    assert.equal(kind.json().message, 'invalid object type: /v1, Kind=ConfigMap');
    const mf = await api.patch(`${DEPLOYS}/web?fieldManager=tool`, { ...deployment(3), metadata: { name: 'web', managedFields: [] } }, APPLY);
    assert.equal(mf.status, 400);
    assert.equal(mf.json().message, 'metadata.managedFields must be nil');
    const unknown = await api.patch(`${DEPLOYS}/web?fieldManager=tool`, { ...deployment(3), spec: { ...(deployment(3).spec as object), bogus: true } }, APPLY);
    assert.equal(unknown.status, 500);
    assert.equal(unknown.json().message, 'failed to create typed patch object (/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema', 'the body has no namespace: objectGVKNN of the patch object');
  });

  it('repeated keys: the last one counts; fieldValidation Strict → 400, Warn (default) → Warning headers, Ignore → quiet', async () => {
    // JSON as kubectl sends it, with spec.replicas given twice (last: 4) and a repeated label.
    const body = JSON.stringify(deployment(1)).replace('"replicas":1', '"replicas":1,"replicas":4').replace('"labels":{"app":"web"}', '"labels":{"app":"web","app":"web"}');
    const strict = await api.patch(`${DEPLOYS}/dup?fieldManager=tool&fieldValidation=Strict`, body.replace('"name":"web"', '"name":"dup"'), APPLY);
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.json().message, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "replicas" already set in map\n  line 1: key "app" already set in map');
    assert.equal((await api.get(`${DEPLOYS}/dup`)).status, 404, 'nothing written');
    const warn = await api.patch(`${DEPLOYS}/dup?fieldManager=tool`, body.replace('"name":"web"', '"name":"dup"'), APPLY);
    assert.equal(warn.status, 201, warn.text);
    assert.equal(warn.json().spec.replicas, 4);
    assert.match(String(warn.headers.warning), /299 - "line 1: key \\"replicas\\" already set in map"/);
    const quiet = await api.patch(`${DEPLOYS}/dup?fieldManager=tool&fieldValidation=Ignore`, body.replace('"name":"web"', '"name":"dup"'), APPLY);
    assert.equal(quiet.status, 200, quiet.text);
    assert.equal(quiet.headers.warning, undefined);
    // YAML bodies: go-yaml's line numbers.
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dup\nspec:\n  replicas: 2\n  replicas: 5\n';
    const y = await api.patch(`${DEPLOYS}/dup?fieldManager=tool&fieldValidation=Strict`, yaml, APPLY);
    assert.equal(y.status, 400, y.text);
    assert.match(y.json().message, /line 7: key "replicas" already set in map$/);
    const bad = await api.patch(`${DEPLOYS}/dup?fieldManager=tool`, `${yaml}---\nkind: Deployment\n`, APPLY);
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json().message, /^error decoding YAML: Source contains multiple documents/);
  });

  it('a non-apply write without fieldManager is owned by the User-Agent prefix', async () => {
    const r = await api.patch(`${DEPLOYS}/web`, { spec: { paused: true } }, 'application/merge-patch+json', { headers: { 'User-Agent': 'my-controller/v1.2 (linux)' } });
    assert.equal(r.status, 200, r.text);
    const e = r.json().metadata.managedFields.find((x: { manager: string }) => x.manager === 'my-controller');
    assert.deepEqual(e?.fieldsV1, { 'f:spec': { 'f:paused': {} } });
    assert.equal(e?.operation, 'Update');
  });

  it('applies to /status as its own subresource manager; spec stays untouched', async () => {
    const r = await api.patch(`${DEPLOYS}/web/status?fieldManager=status-writer`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 }, status: { observedGeneration: 1, replicas: 3 } }, APPLY);
    assert.equal(r.status, 200, r.text);
    const o = r.json();
    assert.equal(o.status.replicas, 3);
    assert.equal(o.spec.replicas, 3, 'spec is reset by the status strategy');
    const e = o.metadata.managedFields.find((x: { manager: string }) => x.manager === 'status-writer');
    assert.equal(e.subresource, 'status');
    assert.equal(e.operation, 'Apply');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } });
    const missing = await api.patch(`${DEPLOYS}/nope/status?fieldManager=x`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nope' } }, APPLY);
    assert.equal(missing.status, 404);
  });

  it('managedFields in a create body are replaced by the computed ones', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [{ manager: 'liar', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:zzz': {} } } }] }, data: { a: '1' } };
    const r = await api.post('/api/v1/namespaces/default/configmaps?fieldManager=creator', cm);
    assert.equal(r.status, 201, r.text);
    // A client that sends managedFields sets them (UpdateNoErrors decodes the new object's first).
    const mf = r.json().metadata.managedFields;
    assert.ok(mf.some((e: { manager: string }) => e.manager === 'creator'));
  });

  it('applies custom resources with the CRD schema (list-map keys, conflicts)', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{
          name: 'v1', served: true, storage: true, subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: {
            spec: { type: 'object', properties: { size: { type: 'integer' }, ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } } } } },
            status: { type: 'object', properties: { ready: { type: 'boolean' } } },
          } } },
        }],
      },
    };
    assert.equal((await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const path = '/apis/example.com/v1/namespaces/default/gadgets/g1';
    let r = await api.patch(`${path}?fieldManager=a`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1, ports: [{ name: 'http', port: 80 }] } }, APPLY);
    for (let i = 0; i < 50 && r.status === 404; i++) {
      await new Promise((res) => setTimeout(res, 20));
      r = await api.patch(`${path}?fieldManager=a`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1, ports: [{ name: 'http', port: 80 }] } }, APPLY);
    }
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json().metadata.managedFields[0].fieldsV1, { 'f:spec': { 'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } }, 'f:size': {} } });
    // A second applier adds its own list item: a map list merges by key.
    r = await api.patch(`${path}?fieldManager=b`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { ports: [{ name: 'metrics', port: 9090 }] } }, APPLY);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().spec.ports.map((p: { name: string }) => p.name), ['http', 'metrics']);
    const c = await api.patch(`${path}?fieldManager=b`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 2 } }, APPLY);
    assert.equal(c.status, 409);
    assert.equal(c.json().message, 'Apply failed with 1 conflict: conflict with "a": .spec.size');
    // b no longer applies its port: pruned.
    assert.equal(c.json().details.causes[0].reason, 'FieldManagerConflict');
    r = await api.patch(`${path}?fieldManager=b&force=true`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 2 } }, APPLY);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().spec, { size: 2, ports: [{ name: 'http', port: 80 }] });
  });
});
