/**
 * applyStrategicMergePatch on built-in kinds with the bodies real kubectl v1.32.4 sends
 * (testdata/kubectl-smp-bodies.json, recorded against a logging server), plus ObjectMeta rules.
 * Upstream's own cases run in strategic-upstream.test.ts; errors in strategic-errors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, supportsStrategicMergePatch } from './strategic.js';

type Obj = Record<string, any>;

interface Fixture { live: Record<'deployment' | 'node' | 'nodeUnschedulable' | 'configMap', Obj>; bodies: Record<string, Obj> }
const fx = JSON.parse(readFileSync(new URL('./testdata/kubectl-smp-bodies.json', import.meta.url.replace('/dist/src/', '/src/')), 'utf8')) as Fixture;

function body(name: string): Obj {
  const b = fx.bodies[name];
  assert.ok(b, `fixture body ${name}`);
  return b;
}

/** Applies and checks purity: inputs unchanged afterwards. */
function smp(original: Obj, patch: unknown, apiVersion: string, kind: string): Obj {
  const before = JSON.stringify([original, patch]);
  const out = applyStrategicMergePatch(original, patch, apiVersion, kind) as Obj;
  assert.equal(JSON.stringify([original, patch]), before, 'inputs must not be mutated');
  return out;
}

const deploy = (): Obj => fx.live.deployment;
const lac = (o: Obj): Obj => JSON.parse(o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
const names = (list: Obj[]): unknown[] => list.map((c) => c.name);

test('kubectl set image on a 2-container Deployment changes only that container', () => {
  const live = deploy();
  const out = smp(live, body('set image deployments/web nginx=nginx:1.27'), 'apps/v1', 'Deployment');
  const cs = out.spec.template.spec.containers;
  assert.deepEqual(names(cs), ['nginx', 'sidecar']);
  assert.deepEqual(cs[0], { ...live.spec.template.spec.containers[0], image: 'nginx:1.27' });
  assert.deepEqual(cs[1], live.spec.template.spec.containers[1]);
  // Copy-on-write: untouched subtrees are shared, the changed path is new; metadata is always a
  // fresh shallow copy (the apiserver stamps it).
  assert.notEqual(out.metadata, live.metadata);
  assert.equal(out.metadata.annotations, live.metadata.annotations);
  assert.equal(out.status, live.status);
  assert.equal(cs[1], live.spec.template.spec.containers[1]);
  assert.notEqual(out.spec, live.spec);
  assert.deepEqual({ ...out, spec: undefined }, { ...live, spec: undefined });
});

test('kubectl set env adds FOO after the existing env; A- deletes A', () => {
  const added = smp(deploy(), body('set env deployments/web FOO=bar -c nginx'), 'apps/v1', 'Deployment');
  assert.deepEqual(added.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'FOO', value: 'bar' }]);
  const removed = smp(deploy(), body('set env deployments/web A- -c nginx'), 'apps/v1', 'Deployment');
  assert.deepEqual(removed.spec.template.spec.containers[0].env, [{ name: 'B', value: '2' }]);
  assert.deepEqual(names(removed.spec.template.spec.containers), ['nginx', 'sidecar']);
});

test('kubectl rollout restart adds the restartedAt annotation to the pod template', () => {
  const p = body('rollout restart deployments/web');
  const out = smp(deploy(), p, 'apps/v1', 'Deployment');
  assert.deepEqual(out.spec.template.metadata, {
    ...deploy().spec.template.metadata,
    annotations: { 'kubectl.kubernetes.io/restartedAt': p.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'] },
  });
  assert.deepEqual(out.spec.template.spec, deploy().spec.template.spec);
});

test('kubectl cordon sets spec.unschedulable; uncordon (null) removes it', () => {
  const cordoned = smp(fx.live.node, body('cordon n1'), 'v1', 'Node');
  assert.deepEqual(cordoned.spec, { podCIDR: '10.0.0.0/24', unschedulable: true });
  assert.deepEqual(body('uncordon n1'), { spec: { unschedulable: null } });
  const uncordoned = smp(fx.live.nodeUnschedulable, body('uncordon n1'), 'v1', 'Node');
  assert.deepEqual(uncordoned.spec, { podCIDR: '10.0.0.0/24' });
  assert.equal('unschedulable' in uncordoned.spec, false);
});

test('kubectl edit of a ConfigMap changes data.a only', () => {
  const out = smp(fx.live.configMap, body('edit configmap cfg (data.a changed)'), 'v1', 'ConfigMap');
  assert.deepEqual(out.data, { a: 'changed', b: '2' });
  assert.deepEqual(out.metadata, fx.live.configMap.metadata);
});

test('kubectl patch -p (default strategic) on replicas', () => {
  assert.equal(smp(deploy(), body('patch deployments web -p'), 'apps/v1', 'Deployment').spec.replicas, 3);
});

test('client-side apply removing a container ($setElementOrder + $patch: delete)', () => {
  const p = body('apply -f (container sidecar removed)');
  assert.deepEqual(p.spec.template.spec.containers, [{ $patch: 'delete', name: 'sidecar' }]);
  const out = smp(deploy(), p, 'apps/v1', 'Deployment');
  assert.deepEqual(out.spec.template.spec.containers, [deploy().spec.template.spec.containers[0]]);
  assert.deepEqual(names(lac(out).spec.template.spec.containers), ['nginx']);
});

test('client-side apply removing an env var and a port', () => {
  const env = smp(deploy(), body('apply -f (env B removed)'), 'apps/v1', 'Deployment');
  assert.deepEqual(env.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
  assert.deepEqual(names(env.spec.template.spec.containers), ['nginx', 'sidecar']);
  const port = smp(deploy(), body('apply -f (port 443 removed)'), 'apps/v1', 'Deployment');
  assert.deepEqual(port.spec.template.spec.containers[0].ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  assert.deepEqual(port.spec.template.spec.containers[0].env, deploy().spec.template.spec.containers[0].env);
});

test('client-side apply switching the strategy to Recreate ($retainKeys drops rollingUpdate)', () => {
  const p = body('apply -f (strategy Recreate)');
  assert.deepEqual(p.spec.strategy, { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' });
  const out = smp(deploy(), p, 'apps/v1', 'Deployment');
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  // Without the rollingUpdate: null the directive still clears keys not retained.
  const out2 = smp(deploy(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(out2.spec.strategy, { type: 'Recreate' });
});

test('ObjectMeta: labels/annotations merge and null deletes; finalizers merge as a set; ownerReferences by uid', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1', b: '2' }, finalizers: ['x/one', 'x/two'], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' }] } };
  const out = smp(cm, { metadata: { labels: { b: null, c: '3' }, annotations: { n: 'v' }, finalizers: ['x/two', 'x/three'], ownerReferences: [{ uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'Pod', name: 'q', uid: 'u2' }] } }, 'v1', 'ConfigMap');
  assert.deepEqual(out.metadata.labels, { a: '1', c: '3' });
  assert.deepEqual(out.metadata.annotations, { n: 'v' });
  assert.deepEqual(out.metadata.finalizers, ['x/one', 'x/two', 'x/three']);
  assert.deepEqual(out.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'Pod', name: 'q', uid: 'u2' }]);
  const del = smp(cm, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x/one'] } }, 'v1', 'ConfigMap');
  assert.deepEqual(del.metadata.finalizers, ['x/two']);
  const ordered = smp(cm, { metadata: { '$setElementOrder/finalizers': ['x/two', 'x/one'] } }, 'v1', 'ConfigMap');
  assert.deepEqual(ordered.metadata.finalizers, ['x/two', 'x/one']);
  const gone = smp(cm, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }] } }, 'v1', 'ConfigMap');
  assert.deepEqual(gone.metadata.ownerReferences, []);
});

test('lists without patchStrategy merge (tolerations, args) are replaced whole', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'c', image: 'i', args: ['1', '2'] }] } };
  const out = smp(pod, { spec: { tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['3'] }] } }, 'v1', 'Pod');
  assert.deepEqual(out.spec.tolerations, [{ key: 'b', operator: 'Exists' }]);
  assert.deepEqual(out.spec.containers, [{ name: 'c', image: 'i', args: ['3'] }]);
});

test('merge keys of other lists: pod conditions by type, service ports by port, volumes with $retainKeys', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', emptyDir: {} }] }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } };
  const st = smp(pod, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'v1', 'Pod');
  assert.deepEqual(st.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
  const vol = smp(pod, { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } }, 'v1', 'Pod');
  assert.deepEqual(vol.spec.volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const sp = smp(svc, { spec: { ports: [{ port: 443, name: 'https' }, { port: 8443 }] } }, 'v1', 'Service');
  assert.deepEqual(sp.spec.ports, [{ port: 80, targetPort: 8080 }, { port: 443, name: 'https' }, { port: 8443 }]);
});

test('$patch directives: replace a merge list, delete a map, replace a map', () => {
  const d = deploy();
  const rep = smp(d, { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(rep.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
  const del = smp(d, { spec: { selector: { $patch: 'delete' } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(del.spec.selector, {});
  const rmap = smp(d, { spec: { template: { metadata: { $patch: 'replace', labels: { z: '1' } } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(rmap.spec.template.metadata, { labels: { z: '1' } });
});

test('a new container from a patch without $setElementOrder goes first (mergeSortedSlice); $setElementOrder places it', () => {
  const d = deploy();
  // Upstream interleaves live items into the patch items only where both are in the live order,
  // so an item unknown to the live list is emitted before the live ones (as the kubernetes.io
  // task "Update API Objects in Place Using kubectl patch" shows: the added redis container first).
  const add = smp(d, { spec: { template: { spec: { containers: [{ name: 'log', image: 'l' }] } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(names(add.spec.template.spec.containers), ['log', 'nginx', 'sidecar']);
  const kubectlStyle = smp(d, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }, { name: 'log' }], containers: [{ name: 'log', image: 'l' }] } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(names(kubectlStyle.spec.template.spec.containers), ['nginx', 'sidecar', 'log']);
  const mixed = smp(d, { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 's2' }, { name: 'log', image: 'l' }] } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(names(mixed.spec.template.spec.containers), ['nginx', 'sidecar', 'log']);
  const order = smp(d, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'log' }, { name: 'sidecar' }, { name: 'nginx' }], containers: [{ name: 'log', image: 'l' }] } } } }, 'apps/v1', 'Deployment');
  assert.deepEqual(names(order.spec.template.spec.containers), ['log', 'sidecar', 'nginx']);
});

test('SMP on the Scale subresource kind and kind support checks', () => {
  const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 }, status: { replicas: 2 } };
  assert.deepEqual(smp(scale, { spec: { replicas: 4 } }, 'autoscaling/v1', 'Scale').spec, { replicas: 4 });
  assert.equal(supportsStrategicMergePatch('apps/v1', 'Deployment'), true);
  assert.equal(supportsStrategicMergePatch('example.com/v1', 'Widget'), false);
});

test('a JSON null patch is a no-op; scalars unknown to the schema pass through (decoding validates them later)', () => {
  const d = deploy();
  const same = smp(d, null, 'apps/v1', 'Deployment');
  assert.deepEqual(same, d);
  assert.notEqual(same, d);
  assert.notEqual(same.metadata, d.metadata);
  assert.equal(smp(d, { spec: { bogus: 1 } }, 'apps/v1', 'Deployment').spec.bogus, 1);
});

/** Every object/array reachable from `v`. */
function refs(v: unknown, out = new Set<object>()): Set<object> {
  if (v !== null && typeof v === 'object') {
    out.add(v);
    for (const x of Object.values(v)) refs(x, out);
  }
  return out;
}

test('the result never shares objects with the patch (replace lists, new items, $patch: replace maps)', () => {
  const d = deploy();
  const patches: Obj[] = [
    ...Object.values(fx.bodies).filter((b) => b.spec?.template || b.spec?.strategy),
    { spec: { template: { spec: { containers: [{ name: 'only', image: 'x', env: [{ name: 'E' }] }, { $patch: 'replace' }] } } } },
    { spec: { template: { spec: { containers: [{ name: 'new', image: 'x', ports: [{ containerPort: 1 }] }], tolerations: [{ key: 'k' }] } } } },
    { spec: { template: { metadata: { $patch: 'replace', labels: { z: '1' } } }, newField: { a: { b: 1 } } } },
  ];
  for (const p of patches) {
    const out = smp(d, p, 'apps/v1', 'Deployment');
    const fromPatch = refs(p);
    for (const r of refs(out)) assert.equal(fromPatch.has(r), false, `shared with patch: ${JSON.stringify(r)}`);
  }
});
