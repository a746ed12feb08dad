/**
 * StatefulSets and DaemonSets through the real kubectl, on 3 simulated nodes (scheduler and
 * kubelet simulation running): `kubectl apply` a 3-replica StatefulSet → web-0..2 Running,
 * `kubectl rollout status sts/web` returns, `kubectl get sts` READY 3/3; a DaemonSet → one pod
 * per node, `kubectl get ds` DESIRED 3 READY 3, `kubectl rollout status ds/…` returns.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';
import { eventually } from '../helpers/api.js';

const STS_YAML = `
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

const DS_YAML = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels: {app: node-agent}
  template:
    metadata:
      labels: {app: node-agent}
    spec:
      containers:
      - name: agent
        image: fluent/fluent-bit:3.0
`;

/** Bounded polling (test/helpers/api.ts eventually). */
const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> => eventually(fn, what, ms, 200) as Promise<T>;

describe('kubectl StatefulSet and DaemonSet', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 3 });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('apply a StatefulSet → web-0..2 Running, rollout status returns, PVCs listed', async () => {
    const out = await k.ok(['apply', '-f', '-'], { input: STS_YAML });
    assert.match(out, /statefulset.apps\/web created/);
    const status = await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s'], { timeoutMs: 65_000 });
    // The defaulted rollingUpdate.partition (0) sends kubectl down its partitioned branch, as on a real cluster.
    assert.match(status, /partitioned roll out complete: 3 new pods have been updated\.\.\./);
    const rows = await until('3 Running pods', async () => {
      const r = tableRows(await k.ok(['get', 'pods', '-l', 'app=web']));
      return r.length === 4 && r.slice(1).every((x) => x[2] === 'Running') ? r : undefined;
    });
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['web-0', 'web-1', 'web-2']);
    assert.deepEqual(rows.slice(1).map((r) => r[1]), ['1/1', '1/1', '1/1']);
    const sts = tableRows(await k.ok(['get', 'sts', 'web']));
    assert.deepEqual(sts[0]?.slice(0, 2), ['NAME', 'READY']);
    assert.deepEqual(sts[1]?.slice(0, 2), ['web', '3/3']);
    const pvcs = tableRows(await k.ok(['get', 'pvc'])).slice(1).map((r) => r[0]);
    assert.deepEqual(pvcs.sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
    const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=web']);
    assert.match(events, /create Pod web-0 in StatefulSet web successful/);
  });

  it('set image rolls the StatefulSet; rollout history lists both revisions; scale down removes web-2', async () => {
    await k.ok(['set', 'image', 'sts/web', 'nginx=nginx:1.28']);
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=90s'], { timeoutMs: 95_000 });
    const images = await until('all pods on the new image', async () => {
      const out = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}']);
      return out.trim().split(' ').length === 3 && !out.includes('1.27') ? out.trim() : undefined;
    }, 60_000);
    assert.equal(images, 'web-0=nginx:1.28 web-1=nginx:1.28 web-2=nginx:1.28');
    const history = tableRows(await k.ok(['rollout', 'history', 'sts/web']));
    assert.deepEqual(history.slice(-2).map((r) => r[0]), ['1', '2']);
    await k.ok(['scale', 'sts', 'web', '--replicas=2']);
    await until('web-2 gone', async () => {
      const r = tableRows(await k.ok(['get', 'pods', '-l', 'app=web'])).slice(1).map((x) => x[0]);
      return r.length === 2 && r[0] === 'web-0' && r[1] === 'web-1';
    });
  });

  it('apply a DaemonSet → one pod per node; get ds shows DESIRED 3 READY 3', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], { input: DS_YAML }), /daemonset.apps\/node-agent created/);
    const status = await k.ok(['rollout', 'status', 'ds/node-agent', '--timeout=60s'], { timeoutMs: 65_000 });
    assert.match(status, /daemon set "node-agent" successfully rolled out/);
    const ds = await until('ds ready', async () => {
      const r = tableRows(await k.ok(['get', 'ds', 'node-agent']));
      return r[1]?.[3] === '3' ? r : undefined;
    });
    assert.deepEqual(ds[0]?.slice(0, 6), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE']);
    assert.deepEqual(ds[1]?.slice(0, 6), ['node-agent', '3', '3', '3', '3', '3']);
    const pods = tableRows(await k.ok(['get', 'pods', '-l', 'app=node-agent', '-o', 'wide'])).slice(1);
    assert.equal(pods.length, 3);
    const nodeCol = tableRows(await k.ok(['get', 'pods', '-l', 'app=node-agent', '-o', 'wide']))[0]!.indexOf('NODE');
    assert.equal(new Set(pods.map((r) => r[nodeCol])).size, 3, 'one pod per node');
    const nodes = tableRows(await k.ok(['get', 'nodes'])).slice(1).map((r) => r[0]).sort();
    assert.deepEqual(pods.map((r) => r[nodeCol]).sort(), nodes);
  });
});
