/**
 * The generated built-in catalog (src/api/generated/builtin-resources.ts, tools/gen/openapi.mjs)
 * against what a default kube-apiserver 1.32 reports in discovery.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_GROUPS, BUILTIN_RESOURCES } from './generated/builtin-resources.js';
import type { ResourceSpec } from './resources.js';

function find(group: string, version: string, resource: string): ResourceSpec {
  const r = BUILTIN_RESOURCES.find((x) => x.group === group && x.version === version && x.resource === resource);
  assert.ok(r, `${group}/${version} ${resource} missing`);
  return r;
}

test('pods: kind, scope, verbs, short names, categories', () => {
  const pods = find('', 'v1', 'pods');
  assert.equal(pods.kind, 'Pod');
  assert.equal(pods.listKind, 'PodList');
  assert.equal(pods.singularName, 'pod');
  assert.equal(pods.namespaced, true);
  assert.deepEqual(pods.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
});

test('pods subresources with their kinds and verbs; resize is feature-gated off in 1.32', () => {
  const subs = Object.fromEntries(find('', 'v1', 'pods').subresources.map((s) => [s.name, s]));
  assert.deepEqual(Object.keys(subs), ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status']);
  assert.deepEqual(subs.binding, { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] });
  assert.deepEqual(subs.eviction, { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  assert.deepEqual(subs.exec!.verbs, ['create', 'get']);
  assert.equal(subs.exec!.kind, 'PodExecOptions');
  assert.deepEqual(subs.log!.verbs, ['get']);
  assert.deepEqual(subs.proxy!.verbs, ['create', 'delete', 'get', 'patch', 'update']);
  assert.deepEqual(subs.status!.verbs, ['get', 'patch', 'update']);
  assert.deepEqual(subs.ephemeralcontainers!.verbs, ['get', 'patch', 'update']);
});

test('deployments: scale subresource is autoscaling/v1 Scale', () => {
  const d = find('apps', 'v1', 'deployments');
  assert.equal(d.kind, 'Deployment');
  assert.deepEqual(d.shortNames, ['deploy']);
  assert.deepEqual(d.categories, ['all']);
  const scale = d.subresources.find((s) => s.name === 'scale');
  assert.deepEqual(scale, { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
});

test('create-only and read-only resources keep their real verb lists', () => {
  assert.deepEqual(find('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews').verbs, ['create']);
  assert.deepEqual(find('', 'v1', 'bindings').verbs, ['create']);
  assert.deepEqual(find('', 'v1', 'componentstatuses').verbs, ['get', 'list']);
  assert.deepEqual(find('', 'v1', 'namespaces').verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
  assert.deepEqual(find('', 'v1', 'serviceaccounts').subresources.map((s) => `${s.name}:${s.group}/${s.kind}:${s.verbs.join(',')}`), ['token:authentication.k8s.io/TokenRequest:create']);
  assert.equal(find('', 'v1', 'nodes').namespaced, false);
});

test('short names from the upstream storages', () => {
  const short = (g: string, v: string, r: string) => find(g, v, r).shortNames.join(',');
  assert.equal(short('', 'v1', 'services'), 'svc');
  assert.equal(short('', 'v1', 'resourcequotas'), 'quota');
  assert.equal(short('', 'v1', 'limitranges'), 'limits');
  assert.equal(short('apiextensions.k8s.io', 'v1', 'customresourcedefinitions'), 'crd,crds');
  assert.equal(short('batch', 'v1', 'cronjobs'), 'cj');
  assert.equal(short('autoscaling', 'v2', 'horizontalpodautoscalers'), 'hpa');
  assert.equal(short('', 'v1', 'secrets'), '');
});

test('category "all" in discovery order gives kubectl get all its order', () => {
  const all = BUILTIN_RESOURCES.filter((r) => r.categories.includes('all') && preferred(r));
  assert.deepEqual(all.map((r) => r.resource), [
    'pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets',
    'horizontalpodautoscalers', 'cronjobs', 'jobs',
  ]);
});

function preferred(r: ResourceSpec): boolean {
  return BUILTIN_GROUPS.find((g) => g.name === r.group)?.versions[0] === r.version;
}

test('groups in kube-apiserver discovery order, preferred version first, GA only', () => {
  assert.deepEqual(BUILTIN_GROUPS.map((g) => g.name), [
    '', 'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling',
    'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io',
    'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io',
    'discovery.k8s.io', 'flowcontrol.apiserver.k8s.io',
  ]);
  assert.deepEqual(BUILTIN_GROUPS.find((g) => g.name === 'autoscaling')?.versions, ['v2', 'v1']);
  for (const g of BUILTIN_GROUPS) for (const v of g.versions) assert.match(v, /^v\d+$/, `${g.name}/${v} is not GA`);
  assert.ok(!BUILTIN_RESOURCES.some((r) => r.group === 'resource.k8s.io'));
});

test('every resource belongs to a listed group-version and is unique', () => {
  const seen = new Set<string>();
  for (const r of BUILTIN_RESOURCES) {
    const key = `${r.group}/${r.version}/${r.resource}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    assert.ok(BUILTIN_GROUPS.find((g) => g.name === r.group)?.versions.includes(r.version), `${key} not in BUILTIN_GROUPS`);
    assert.equal(r.singularName, r.kind.toLowerCase());
    assert.deepEqual(r.verbs, [...r.verbs].sort());
  }
});
