/** Filters, scores and the FailedScheduling message, table-driven over small node sets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { SchedulerCache } from './cache.js';
import { failedSchedulingMessage } from './messages.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { Algorithm, numFeasibleNodesToFind } from './schedule-one.js';
import { podRequests } from './resources.js';

function node(name: string, zone: string, extra: { cpu?: string; taints?: unknown[]; unschedulable?: boolean; labels?: Record<string, string> } = {}): KubeObject {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...extra.labels } },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: { allocatable: { cpu: extra.cpu ?? '1930m', memory: '3450552Ki', pods: '17', 'ephemeral-storage': '18242267955' } },
  };
}

function pod(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, namespace: 'default', uid: name, ...meta }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

function cacheWith(nodes: KubeObject[]): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  return c;
}

const three = (): KubeObject[] => [node('a', 'z1'), node('b', 'z2'), node('c', 'z3')];

test('requests: containers sum, init containers max, sidecars add, overhead adds', () => {
  const r = podRequests(pod('p', {
    containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '200m' } } }],
    initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }, { name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }],
    overhead: { cpu: '10m' },
  }));
  assert.equal(r.cpu, 1000 + 10);
  assert.equal(r.memory, 64 * 1024 * 1024);
  assert.equal(podRequests(pod('q'), true).cpu, 100);
});

const cases: Array<{ name: string; nodes: KubeObject[]; pod: KubeObject; message?: string; onto?: string[] }> = [
  {
    name: 'insufficient cpu everywhere',
    nodes: three(), pod: pod('p', { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '3' } } }] }),
    message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  },
  {
    name: 'taints, cordon and node selector mix, sorted',
    nodes: [node('a', 'z1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), node('b', 'z2', { unschedulable: true }), node('c', 'z3')],
    pod: pod('p', { nodeSelector: { disk: 'ssd' } }),
    message: "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
  },
  {
    name: 'a toleration admits the tainted node',
    nodes: [node('a', 'z1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), node('b', 'z2', { unschedulable: true })],
    pod: pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), onto: ['a'],
  },
  {
    name: 'required node affinity In',
    nodes: three(),
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z2'] }] }] } } } }),
    onto: ['b'],
  },
  {
    name: 'host port conflict',
    nodes: [node('a', 'z1')],
    pod: pod('p', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
    message: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..",
  },
];

for (const c of cases) {
  test(`filters: ${c.name}`, () => {
    const cache = cacheWith(c.nodes);
    if (c.name === 'host port conflict') cache.updatePod('default/other', pod('other', { nodeName: 'a', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }));
    const d = new Algorithm(DEFAULT_PLUGINS).schedule(cache, 'default/p', c.pod);
    if (c.message) {
      assert.equal(d.ok, false);
      if (!d.ok) assert.equal(failedSchedulingMessage(d.numNodes, d.failures), c.message);
    } else {
      assert.equal(d.ok, true);
      if (d.ok) assert.ok(c.onto?.includes(d.node), d.node);
    }
  });
}

test('required anti-affinity on hostname puts one pod per node, then fails', () => {
  const cache = cacheWith(three());
  const alg = new Algorithm(DEFAULT_PLUGINS);
  const anti = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
  const used = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const p = pod(`p${i}`, anti, { labels: { app: 'x' } });
    const d = alg.schedule(cache, `default/p${i}`, p);
    assert.ok(d.ok);
    if (d.ok) { used.add(d.node); cache.updatePod(`default/p${i}`, p, d.node); }
  }
  assert.equal(used.size, 3);
  const d = alg.schedule(cache, 'default/p3', pod('p3', anti, { labels: { app: 'x' } }));
  assert.ok(!d.ok);
  if (!d.ok) assert.equal(failedSchedulingMessage(d.numNodes, d.failures), "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..");
});

test('hard topology spread (maxSkew 1 over zones) alternates zones', () => {
  const cache = cacheWith([node('a1', 'z1'), node('a2', 'z1'), node('b1', 'z2')]);
  const alg = new Algorithm(DEFAULT_PLUGINS);
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 's' } } }] };
  const zones: string[] = [];
  for (let i = 0; i < 4; i++) {
    const p = pod(`s${i}`, spread, { labels: { app: 's' } });
    const d = alg.schedule(cache, `default/s${i}`, p);
    assert.ok(d.ok);
    if (d.ok) { cache.updatePod(`default/s${i}`, p, d.node); zones.push(d.node.startsWith('a') ? 'z1' : 'z2'); }
  }
  assert.equal(zones.filter((z) => z === 'z1').length, 2);
  assert.equal(zones.filter((z) => z === 'z2').length, 2);
});

test('default spreading places replicas of one owner on different nodes', () => {
  const cache = cacheWith(three());
  const alg = new Algorithm(DEFAULT_PLUGINS);
  const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }];
  const nodes = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const p = pod(`r${i}`, {}, { ownerReferences: owner });
    const d = alg.schedule(cache, `default/r${i}`, p);
    if (d.ok) { nodes.add(d.node); cache.updatePod(`default/r${i}`, p, d.node); }
  }
  assert.equal(nodes.size, 3);
});

test('percentage of nodes to score', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(200), 100);
});
