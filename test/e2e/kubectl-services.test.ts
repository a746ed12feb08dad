// Services through the real kubectl with simulated nodes: `kubectl expose`, the `kubernetes`
// Service at 10.100.0.1, `kubectl get svc,ep,endpointslices` following the pods, and the
// allocators' errors as kubectl prints them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip, rowOf, tableRows } from '../helpers/kubectl.js';

describe('kubectl services against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite', nodes: 2 });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('kubectl get svc kubernetes: ClusterIP 10.100.0.1, 443/TCP; its endpoints point at the API server', async () => {
    const t = tableRows(await k.ok(['get', 'svc', 'kubernetes']));
    assert.deepEqual(t[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(t[1].slice(0, 5), ['kubernetes', 'ClusterIP', '10.100.0.1', '<none>', '443/TCP']);
    const ep = tableRows(await k.ok(['get', 'ep', 'kubernetes']));
    assert.deepEqual(ep[0], ['NAME', 'ENDPOINTS', 'AGE']);
    assert.equal(ep[1][1], `127.0.0.1:${tk.cluster.port}`);
  });

  it('kubectl expose deployment web --port 80 --target-port 8080; get svc,ep,endpointslices follow the pods', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=8080']);
    assert.match(await k.ok(['expose', 'deployment', 'web', '--port', '80', '--target-port', '8080']), /^service\/web exposed/);
    const svc = rowOf(await k.ok(['get', 'svc', 'web', '-o', 'wide']), 'web')!;
    assert.equal(svc[1], 'ClusterIP');
    assert.match(svc[2], /^10\.100\.\d+\.\d+$/);
    assert.equal(svc[4], '80/TCP');
    assert.equal(svc[6], 'app=web');
    const ep = await eventually(async () => {
      const r = rowOf(await k.ok(['get', 'ep', 'web']), 'web');
      return r && r[1].split(',').length === 2 ? r : undefined;
    }, 'two endpoints', 20_000, 200);
    for (const a of ep[1].split(',')) assert.match(a, /^192\.168\.\d+\.\d+:8080$/);
    const all = await k.ok(['get', 'svc,ep,endpointslices', '-l', 'app=web']);
    assert.match(all, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    assert.match(all, /^service\/web\s+ClusterIP\s+10\.100\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
    assert.match(all, /^endpoints\/web\s+192\.168\.\d+\.\d+:8080,192\.168\.\d+\.\d+:8080\s+\S+$/m);
    assert.match(all, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
    assert.match(all, /^endpointslice\.discovery\.k8s\.io\/web-[a-z0-9]{5}\s+IPv4\s+8080\s+192\.168\.\d+\.\d+,192\.168\.\d+\.\d+\s+\S+$/m);
    const yaml = await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'yaml']);
    assert.match(yaml, /endpointslice\.kubernetes\.io\/managed-by: endpointslice-controller\.k8s\.io/);
    assert.match(yaml, /ready: true\n\s+serving: true\n\s+terminating: false/);
    assert.match(yaml, /zone: us-east-1[abc]/);

    const desc = await k.ok(['describe', 'svc', 'web']);
    assert.match(desc, /^IP Families:\s+IPv4$/m);
    assert.match(desc, /^IP Family Policy:\s+SingleStack$/m);
    assert.match(desc, /^Endpoints:\s+192\.168\.\d+\.\d+:8080,192\.168\.\d+\.\d+:8080$/m);

    await k.ok(['scale', 'deployment', 'web', '--replicas=3']);
    await eventually(async () => {
      const r = rowOf(await k.ok(['get', 'ep', 'web']), 'web');
      return r && r[1].split(',').length === 3 ? r : undefined;
    }, 'three endpoints', 20_000, 200);
  });

  it('NodePort conflicts and out-of-range ClusterIPs are refused with upstream messages', async () => {
    await k.ok(['create', 'service', 'nodeport', 'np1', '--tcp=80:8080', '--node-port=30080']);
    const clash = await k.fails(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080']);
    assert.match(clash.stderr, /Service "np2" is invalid: spec.ports\[0\].nodePort: Invalid value: 30080: provided port is already allocated/);
    const far = await k.fails(['create', 'service', 'clusterip', 'far', '--tcp=80:8080', '--clusterip=10.0.0.5']);
    assert.match(far.stderr, /failed to allocate IP 10.0.0.5: the provided IP \(10.0.0.5\) is not in the valid range. The range of valid IPs is 10.100.0.0\/16/);
    const np = rowOf(await k.ok(['get', 'svc', 'np1']), 'np1')!;
    assert.equal(np[4], '80:30080/TCP');
  });
});
