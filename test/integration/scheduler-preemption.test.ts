/**
 * Priority and preemption in a real in-process keks (DefaultPreemption, kube-scheduler 1.32): a
 * high-priority pod preempts a low-priority one on a full node (DisruptionTarget
 * PreemptionByScheduler, `Preempted` event, then it runs there); a victim protected by a PDB is
 * avoided when another node has an unprotected one; a preemptionPolicy Never pod stays Pending.
 * Pods name a PriorityClass and state the same priority, so the test holds with and without the
 * Priority admission plugin in the chain.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const PCS: ResourceRef = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false };
const PDBS: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true };

let k: TestKeks;
let client: ApiClient;
let node1 = '';
const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> => eventually(fn, what, ms) as Promise<T>;

const CLASSES: Record<string, [number, string]> = { low: [10, 'PreemptLowerPriority'], high: [1000, 'PreemptLowerPriority'], polite: [2000, 'Never'] };

function pod(name: string, cls: string, cpu: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = { app: name }): KubeObject {
  const [priority, preemptionPolicy] = CLASSES[cls];
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { priorityClassName: cls, priority, preemptionPolicy, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], ...extra },
  };
}

async function running(name: string): Promise<KubeObject> {
  return waitFor(`${name} Running`, async () => { const x = await client.get(PODS, 'default', name); return (x.status as { phase?: string }).phase === 'Running' ? x : undefined; });
}

async function gone(name: string): Promise<void> {
  await waitFor(`${name} gone`, async () => { try { await client.get(PODS, 'default', name); return undefined; } catch { return true; } });
}

async function event(name: string, reason: string): Promise<KubeObject> {
  return waitFor(`${reason} event of ${name}`, async () => (await client.list(EVENTS, 'default', { fieldSelector: `involvedObject.name=${name}` })).items.find((e) => e.reason === reason));
}

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 1 });
  client = k.cluster.client;
  const nodes = await waitFor('1 node', async () => { const l = await client.list(NODES, ''); return l.items.length === 1 ? l.items : undefined; });
  node1 = nodes[0].metadata.name as string;
  for (const [name, [value, preemptionPolicy]] of Object.entries(CLASSES)) {
    await client.create(PCS, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, preemptionPolicy });
  }
});
after(async () => { await k?.stop(); });

test('a high-priority pod preempts a low-priority one on a full node and runs there', async () => {
  await client.create(PODS, 'default', pod('victim', 'low', '1500m'));
  await running('victim');
  const hi = await client.create(PODS, 'default', pod('hi', 'high', '1000m'));
  // The victim is marked before it is deleted, as 1.32's prepareCandidate does.
  const marked = await waitFor('DisruptionTarget on victim', async () => {
    try {
      const v = await client.get(PODS, 'default', 'victim');
      const c = ((v.status as { conditions?: Array<Record<string, string>> }).conditions ?? []).find((x) => x.type === 'DisruptionTarget');
      return c ? { c, v } : undefined;
    } catch { return undefined; }
  });
  assert.equal(marked.c.reason, 'PreemptionByScheduler');
  assert.equal(marked.c.message, 'default-scheduler: preempting to accommodate a higher priority pod');
  const ev = await event('victim', 'Preempted');
  assert.equal(ev.message, `Preempted by pod ${hi.metadata.uid as string} on node ${node1}`);
  await gone('victim');
  const p = await running('hi');
  assert.equal((p.spec as { nodeName: string }).nodeName, node1);
  const failed = await event('hi', 'FailedScheduling');
  assert.equal(failed.message, '0/1 nodes are available: 1 Insufficient cpu.');
});

test('a PDB-protected victim is avoided when another node has an unprotected one', async () => {
  await client.create(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2', annotations: { 'keks.dev/simulated-node': 'true' }, labels: { 'topology.kubernetes.io/zone': 'us-east-1b', 'kubernetes.io/hostname': 'node-2', 'node.kubernetes.io/instance-type': 't3.medium' } } });
  await client.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } });
  // node1 holds hi (1000m) + guarded (900m); node-2 holds free (1500m). Each leaves < 800m.
  await client.create(PODS, 'default', pod('guarded', 'low', '900m', { nodeSelector: { 'kubernetes.io/hostname': node1 } }, { app: 'db' }));
  await client.create(PODS, 'default', pod('free', 'low', '1500m', { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } }, { app: 'web' }));
  await running('guarded');
  await running('free');
  await client.create(PODS, 'default', pod('hi2', 'high', '800m'));
  await event('free', 'Preempted');
  const p = await running('hi2');
  assert.equal((p.spec as { nodeName: string }).nodeName, 'node-2');
  const g = await client.get(PODS, 'default', 'guarded');
  assert.equal(g.metadata.deletionTimestamp, undefined);
});

test('a preemptionPolicy Never pod stays Pending and preempts nothing', async () => {
  await client.create(PODS, 'default', pod('polite', 'polite', '1500m'));
  const msg = '0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..';
  await waitFor('PodScheduled=False', async () => {
    const x = await client.get(PODS, 'default', 'polite');
    const c = ((x.status as { conditions?: Array<Record<string, string>> }).conditions ?? []).find((y) => y.type === 'PodScheduled');
    return c?.status === 'False' && c.message === msg ? c : undefined;
  });
  const all = (await client.list(PODS, 'default')).items;
  assert.deepEqual(all.filter((x) => x.metadata.deletionTimestamp).map((x) => x.metadata.name), []);
  assert.equal((await client.get(PODS, 'default', 'polite')).spec && ((await client.get(PODS, 'default', 'polite')).spec as { nodeName?: string }).nodeName, undefined);
});
