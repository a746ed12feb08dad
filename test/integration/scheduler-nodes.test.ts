/**
 * The scheduler and the node simulator in a real in-process keks: 3 nodes in 3 zones register
 * and heartbeat, pods get scheduled, run, and are deleted gracefully; a pod too big for every
 * node stays Pending with upstream's FailedScheduling message until a bigger node arrives.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

let k: TestKeks;
let client: ApiClient;

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> => eventually(fn, what, ms) as Promise<T>;

function pod(name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra } };
}

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 3 });
  client = k.cluster.client;
});
after(async () => { await k?.stop(); });

test('three nodes register in three zones, Ready, with leases', async () => {
  const nodes = await waitFor('3 nodes', async () => { const l = await client.list(NODES, ''); return l.items.length === 3 ? l.items : undefined; });
  const zones = new Set(nodes.map((n) => n.metadata.labels?.['topology.kubernetes.io/zone']));
  assert.deepEqual([...zones].sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  for (const n of nodes) {
    assert.match(n.metadata.name as string, /^ip-192-168-\d+-\d+\.ec2\.internal$/);
    const st = n.status as { allocatable: Record<string, string>; conditions: Array<{ type: string; status: string }>; nodeInfo: { kubeletVersion: string } };
    assert.equal(st.allocatable.cpu, '1930m');
    assert.equal(st.allocatable.pods, '17');
    assert.equal(st.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    assert.match(st.nodeInfo.kubeletVersion, /^v1\.32\.\d+-eks-/);
  }
  const leases = await waitFor('leases', async () => { const l = await client.list(LEASES, 'kube-node-lease'); return l.items.length === 3 ? l.items : undefined; });
  assert.ok(leases.every((l) => (l.spec as { renewTime?: string }).renewTime));
});

test('a pod is scheduled, runs with an IP from its node\'s subnet, and has kubelet events', async () => {
  await client.create(PODS, 'default', pod('web'));
  const p = await waitFor('Running', async () => { const x = await client.get(PODS, 'default', 'web'); return (x.status as { phase?: string }).phase === 'Running' ? x : undefined; });
  const st = p.status as { podIP: string; hostIP: string; conditions: Array<{ type: string; status: string }>; containerStatuses: Array<{ ready: boolean; containerID: string; state: { running?: unknown } }> };
  assert.match(st.podIP, /^192\.168\./);
  assert.ok(st.hostIP);
  assert.equal(st.containerStatuses[0].ready, true);
  assert.match(st.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  for (const t of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']) assert.equal(st.conditions.find((c) => c.type === t)?.status, 'True', t);
  const node = (p.spec as { nodeName: string }).nodeName;
  const reasons = await waitFor('events', async () => {
    const evs = (await client.list(EVENTS, 'default', { fieldSelector: 'involvedObject.name=web' })).items;
    const rs = evs.map((e) => `${e.reason as string}:${e.message as string}`);
    return rs.length >= 5 ? rs : undefined;
  });
  assert.ok(reasons.includes(`Scheduled:Successfully assigned default/web to ${node}`), reasons.join('\n'));
  assert.ok(reasons.some((r) => r.startsWith('Pulled:Successfully pulled image "nginx" in ')));
  assert.ok(reasons.includes('Created:Created container: c'));
  assert.ok(reasons.includes('Started:Started container c'));
});

test('a pod that fits no node stays Pending with the upstream message, and a new node takes it', async () => {
  await client.create(PODS, 'default', pod('big', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }] }));
  const msg = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';
  await waitFor('PodScheduled=False', async () => {
    const x = await client.get(PODS, 'default', 'big');
    const c = (x.status as { conditions?: Array<{ type: string; status: string; reason: string; message: string }> }).conditions?.find((y) => y.type === 'PodScheduled');
    return c?.status === 'False' && c.reason === 'Unschedulable' && c.message === msg ? c : undefined;
  });
  const ev = (await client.list(EVENTS, 'default', { fieldSelector: 'involvedObject.name=big' })).items.find((e) => e.reason === 'FailedScheduling');
  assert.equal(ev?.message, msg);
  assert.equal(ev?.type, 'Warning');
  // A bigger node joins (a Node object marked simulated; the simulator runs its kubelet).
  // Its kubelet reports the capacity of its instance type (m5.xlarge: 4 vCPU).
  await client.create(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'big-node', annotations: { 'keks.dev/simulated-node': 'true' }, labels: { 'topology.kubernetes.io/zone': 'us-east-1a', 'kubernetes.io/hostname': 'big-node', 'node.kubernetes.io/instance-type': 'm5.xlarge' } } });
  const p = await waitFor('scheduled on big-node', async () => { const x = await client.get(PODS, 'default', 'big'); return (x.spec as { nodeName?: string }).nodeName === 'big-node' ? x : undefined; });
  const running = await waitFor('Running on big-node', async () => { const x = await client.get(PODS, 'default', 'big'); return (x.status as { phase?: string }).phase === 'Running' ? x : undefined; });
  assert.equal((running.spec as { nodeName: string }).nodeName, p.spec && 'big-node');
});

test('deleting a running pod waits for its containers to stop, then the kubelet removes it', async () => {
  // A process that ignores SIGTERM (stop-time beyond the grace period): the kubelet waits the full 2 s.
  await client.create(PODS, 'default', pod('stopper', { terminationGracePeriodSeconds: 2 }, { annotations: { 'keks.dev/stop-time': '10s' } }));
  await waitFor('Running', async () => { const x = await client.get(PODS, 'default', 'stopper'); return (x.status as { phase?: string }).phase === 'Running' ? x : undefined; });
  const t0 = Date.now();
  const marked = await client.delete(PODS, 'default', 'stopper');
  assert.ok(marked.metadata.deletionTimestamp, 'graceful deletion marks the pod');
  await waitFor('gone', async () => { try { await client.get(PODS, 'default', 'stopper'); return undefined; } catch { return true; } });
  assert.ok(Date.now() - t0 >= 1500, `deleted after ${Date.now() - t0} ms`);
});

test('a Job-style pod (restartPolicy Never) completes', async () => {
  await client.create(PODS, 'default', pod('job', { restartPolicy: 'Never' }, { annotations: { 'keks.dev/run-time': '300ms' } }));
  const p = await waitFor('Succeeded', async () => { const x = await client.get(PODS, 'default', 'job'); return (x.status as { phase?: string }).phase === 'Succeeded' ? x : undefined; });
  const cs = (p.status as { containerStatuses: Array<{ state: { terminated?: { exitCode: number; reason: string } } }> }).containerStatuses[0];
  assert.deepEqual([cs.state.terminated?.exitCode, cs.state.terminated?.reason], [0, 'Completed']);
});

test('three replicas of one owner spread over the three zones', async () => {
  // A real owner object (so the garbage collector keeps the pods) that no controller manages;
  // default spreading groups pods by their controller owner.
  const CMS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
  const cm = await client.create(CMS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rs-owner' } });
  const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'rs-owner', uid: cm.metadata.uid as string, controller: true };
  for (let i = 0; i < 3; i++) await client.create(PODS, 'default', pod(`rs-${i}`, {}, { ownerReferences: [owner], labels: { app: 'rs' } }));
  const nodes = await waitFor('all scheduled', async () => {
    const ps = await Promise.all([0, 1, 2].map((i) => client.get(PODS, 'default', `rs-${i}`)));
    const ns = ps.map((x) => (x.spec as { nodeName?: string }).nodeName);
    return ns.every(Boolean) ? ns : undefined;
  });
  const all = (await client.list(NODES, '')).items;
  const zoneOf = new Map(all.map((n) => [n.metadata.name, n.metadata.labels?.['topology.kubernetes.io/zone']]));
  assert.equal(new Set(nodes.map((n) => zoneOf.get(n))).size, 3, `nodes: ${nodes.join(', ')}`);
});
