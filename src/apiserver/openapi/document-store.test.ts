/** OpenApiDocumentStore: served set, lazy loading, hashes of the stored data, CRD seam. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../util/clock.js';
import { findOpenApiDataDir } from './data-dir.js';
import { computeOpenApiHash, documentKeyOfGroupVersion, OpenApiDocumentStore } from './document-store.js';

const dataDir = findOpenApiDataDir();

interface V3Doc {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: unknown }>>;
  components: { schemas: Record<string, { description?: string; properties?: Record<string, { description?: string }>; 'x-kubernetes-group-version-kind'?: unknown }> };
}

async function loadJson(store: OpenApiDocumentStore, key: string): Promise<V3Doc> {
  const doc = store.getV3(key);
  assert.ok(doc, `${key} not served`);
  return JSON.parse((await doc.raw()).toString('utf8')) as V3Doc;
}

test('default served set: every built-in group-version, its group document, api, apis, version', () => {
  const keys = new OpenApiDocumentStore({ dataDir }).listV3().map((d) => d.key);
  for (const k of ['api', 'apis', 'version', 'api/v1', 'apis/apps', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/flowcontrol.apiserver.k8s.io/v1']) {
    assert.ok(keys.includes(k), `missing ${k}`);
  }
  assert.ok(!keys.includes('logs'));
  assert.ok(!keys.some((k) => k.startsWith('apis/resource.k8s.io')), 'alpha/beta groups are not served');
  assert.deepEqual(keys, [...keys].sort());
});

test('servedGroupVersions narrows the index; unknown group-versions are refused', () => {
  const store = new OpenApiDocumentStore({ dataDir, servedGroupVersions: ['v1', 'apps/v1'], extraDocuments: [] });
  assert.deepEqual(store.listV3().map((d) => d.key), ['api/v1', 'apis/apps', 'apis/apps/v1']);
  assert.throws(() => new OpenApiDocumentStore({ dataDir, servedGroupVersions: ['resource.k8s.io/v1beta1'] }), /no built-in OpenAPI document/);
  assert.equal(documentKeyOfGroupVersion('v1'), 'api/v1');
  assert.equal(documentKeyOfGroupVersion('apps/v1'), 'apis/apps/v1');
});

test('documents load lazily: construction reads no file', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'keks-openapi-'));
  const store = new OpenApiDocumentStore({ dataDir: empty });
  const doc = store.getV3('api/v1');
  assert.ok(doc);
  await assert.rejects(doc.gzipped(), /ENOENT/);
});

test('stored hashes are the SHA-512 (uppercase hex) of the stored JSON', async () => {
  const store = new OpenApiDocumentStore({ dataDir });
  for (const key of ['api/v1', 'apis/apps/v1', 'version']) {
    const doc = store.getV3(key)!;
    const json = await doc.raw();
    assert.match(doc.hash, /^[0-9A-F]{128}$/);
    assert.equal(computeOpenApiHash(json), doc.hash, key);
    assert.equal(json.length, doc.bytes);
  }
  const v2 = store.getV2();
  assert.equal(computeOpenApiHash(await v2.raw()), v2.hash);
});

test('core/v1 document: PATCH of configmaps carries the GVK and fieldValidation (kubectl create -f/apply)', async () => {
  const doc = await loadJson(new OpenApiDocumentStore({ dataDir }), 'api/v1');
  const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
  assert.ok(patch);
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ConfigMap', version: 'v1' });
  assert.ok(patch.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.ok(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/')));
  assert.ok(!Object.keys(doc.paths).some((p) => p.endsWith('/resize')), 'pods/resize is feature-gated off in 1.32');
});

test('core/v1 document: ConfigMap schema for kubectl explain', async () => {
  const doc = await loadJson(new OpenApiDocumentStore({ dataDir }), 'api/v1');
  const cm = doc.components.schemas['io.k8s.api.core.v1.ConfigMap'];
  assert.ok(cm);
  assert.deepEqual(cm['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
  assert.match(cm.properties?.data?.description ?? '', /^Data contains the configuration data/);
  assert.deepEqual(cm.properties?.metadata, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  });
  assert.ok(!Object.keys(doc.components.schemas).some((k) => k.startsWith('io.k8s.api.apps.')), 'only schemas reachable from core/v1 paths');
});

test('setGroupVersion / removeGroupVersion (CRD seam) update the index and lastModified', async () => {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const store = new OpenApiDocumentStore({ dataDir, clock });
  clock.step(5000);
  store.setGroupVersion('apis/example.com/v1', { openapi: '3.0.0', paths: {} });
  const doc = store.getV3('apis/example.com/v1')!;
  assert.equal(doc.hash, computeOpenApiHash(Buffer.from('{"openapi":"3.0.0","paths":{}}')));
  assert.equal(store.lastModified(), Date.UTC(2025, 0, 1) + 5000);
  assert.ok(store.listV3().some((d) => d.key === 'apis/example.com/v1'));
  assert.equal((await doc.raw()).toString(), '{"openapi":"3.0.0","paths":{}}');
  clock.step(1000);
  store.removeGroupVersion('apis/example.com/v1');
  assert.equal(store.getV3('apis/example.com/v1'), undefined);
  assert.equal(store.lastModified(), Date.UTC(2025, 0, 1) + 6000);
  assert.throws(() => store.setGroupVersion('example.com/v1', {}), /not a group-version path/);
});
