/**
 * Node lifecycle on a fake clock (issue 4): a node whose simulated kubelet stops heartbeating
 * (keks.dev/heartbeat: stopped) goes NotReady (conditions Unknown) with the unreachable taints,
 * its ReplicaSet pod (tolerationSeconds 5) is evicted 5 s later and replaced on another node, and
 * the node coming back clears the taints.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { FakeClock } from '../../src/util/clock.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

let k: TestKeks;
let client: ApiClient;
const clock = new FakeClock(Date.now());

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 8000): Promise<T> => eventually(fn, what, ms, 20) as Promise<T>;

/** Moves fake time a second at a time, letting the async lease renewals land in between. */
async function advance(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    clock.step(Math.min(1000, ms - t));
    await new Promise((r) => setTimeout(r, 15));
  }
}

const ready = (n: KubeObject): string | undefined => (n.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.find((c) => c.type === 'Ready')?.status;
const taints = (n: KubeObject): string[] => ((n.spec as { taints?: Array<{ key: string; effect: string }> }).taints ?? []).map((t) => `${t.key}:${t.effect}`);
const nodeOf = (p: KubeObject): string | undefined => (p.spec as { nodeName?: string }).nodeName;

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 3, clock });
  client = k.cluster.client;
  await waitFor('nodes', async () => ((await client.list(NODES, '')).items.length === 3 ? true : undefined));
});
after(async () => { await k?.stop(); });

test('a node that stops heartbeating goes NotReady, its pod is evicted after tolerationSeconds and replaced elsewhere', async () => {
  await client.create(RS, 'default', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'nginx' }],
          tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
        },
      },
    },
  });
  const first = await waitFor('scheduled pod', async () => (await client.list(PODS, 'default')).items.find((p) => nodeOf(p)));
  const victim = nodeOf(first) as string;
  // DefaultTolerationSeconds added the not-ready one and kept ours.
  const tols = (first.spec as { tolerations: Array<{ key: string; tolerationSeconds: number }> }).tolerations;
  assert.deepEqual(tols.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/unreachable', 5], ['node.kubernetes.io/not-ready', 300]]);

  await client.patch(NODES, '', victim, { metadata: { annotations: { 'keks.dev/heartbeat': 'stopped' } } });
  await advance(30_000);
  assert.equal(ready(await client.get(NODES, '', victim)), 'True', 'still within the 40 s grace period');
  await advance(16_000);
  const down = await waitFor('NotReady', async () => { const n = await client.get(NODES, '', victim); return ready(n) === 'Unknown' && taints(n).length === 2 ? n : undefined; });
  assert.deepEqual(taints(down), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  const cond = (down.status as { conditions: Array<{ type: string; reason: string; message: string }> }).conditions.find((c) => c.type === 'Ready');
  assert.equal(cond?.reason, 'NodeStatusUnknown');
  assert.equal(cond?.message, 'Kubelet stopped posting node status.');
  for (const n of (await client.list(NODES, '')).items) if (n.metadata.name !== victim) assert.equal(ready(n), 'True', `${n.metadata.name as string} stays Ready`);

  // Not yet: the pod tolerates the taint for 5 s.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await client.get(PODS, 'default', first.metadata.name as string)).metadata.deletionTimestamp, undefined);
  await advance(6000);
  await waitFor('evicted', async () => {
    const p = await client.get(PODS, 'default', first.metadata.name as string).catch(() => undefined);
    return !p || p.metadata.deletionTimestamp ? true : undefined;
  });
  const replacement = await waitFor('replacement', async () => (await client.list(PODS, 'default')).items.find((p) => p.metadata.name !== first.metadata.name && nodeOf(p) && !p.metadata.deletionTimestamp));
  assert.notEqual(nodeOf(replacement), victim);
  const events = (await client.list(EVENTS, 'default')).items as Array<KubeObject & { reason?: string; message?: string; type?: string }>;
  assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod default/${first.metadata.name as string}`));
  assert.ok(events.some((e) => e.reason === 'NodeNotReady' && e.type === 'Warning' && e.message === 'Node is not ready'), 'pod event');
  const nodeEvents = (await client.list(EVENTS, '')).items as Array<KubeObject & { reason?: string; involvedObject?: { name?: string } }>;
  assert.ok(nodeEvents.some((e) => e.reason === 'NodeNotReady' && e.involvedObject?.name === victim));

  // Back on the network: Ready again and untainted.
  await client.patch(NODES, '', victim, { metadata: { annotations: { 'keks.dev/heartbeat': null } } });
  await advance(6000);
  await waitFor('Ready and untainted', async () => { const n = await client.get(NODES, '', victim); return ready(n) === 'True' && taints(n).length === 0 ? true : undefined; });
});
