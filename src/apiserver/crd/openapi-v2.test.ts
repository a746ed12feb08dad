/** CRD → /openapi/v2: definition names, v2 schema conversion, GVK extension, paths; merge into the store (JSON + protobuf). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { FakeClock } from '../../util/clock.js';
import { findOpenApiDataDir } from '../openapi/data-dir.js';
import { OpenApiDocumentStore } from '../openapi/document-store.js';
import { encodeSwaggerProtobuf, type SwaggerDocument } from '../openapi/v2-protobuf.js';
import type { Crd } from '../../registry/crd/types.js';
import { buildCrdSwagger, toOpenApiV2Schema } from './openapi-v2.js';

type Obj = Record<string, any>;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com', scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', description: 'CronTab spec', required: ['cronSpec', 'note'], properties: {
          cronSpec: { type: 'string', description: 'the schedule', pattern: '^\\S+$' },
          note: { type: 'string', nullable: true },
          replicas: { type: 'integer', minimum: 0, maximum: 10 },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        } },
      } } },
    }, { name: 'v0', served: false, storage: false }],
  },
} as unknown as Crd;

test('definitions are named reversed-group.version.Kind (+List) with x-kubernetes-group-version-kind', () => {
  const { definitions } = buildCrdSwagger(crd);
  assert.deepEqual(Object.keys(definitions).sort(), ['com.example.stable.v1.CronTab', 'com.example.stable.v1.CronTabList']);
  const def = definitions['com.example.stable.v1.CronTab'] as Obj;
  assert.deepEqual(def['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
  assert.equal(def.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal((definitions['com.example.stable.v1.CronTabList'] as Obj).properties.items.items.$ref, '#/definitions/com.example.stable.v1.CronTab');
});

test('schema converted to v2 as ToStructuralOpenAPIV2: anyOf/nullable dropped, nullable field not required, preserve-unknown loses properties', () => {
  const spec = (buildCrdSwagger(crd).definitions['com.example.stable.v1.CronTab'] as Obj).properties.spec;
  assert.equal(spec.properties.cronSpec.description, 'the schedule');
  assert.equal(spec.properties.cronSpec.pattern, '^\\S+$');
  assert.deepEqual(spec.properties.note, {}, 'nullable: type and nullable dropped');
  assert.deepEqual(spec.required, ['cronSpec']);
  assert.deepEqual(spec.properties.port, { 'x-kubernetes-int-or-string': true });
  assert.deepEqual(spec.properties.extra, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  assert.deepEqual(toOpenApiV2Schema({ type: 'array' } as never), {});
});

test('paths: namespaced collection/item/status/scale with kube-openapi operation IDs', () => {
  const { paths } = buildCrdSwagger(crd) as { paths: Obj };
  const base = '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs';
  assert.deepEqual(Object.keys(paths).sort(), [base, `${base}/{name}`, `${base}/{name}/scale`, `${base}/{name}/status`]);
  assert.equal(paths[base].get.operationId, 'listStableExampleComV1NamespacedCronTab');
  assert.equal(paths[base].post.operationId, 'createStableExampleComV1NamespacedCronTab');
  assert.equal(paths[base].delete.operationId, 'deletecollectionStableExampleComV1NamespacedCronTab');
  assert.equal(paths[`${base}/{name}`].patch.operationId, 'patchStableExampleComV1NamespacedCronTab');
  assert.ok(paths[`${base}/{name}`].patch.parameters.some((p: Obj) => p.name === 'fieldValidation'));
  assert.equal(paths[`${base}/{name}/status`].put.operationId, 'replaceStableExampleComV1NamespacedCronTabStatus');
  assert.deepEqual(paths[`${base}/{name}/scale`].get['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.deepEqual(paths[base].get.tags, ['stableExampleCom_v1']);
});

test('the TypeScript encoder reproduces the generated protobuf of the built-in document byte for byte', () => {
  const dir = findOpenApiDataDir();
  const json = JSON.parse(gunzipSync(readFileSync(join(dir, 'v2.json.gz'))).toString('utf8')) as SwaggerDocument;
  const expected = gunzipSync(readFileSync(join(dir, 'v2.pb.gz')));
  assert.ok(encodeSwaggerProtobuf(json).equals(expected));
});

/** Names of the NamedSchema entries in every top-level field-9 (definitions) of an encoded Document. */
function definitionNames(buf: Buffer): string[] {
  const names: string[] = [];
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 !== 9) { r.skipType(tag & 7); continue; }
    const defs = protobuf.Reader.create(r.bytes());
    while (defs.pos < defs.len) {
      defs.uint32();
      const named = protobuf.Reader.create(defs.bytes());
      named.uint32();
      names.push(named.string());
    }
  }
  return names;
}

test('store: CRD additions merged into /openapi/v2 JSON and protobuf, hash changes, removed when the CRD goes', async () => {
  const clock = new FakeClock();
  const store = new OpenApiDocumentStore({ dataDir: findOpenApiDataDir(), clock });
  const baseHash = store.getV2().hash;
  const basePb = await store.getV2Protobuf()!.raw();
  store.setV2Additions(crd.metadata.name as string, buildCrdSwagger(crd));
  const merged = store.getV2();
  assert.notEqual(merged.hash, baseHash);
  assert.equal(store.getV2Protobuf()!.hash, merged.hash);
  const doc = JSON.parse((await merged.raw()).toString('utf8')) as Obj;
  assert.ok(doc.definitions['com.example.stable.v1.CronTab']);
  assert.ok(doc.definitions['io.k8s.api.apps.v1.Deployment'], 'built-ins kept');
  assert.ok(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs']);
  const keys = Object.keys(doc.definitions);
  assert.deepEqual(keys, [...keys].sort(), 'definitions sorted');
  const pb = await store.getV2Protobuf()!.raw();
  assert.ok(pb.subarray(0, basePb.length).equals(basePb), 'built-in encoding reused');
  const names = definitionNames(pb);
  assert.ok(names.includes('com.example.stable.v1.CronTab') && names.includes('io.k8s.api.apps.v1.Deployment'));
  assert.ok(gunzipSync(await merged.gzipped()).equals(await merged.raw()));
  store.removeV2Additions(crd.metadata.name as string);
  assert.equal(store.getV2().hash, baseHash);
  assert.ok((await store.getV2Protobuf()!.raw()).equals(basePb));
});
