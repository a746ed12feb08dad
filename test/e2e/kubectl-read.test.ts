// The real kubectl against one in-process keks: discovery verbs, `explain`, the protobuf-body
// generators of `kubectl create`, and every read form of `kubectl get` (output formats,
// selectors, -A, chunking, server-side columns, `get all`). Asserts printed output, not just exit codes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, rowOf, tableRows } from '../helpers/kubectl.js';

const LABELED = `
apiVersion: v1
kind: ConfigMap
metadata: {name: c1, namespace: sel, labels: {tier: a, app: x}}
data: {k: one}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c2, namespace: sel, labels: {tier: b, app: x}}
data: {k: two}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c3, namespace: sel, labels: {tier: c}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c4, namespace: sel}
---
apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: sel}
spec: {nodeName: node-a, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p2, namespace: sel}
spec: {nodeName: node-b, containers: [{name: c, image: busybox}]}
`;

function names(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

describe('kubectl reads against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('version reports the server v1.32.4 and runs a 1.32 client', async () => {
    const out = JSON.parse(await k.ok(['version', '-o', 'json'])) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string; major: string; minor: string } };
    assert.equal(out.serverVersion.gitVersion, 'v1.32.4');
    assert.equal(out.serverVersion.major, '1');
    assert.equal(out.serverVersion.minor, '32');
    assert.match(out.clientVersion.gitVersion, /^v1\.32\./);
  });

  it('api-versions lists the built-in group versions', async () => {
    const got = names(await k.ok(['api-versions']));
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1',
      'storage.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'policy/v1', 'scheduling.k8s.io/v1', 'events.k8s.io/v1',
      'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1']) {
      assert.ok(got.includes(gv), `api-versions lacks ${gv}: ${got.join(' ')}`);
    }
  });

  it('api-resources prints names, shortNames, group versions, scope and kinds', async () => {
    const out = await k.ok(['api-resources']);
    assert.deepEqual(tableRows(out)[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const expect: string[][] = [
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
      ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['services', 'svc', 'v1', 'true', 'Service'],
      ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
      ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob'],
      ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler'],
      ['ingresses', 'ing', 'networking.k8s.io/v1', 'true', 'Ingress'],
      ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget'],
      ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass'],
      ['storageclasses', 'sc', 'storage.k8s.io/v1', 'false', 'StorageClass'],
    ];
    for (const row of expect) assert.deepEqual(rowOf(out, row[0]), row, `api-resources row for ${row[0]}`);
    // Resources without short names print four cells.
    assert.deepEqual(rowOf(out, 'secrets'), ['secrets', 'v1', 'true', 'Secret']);
    assert.deepEqual(rowOf(out, 'clusterroles'), ['clusterroles', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole']);

    const wide = await k.ok(['api-resources', '-o', 'wide', '--api-group=apps']);
    assert.deepEqual(tableRows(wide)[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    assert.match(wide, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch\s+all/);
    assert.deepEqual(names(await k.ok(['api-resources', '--api-group=batch', '-o', 'name'])), ['cronjobs.batch', 'jobs.batch']);
    const clusterScoped = names(await k.ok(['api-resources', '--namespaced=false', '--api-group=', '-o', 'name']));
    for (const r of ['namespaces', 'nodes', 'persistentvolumes']) assert.ok(clusterScoped.includes(r), clusterScoped.join(' '));
    assert.ok(!clusterScoped.includes('configmaps'));
  });

  it('explain configmap.data reads the served OpenAPI', async () => {
    const out = await k.ok(['explain', 'configmap.data']);
    assert.match(out, /KIND:\s+ConfigMap/);
    assert.match(out, /VERSION:\s+v1/);
    assert.match(out, /FIELD:\s+data\s+<map\[string\]string>/);
    assert.match(out, /Data contains the configuration data/);
  });

  it('create namespace|configmap|secret generic|deployment|serviceaccount|service send protobuf and persist the fields', async () => {
    const ns = await k.run(['create', 'namespace', 'demo', '-v=8']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.equal(ns.stdout.trim(), 'namespace/demo created');
    assert.match(ns.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/i, 'kubectl 1.32 sends protobuf for create namespace');
    assert.equal((await k.ok(['-n', 'demo', 'create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two'])).trim(), 'configmap/cfg created');
    assert.equal((await k.ok(['-n', 'demo', 'create', 'secret', 'generic', 's1', '--from-literal=password=hunter2'])).trim(), 'secret/s1 created');
    assert.equal((await k.ok(['-n', 'demo', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=8080'])).trim(), 'deployment.apps/web created');
    assert.equal((await k.ok(['-n', 'demo', 'create', 'serviceaccount', 'robot'])).trim(), 'serviceaccount/robot created');
    assert.equal((await k.ok(['-n', 'demo', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080'])).trim(), 'service/web created');

    const nsObj = JSON.parse(await k.ok(['get', 'ns', 'demo', '-o', 'json']));
    assert.equal(nsObj.kind, 'Namespace');
    assert.equal(nsObj.status.phase, 'Active');
    assert.equal(nsObj.metadata.labels['kubernetes.io/metadata.name'], 'demo');
    const cm = JSON.parse(await k.ok(['-n', 'demo', 'get', 'cm', 'cfg', '-o', 'json']));
    assert.deepEqual(cm.data, { a: '1', b: 'two' });
    assert.match(cm.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(cm.metadata.resourceVersion, /^\d+$/);
    assert.match(cm.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const secret = JSON.parse(await k.ok(['-n', 'demo', 'get', 'secret', 's1', '-o', 'json']));
    assert.equal(secret.type, 'Opaque');
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
    const dep = JSON.parse(await k.ok(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json']));
    assert.equal(dep.spec.replicas, 2);
    assert.deepEqual(dep.spec.selector, { matchLabels: { app: 'web' } });
    assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(dep.spec.template.spec.containers[0].ports[0].containerPort, 8080);
    assert.equal(dep.metadata.generation, 1);
    const sa = JSON.parse(await k.ok(['-n', 'demo', 'get', 'sa', 'robot', '-o', 'json']));
    assert.equal(sa.kind, 'ServiceAccount');
    const svc = JSON.parse(await k.ok(['-n', 'demo', 'get', 'svc', 'web', '-o', 'json']));
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.deepEqual(svc.spec.ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort]), [[80, 8080]]);
    assert.deepEqual(svc.spec.selector, { app: 'web' });
  });

  it('create job|cronjob|quota|role and autoscale (protobuf bodies) persist the fields', async () => {
    const ok = async (...args: string[]): Promise<string> => (await k.ok(['-n', 'demo', ...args])).trim();
    assert.equal(await ok('create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'), 'job.batch/j1 created');
    assert.equal(await ok('create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *'), 'cronjob.batch/cj1 created');
    assert.equal(await ok('create', 'quota', 'q1', '--hard=pods=10,cpu=2'), 'resourcequota/q1 created');
    assert.equal(await ok('create', 'role', 'r1', '--verb=get,list', '--resource=pods'), 'role.rbac.authorization.k8s.io/r1 created');
    assert.equal(await ok('autoscale', 'deploy', 'web', '--min=1', '--max=3', '--cpu-percent=50'), 'horizontalpodautoscaler.autoscaling/web autoscaled');

    const job = JSON.parse(await ok('get', 'job', 'j1', '-o', 'json'));
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.equal(JSON.parse(await ok('get', 'cronjob', 'cj1', '-o', 'json')).spec.schedule, '*/5 * * * *');
    assert.deepEqual(JSON.parse(await ok('get', 'quota', 'q1', '-o', 'json')).spec.hard, { cpu: '2', pods: '10' });
    assert.deepEqual(JSON.parse(await ok('get', 'role', 'r1', '-o', 'json')).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    // Created through autoscaling/v1, read through the preferred autoscaling/v2.
    const hpa = JSON.parse(await ok('get', 'hpa', 'web', '-o', 'json'));
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    assert.equal(hpa.spec.minReplicas, 1);
    assert.equal(hpa.spec.maxReplicas, 3);
    assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const hpaRow = rowOf(await ok('get', 'hpa'), 'web');
    assert.deepEqual(hpaRow?.slice(0, 2), ['web', 'Deployment/web']);
  });

  it('get -o json|yaml|name|jsonpath|custom-columns', async () => {
    const list = JSON.parse(await k.ok(['-n', 'demo', 'get', 'cm', '-o', 'json']));
    assert.equal(list.kind, 'List');
    assert.ok(list.items.some((i: { kind: string; metadata: { name: string } }) => i.kind === 'ConfigMap' && i.metadata.name === 'cfg'));
    const y = parseYaml(await k.ok(['-n', 'demo', 'get', 'cm', 'cfg', '-o', 'yaml'])) as { kind: string; apiVersion: string; data: Record<string, string>; metadata: { namespace: string } };
    assert.equal(y.kind, 'ConfigMap');
    assert.equal(y.apiVersion, 'v1');
    assert.equal(y.metadata.namespace, 'demo');
    assert.deepEqual(y.data, { a: '1', b: 'two' });
    assert.equal((await k.ok(['-n', 'demo', 'get', 'cm', 'cfg', '-o', 'name'])).trim(), 'configmap/cfg');
    assert.equal((await k.ok(['-n', 'demo', 'get', 'deploy', '-o', 'name'])).trim(), 'deployment.apps/web');
    assert.equal(await k.ok(['-n', 'demo', 'get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}/{.data.b}']), '1/two');
    assert.equal(await k.ok(['-n', 'demo', 'get', 'deploy', '-o', 'jsonpath={.items[*].spec.template.spec.containers[*].image}']), 'nginx:1.27');
    const cc = await k.ok(['-n', 'demo', 'get', 'cm', 'cfg', '-o', 'custom-columns=NAME:.metadata.name,A:.data.a,B:.data.b,NS:.metadata.namespace']);
    assert.deepEqual(tableRows(cc), [['NAME', 'A', 'B', 'NS'], ['cfg', '1', 'two', 'demo']]);
  });

  it('server-side columns: namespaces, configmaps, deployments (and -o wide), services', async () => {
    const ns = await k.ok(['get', 'ns']);
    assert.deepEqual(tableRows(ns)[0], ['NAME', 'STATUS', 'AGE']);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'demo']) {
      const row = rowOf(ns, n);
      assert.ok(row, `no row for namespace ${n}:\n${ns}`);
      assert.equal(row[1], 'Active');
      assert.match(row[2], /^\d+(s|m)/);
    }
    const cm = await k.ok(['-n', 'demo', 'get', 'cm', 'cfg']);
    assert.deepEqual(tableRows(cm)[0], ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(rowOf(cm, 'cfg')?.slice(0, 2), ['cfg', '2']);
    const dep = await k.ok(['-n', 'demo', 'get', 'deploy']);
    assert.deepEqual(tableRows(dep)[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    const row = rowOf(dep, 'web');
    assert.ok(row, dep);
    assert.match(row[1], /^\d+\/2$/);
    const wide = await k.ok(['-n', 'demo', 'get', 'deploy', '-o', 'wide']);
    assert.deepEqual(tableRows(wide)[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    // kubectl create deployment names the container after the image.
    assert.deepEqual(rowOf(wide, 'web')?.slice(5), ['nginx', 'nginx:1.27', 'app=web']);
    const svc = await k.ok(['-n', 'demo', 'get', 'svc', 'web']);
    assert.deepEqual(tableRows(svc)[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const srow = rowOf(svc, 'web');
    assert.ok(srow, svc);
    assert.equal(srow[1], 'ClusterIP');
    assert.equal(srow[4], '80/TCP');
  });

  it('-l (equality and set-based) and --field-selector (metadata and per-kind fields)', async () => {
    await k.ok(['create', 'namespace', 'sel']);
    const created = await k.ok(['create', '-f', '-'], { input: LABELED });
    assert.deepEqual(names(created), ['configmap/c1 created', 'configmap/c2 created', 'configmap/c3 created', 'configmap/c4 created', 'pod/p1 created', 'pod/p2 created']);
    const sel = (...args: string[]): Promise<string[]> => k.ok(['-n', 'sel', 'get', 'cm', '-o', 'name', ...args]).then(names);
    const ours = (xs: string[]): string[] => xs.filter((x) => /^configmap\/c\d$/.test(x));
    assert.deepEqual(await sel('-l', 'tier=a'), ['configmap/c1']);
    assert.deepEqual(await sel('-l', 'app=x,tier!=a'), ['configmap/c2']);
    assert.deepEqual(await sel('-l', 'tier in (a,b)'), ['configmap/c1', 'configmap/c2']);
    assert.deepEqual(ours(await sel('-l', 'tier notin (a,b)')), ['configmap/c3', 'configmap/c4']);
    assert.deepEqual(await sel('-l', 'tier'), ['configmap/c1', 'configmap/c2', 'configmap/c3']);
    assert.deepEqual(ours(await sel('-l', '!tier')), ['configmap/c4']);
    assert.deepEqual(await sel('--field-selector', 'metadata.name=c3'), ['configmap/c3']);
    assert.deepEqual(await sel('--field-selector', 'metadata.name!=c3', '-l', 'tier'), ['configmap/c1', 'configmap/c2']);
    assert.deepEqual(ours(names(await k.ok(['get', 'cm', '-A', '-o', 'name', '--field-selector', 'metadata.namespace=sel']))), ['configmap/c1', 'configmap/c2', 'configmap/c3', 'configmap/c4']);
    assert.deepEqual(names(await k.ok(['-n', 'sel', 'get', 'pods', '-o', 'name', '--field-selector', 'spec.nodeName=node-b'])), ['pod/p2']);
    assert.deepEqual(names(await k.ok(['-n', 'sel', 'get', 'pods', '-o', 'name', '--field-selector', 'status.phase=Pending'])), ['pod/p1', 'pod/p2']);
    const bad = await k.fails(['-n', 'sel', 'get', 'cm', '--field-selector', 'data.k=one']);
    // The server's message for kinds without extra field labels (runtime.DefaultMetaV1FieldSelectorConversion).
    assert.match(bad.stderr, /"data\.k" is not a known field selector: only "metadata\.name", "metadata\.namespace"/);
    const badPod = await k.fails(['-n', 'sel', 'get', 'pods', '--field-selector', 'spec.bogus=x']);
    assert.match(badPod.stderr, /field label not supported: spec\.bogus/);
    // Table output with a selector still carries server-side columns.
    const t = await k.ok(['-n', 'sel', 'get', 'cm', '-l', 'app=x', '--show-labels']);
    assert.deepEqual(tableRows(t)[0], ['NAME', 'DATA', 'AGE', 'LABELS']);
    assert.deepEqual(rowOf(t, 'c1')?.[1], '1');
    assert.equal(rowOf(t, 'c1')?.at(-1), 'app=x,tier=a');
    const l = await k.ok(['-n', 'sel', 'get', 'cm', '-l', 'app=x', '-L', 'tier']);
    assert.deepEqual(tableRows(l)[0], ['NAME', 'DATA', 'AGE', 'TIER']);
    assert.equal(rowOf(l, 'c2')?.at(-1), 'b');
  });

  it('-A lists across namespaces with a NAMESPACE column taken from the row objects', async () => {
    const out = await k.ok(['get', 'cm', '-A']);
    assert.deepEqual(tableRows(out)[0], ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    const rows = tableRows(out).slice(1);
    assert.ok(rows.some((r) => r[0] === 'demo' && r[1] === 'cfg' && r[2] === '2'), out);
    assert.ok(rows.some((r) => r[0] === 'sel' && r[1] === 'c1' && r[2] === '1'), out);
    assert.ok(rows.some((r) => r[0] === 'sel' && r[1] === 'c3' && r[2] === '0'), out);
    const pods = await k.ok(['get', 'pods', '-A']);
    assert.deepEqual(tableRows(pods)[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(tableRows(pods).find((r) => r[1] === 'p1')?.slice(0, 5), ['sel', 'p1', '0/1', 'Pending', '0']);
    const wide = await k.ok(['-n', 'sel', 'get', 'pods', '-o', 'wide']);
    assert.match(wide.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    assert.deepEqual(rowOf(wide, 'p2')?.slice(5), ['<none>', 'node-b', '<none>', '<none>']);
  });

  it('--chunk-size=2 pages through limit/continue and lists every object', async () => {
    await k.ok(['create', 'namespace', 'chunk']);
    const docs = ['a', 'b', 'c', 'd', 'e'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: page-${n}, namespace: chunk}\ndata: {n: "${n}"}\n`).join('---\n');
    await k.ok(['create', '-f', '-'], { input: docs });
    const expected = ['a', 'b', 'c', 'd', 'e'].map((n) => `page-${n}`);
    const r = await k.run(['-n', 'chunk', 'get', 'cm', '--chunk-size=2', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /limit=2/);
    assert.match(r.stderr, /continue=/, 'kubectl followed a continue token');
    const rows = tableRows(r.stdout);
    assert.deepEqual(rows[0], ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(rows.slice(1).map((x) => x[0]).filter((n) => n.startsWith('page-')), expected);
    assert.equal(rows.filter((x) => x[0] === 'NAME').length, 1, 'one header across chunks');
    const named = names(await k.ok(['-n', 'chunk', 'get', 'cm', '--chunk-size=2', '-o', 'name']));
    assert.deepEqual(named.filter((n) => n.includes('page-')), expected.map((n) => `configmap/${n}`));
    const json = JSON.parse(await k.ok(['-n', 'chunk', 'get', 'cm', '--chunk-size=2', '-o', 'json']));
    assert.deepEqual(json.items.map((i: { metadata: { name: string } }) => i.metadata.name).filter((n: string) => n.startsWith('page-')), expected);
  });

  it('get all shows the namespace\'s deployments and services', async () => {
    const out = await k.ok(['-n', 'demo', 'get', 'all']);
    assert.match(out, /^service\/web\s+ClusterIP\s/m);
    assert.match(out, /^deployment\.apps\/web\s+\d+\/2\s/m);
    assert.doesNotMatch(out, /error/i);
  });
});
