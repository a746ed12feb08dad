// The real kubectl against a keks with the default cluster shape (3 simulated nodes in 3 zones):
// nodes listed with zones, Ready, versions; `kubectl run` → Running 1/1 with IP and NODE;
// an oversized pod stays Pending with upstream's FailedScheduling text; cordon/uncordon;
// graceful `kubectl delete pod`; `kubectl describe node`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, rowOf, tableRows } from '../helpers/kubectl.js';
import { eventually } from '../helpers/api.js';

/** Bounded polling (test/helpers/api.ts eventually). */
const until = async (what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<void> => { await eventually(fn, what, ms, 200); };

describe('kubectl with simulated nodes', { skip: kubectlSkip }, () => {
  let k: TestKeks;
  let kc: Kubectl;
  before(async () => {
    k = await startTestKeks({ store: 'memory', nodes: 3 });
    kc = new Kubectl(k.kubeconfig);
    await until('3 nodes', async () => tableRows(await kc.ok(['get', 'nodes'])).length === 4);
  });
  after(async () => { kc?.dispose(); await k?.stop(); });

  it('get nodes -L zone: 3 Ready nodes in 3 zones with the kubelet version', async () => {
    const rows = tableRows(await kc.ok(['get', 'nodes', '-L', 'topology.kubernetes.io/zone']));
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'ZONE']);
    assert.equal(rows.length, 4);
    for (const r of rows.slice(1)) {
      assert.equal(r[1], 'Ready');
      assert.match(r[4], /^v1\.32\.\d+-eks-/);
    }
    assert.deepEqual(rows.slice(1).map((r) => r[5]).sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });

  it('kubectl run → Running 1/1; -o wide shows IP and NODE', async () => {
    await kc.ok(['run', 'nginx', '--image=nginx']);
    await until('Running', async () => rowOf(await kc.ok(['get', 'pod', 'nginx']), 'nginx')?.[2] === 'Running');
    const r = rowOf(await kc.ok(['get', 'pod', 'nginx', '-o', 'wide']), 'nginx') as string[];
    assert.equal(r[1], '1/1');
    assert.match(r[5], /^192\.168\.\d+\.\d+$/);
    assert.match(r[6], /^ip-192-168-.*\.ec2\.internal$/);
    const d = await kc.ok(['describe', 'pod', 'nginx']);
    assert.match(d, /Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/nginx to ip-/);
    assert.match(d, /Started\s+\S+\s+kubelet\s+Started container nginx/);
  });

  it('a pod requesting more CPU than any node stays Pending with the FailedScheduling event', async () => {
    await kc.ok(['run', 'huge', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx","resources":{"requests":{"cpu":"16"}}}]}}']);
    await until('FailedScheduling', async () => (await kc.ok(['get', 'events', '--field-selector', 'involvedObject.name=huge'])).includes('FailedScheduling'));
    assert.equal(rowOf(await kc.ok(['get', 'pod', 'huge']), 'huge')?.[2], 'Pending');
    const d = await kc.ok(['describe', 'pod', 'huge']);
    assert.match(d, /0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\./);
  });

  it('cordon makes a node SchedulingDisabled and unschedulable; uncordon reverts', async () => {
    const name = tableRows(await kc.ok(['get', 'nodes']))[1][0];
    await kc.ok(['cordon', name]);
    assert.equal(rowOf(await kc.ok(['get', 'node', name]), name)?.[1], 'Ready,SchedulingDisabled');
    await kc.ok(['uncordon', name]);
    assert.equal(rowOf(await kc.ok(['get', 'node', name]), name)?.[1], 'Ready');
  });

  it('kubectl delete pod waits for graceful termination', async () => {
    // A process that ignores SIGTERM (keks.dev/stop-time beyond the grace period): deletion takes the full 2 s.
    await kc.ok(['run', 'bye', '--image=nginx', '--annotations=keks.dev/stop-time=10s', '--overrides={"spec":{"terminationGracePeriodSeconds":2,"containers":[{"name":"bye","image":"nginx"}]}}']);
    await until('Running', async () => rowOf(await kc.ok(['get', 'pod', 'bye']), 'bye')?.[2] === 'Running');
    const t0 = Date.now();
    await kc.ok(['delete', 'pod', 'bye'], { timeoutMs: 30_000 });
    assert.ok(Date.now() - t0 >= 1500, `delete returned after ${Date.now() - t0} ms`);
    const r = await kc.run(['get', 'pod', 'bye']);
    assert.notEqual(r.code, 0);
  });

  it('create deployment --replicas=3 → 3 Running pods, one per zone', async () => {
    await kc.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await kc.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40_000 });
    const pods = tableRows(await kc.ok(['get', 'pods', '-l', 'app=web', '-o', 'wide'])).slice(1);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((r) => r[1] === '1/1' && r[2] === 'Running'));
    const zoneOf = new Map(tableRows(await kc.ok(['get', 'nodes', '-L', 'topology.kubernetes.io/zone'])).slice(1).map((r) => [r[0], r[5]]));
    assert.equal(new Set(pods.map((r) => zoneOf.get(r[6]))).size, 3);
  });

  it('describe node', async () => {
    const name = tableRows(await kc.ok(['get', 'nodes']))[1][0];
    const d = await kc.ok(['describe', 'node', name]);
    assert.match(d, /Capacity:/);
    assert.match(d, /Allocatable:/);
    assert.match(d, /cpu:\s+1930m/);
    assert.match(d, /Kubelet Version:\s+v1\.32/);
    assert.match(d, /ProviderID:\s+aws:\/\/\/us-east-1[abc]\/i-/);
  });
});
