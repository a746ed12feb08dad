import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../apimachinery/errors.js';
import { applyConfiguration, updateManagedFields, type FieldManagerRequest } from './field-manager.js';
import { builtinSchemas } from './schema.js';
import { toFieldsV1 } from './fieldset.js';
import { fromStructuralSchema } from './crd-schema.js';

const schema = builtinSchemas().lookup('apps/v1', 'Deployment');
assert.ok(schema);
const req = (manager: string, now = '2026-01-01T00:00:00Z'): FieldManagerRequest => ({ manager, apiVersion: 'apps/v1', kind: 'Deployment', subresource: '', schema, now, ignored: { 'f:status': {} } });
const apply = (live: KubeObject | null, config: KubeObject, manager = 'kubectl', force = false, now?: string): KubeObject => applyConfiguration(live, structuredClone(config), { ...req(manager, now), force });

function deployment(replicas = 2, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], ...extra }] } },
    },
  };
}

function entry(o: KubeObject, manager: string): Record<string, any> | undefined {
  return o.metadata.managedFields?.find((e) => e.manager === manager) as Record<string, any> | undefined;
}

function conflictOf(f: () => unknown): StatusError {
  try { f(); } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected a conflict');
}

test('create: the creating manager owns every field it set, as an Update entry', () => {
  const obj = deployment();
  updateManagedFields(null, obj, req('kubectl-create'));
  const e = entry(obj, 'kubectl-create');
  assert.ok(e);
  assert.equal(e.operation, 'Update');
  assert.equal(e.apiVersion, 'apps/v1');
  assert.equal(e.time, '2026-01-01T00:00:00Z');
  assert.deepEqual(e.fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  assert.deepEqual(e.fieldsV1['f:spec']['f:selector'], {}, 'LabelSelector is an atomic struct');
  const c = e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'];
  assert.deepEqual(c['f:ports'], { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
  assert.equal(JSON.stringify(e.fieldsV1).includes('f:name"'), true);
  assert.equal(JSON.stringify(e.fieldsV1['f:metadata']).includes('f:name'), false, 'metadata.name is stripped');
});

test('update: an existing object without managedFields stays untracked; a manager gains only what it changed', () => {
  const old = deployment();
  const next = deployment(3);
  updateManagedFields(old, next, req('ctl'));
  assert.equal(next.metadata.managedFields, undefined);

  const created = deployment();
  updateManagedFields(null, created, req('creator'));
  const scaled = structuredClone(created);
  (scaled.spec as any).replicas = 5;
  updateManagedFields(created, scaled, { ...req('scaler', '2026-01-01T00:01:00Z'), subresource: 'scale', ignored: undefined });
  const s = entry(scaled, 'scaler');
  assert.deepEqual(s?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal(s?.subresource, 'scale');
  assert.equal(JSON.stringify(entry(scaled, 'creator')?.fieldsV1).includes('f:replicas'), false, 'the creator lost .spec.replicas');
});

test('update: managedFields [{}] resets tracking; invalid managedFields in the body fall back to the live ones', () => {
  const created = deployment();
  updateManagedFields(null, created, req('creator'));
  const reset = structuredClone(created);
  reset.metadata.managedFields = [{}];
  updateManagedFields(created, reset, req('other'));
  assert.equal(reset.metadata.managedFields, undefined);
  const bad = structuredClone(created);
  bad.metadata.managedFields = [{ manager: 'x', operation: 'Nope' as 'Apply' }];
  (bad.spec as any).paused = true;
  updateManagedFields(created, bad, req('other'));
  assert.ok(entry(bad, 'creator'));
  assert.deepEqual(entry(bad, 'other')?.fieldsV1, { 'f:spec': { 'f:paused': {} } });
});

test('apply: creates with the applied fields only; conflicts name manager and path; force takes ownership', () => {
  const created = apply(null, deployment(2));
  const e = entry(created, 'kubectl');
  assert.equal(e?.operation, 'Apply');
  assert.equal(e?.apiVersion, 'apps/v1');

  const edited = structuredClone(created);
  (edited.spec as any).replicas = 7;
  updateManagedFields(created, edited, req('kubectl-edit'));

  const err = conflictOf(() => apply(edited, deployment(3)));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  assert.deepEqual(err.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }]);

  // Same value: no conflict, shared ownership.
  const shared = apply(edited, deployment(7));
  assert.ok(entry(shared, 'kubectl-edit'));

  const forced = apply(edited, deployment(3), 'kubectl', true);
  assert.equal((forced.spec as any).replicas, 3);
  assert.equal(entry(forced, 'kubectl-edit'), undefined, 'the editor owned nothing else');
});

test('apply: several conflicts are listed per manager', () => {
  const created = apply(null, deployment(2), 'a');
  const err = conflictOf(() => apply(created, deployment(3, { image: 'nginx:2' }), 'b'));
  assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image');
  assert.equal(err.details?.causes?.length, 2);
});

test('apply: a field the applier no longer applies is removed unless someone else owns it', () => {
  const one = apply(null, deployment(2, { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }));
  const two = apply(one, deployment(2, { env: [{ name: 'A', value: '1' }] }));
  assert.deepEqual((two.spec as any).template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
  const three = apply(two, deployment(2));
  assert.equal((three.spec as any).template.spec.containers[0].env, undefined);

  // Co-owned: another applier applied the same label; it stays when kubectl drops it.
  const base = apply(null, deployment(2));
  const other = apply(base, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } } }, 'other');
  const cfg = deployment(2);
  delete cfg.metadata.labels;
  const pruned = apply(other, cfg);
  assert.deepEqual(pruned.metadata.labels, { app: 'web' });
});

test('apply: list items keep the applied order; items of other managers stay', () => {
  const a = apply(null, deployment(1, { env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }));
  const patched = structuredClone(a);
  (patched.spec as any).template.spec.containers[0].env.push({ name: 'Z', value: '3' });
  updateManagedFields(a, patched, req('ctl'));
  const b = apply(patched, deployment(1, { env: [{ name: 'Y', value: '2' }, { name: 'X', value: '1' }] }));
  // merge.go visitListItems: the applied order for shared items, lhs-only items where they were.
  assert.deepEqual((b.spec as any).template.spec.containers[0].env.map((e: { name: string }) => e.name), ['Y', 'Z', 'X']);
});

test('apply: an object nobody tracked gets "before-first-apply"; unchanged apply keeps the timestamp', () => {
  const live = { ...deployment(2), metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '3' } };
  const out = apply(live, deployment(2));
  assert.ok(entry(out, 'before-first-apply'));
  const again = apply(out, deployment(2), 'kubectl', false, '2030-01-01T00:00:00Z');
  assert.equal(entry(again, 'kubectl')?.time, entry(out, 'kubectl')?.time);
});

test('apply: schema errors are the upstream 500 "failed to create typed patch object"', () => {
  const bad = deployment(2);
  (bad.spec as any).bogus = 1;
  assert.throws(() => apply(null, bad), (e: StatusError) => e.code === 500 && e.message === 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema');
  const wrong = deployment('x' as unknown as number);
  assert.throws(() => apply(null, wrong), /\.spec\.replicas: expected numeric \(int or float\), got string/);
  const mf = deployment(2);
  mf.metadata.managedFields = [];
  assert.throws(() => apply(null, mf), (e: StatusError) => e.code === 400 && e.message === 'metadata.managedFields must be nil');
  const dup = deployment(2, { env: [{ name: 'A' }, { name: 'A' }] });
  assert.throws(() => apply(null, dup), /duplicate entries for key \[name="A"\]/);
});

test('apply: managedFields are written in FieldsV1 order whatever the order of the configuration', () => {
  const config = deployment(2);
  const spec = config.spec as Record<string, any>;
  // Keys and list items deliberately out of order.
  config.spec = { template: spec.template, selector: spec.selector, replicas: 2 };
  spec.template.spec.containers = [{ ports: [{ containerPort: 80 }], name: 'z', image: 'z' }, { name: 'a', image: 'a' }];
  const out = apply(null, config);
  const fields = entry(out, 'kubectl')?.fieldsV1 as Record<string, any>;
  assert.deepEqual(Object.keys(fields['f:spec']), ['f:replicas', 'f:selector', 'f:template']);
  const items = fields['f:spec']['f:template']['f:spec']['f:containers'];
  assert.deepEqual(Object.keys(items), ['k:{"name":"a"}', 'k:{"name":"z"}']);
  assert.deepEqual(Object.keys(items['k:{"name":"z"}']), ['.', 'f:image', 'f:name', 'f:ports']);
  assert.equal(JSON.stringify(fields), JSON.stringify(toFieldsV1(fields)));
});

test('apply: a malformed managedFields entry is a 500 "failed to decode managed fields", the applier\'s own too', () => {
  const out = apply(null, deployment(2));
  const corrupt = (manager: string, fieldsV1: unknown): KubeObject => {
    const o = structuredClone(out);
    o.metadata.managedFields = [...(o.metadata.managedFields ?? []), { manager, operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: fieldsV1 as Record<string, unknown> }];
    if (manager === 'kubectl') o.metadata.managedFields = [{ manager, operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: fieldsV1 as Record<string, unknown> }];
    return o;
  };
  const decodeError = (e: StatusError) => e.code === 500 && e.message.startsWith('failed to decode managed fields: ');
  assert.throws(() => apply(corrupt('other', { 'x:bad': {} }), deployment(3)), decodeError);
  // The applier's own entry is checked lazily (only when it differs from the new set): still refused.
  assert.throws(() => apply(corrupt('kubectl', { 'f:spec': { 'f:replicas': {}, 'x:bad': {} } }), deployment(3)), decodeError);
  assert.throws(() => apply(corrupt('kubectl', { 'f:spec': { 'f:replicas': 7 } }), deployment(3)), decodeError);
  assert.throws(() => apply(corrupt('kubectl', []), deployment(3)), decodeError);
});

test('kubectl client-side apply → server-side apply: last-applied fields are not conflicts', () => {
  const csa = deployment(2);
  csa.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(deployment(2))}\n` };
  updateManagedFields(null, csa, req('kubectl-client-side-apply'));
  assert.throws(() => apply(csa, deployment(4), 'someone-else'), /conflict with "kubectl-client-side-apply"/);
  const out = apply(csa, deployment(4));
  assert.equal((out.spec as any).replicas, 4);
  const last = JSON.parse(out.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] as string);
  assert.equal(last.spec.replicas, 4);
});

test('at most 10 Update managers: the oldest merge into ancient-changes', () => {
  let obj = deployment(1);
  updateManagedFields(null, obj, req('m0', '2026-01-01T00:00:00Z'));
  for (let i = 1; i <= 11; i++) {
    const next = structuredClone(obj);
    next.metadata.labels = { ...(next.metadata.labels ?? {}), [`l${i}`]: 'x' };
    updateManagedFields(obj, next, req(`m${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`));
    obj = next;
  }
  const names = obj.metadata.managedFields?.map((e) => e.manager) ?? [];
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('m0') && !names.includes('m1') && !names.includes('m2'));
});

test('custom resources: list-map keys and granular maps from the CRD schema, deduced where unknown fields are preserved', () => {
  const cr = fromStructuralSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'], items: { type: 'object', properties: { id: { type: 'string' }, v: { type: 'string' } } } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  });
  const r = { manager: 'op', apiVersion: 'example.com/v1', kind: 'Widget', subresource: '', schema: cr, now: '2026-01-01T00:00:00Z', force: false };
  const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, items: [{ id: 'a', v: '1' }], free: { any: { thing: 1 } } } };
  const out = applyConfiguration(null, obj, r);
  const f = (out.metadata.managedFields?.[0].fieldsV1 as any)['f:spec'];
  assert.deepEqual(f['f:items'], { 'k:{"id":"a"}': { '.': {}, 'f:id': {}, 'f:v': {} } });
  assert.deepEqual(f['f:free'], { 'f:any': { '.': {}, 'f:thing': {} } }, 'keys of a deduced map are members');
  assert.throws(() => applyConfiguration(null, { ...obj, spec: { nope: 1 } }, r), /\.spec\.nope: field not declared in schema/);
});

test('apply: a list item the applier dropped goes whole, even when an updater changed a field in it', () => {
  const two = { ...deployment(1), spec: { ...(deployment(1).spec as object), template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } } };
  const applied = apply(null, two);
  const edited = structuredClone(applied);
  (edited.spec as any).template.spec.containers[1].image = 'z';
  updateManagedFields(applied, edited, req('kubectl-edit'));
  const one = { ...two, spec: { ...two.spec, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } } };
  const out = apply(edited, one);
  assert.deepEqual((out.spec as any).template.spec.containers.map((c: { name: string }) => c.name), ['a']);
});
