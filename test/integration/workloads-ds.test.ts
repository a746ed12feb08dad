/**
 * The DaemonSet controller with the scheduler and 3 simulated nodes in 3 zones: one pod per node,
 * pinned by node affinity and bound by the scheduler; a node that joins gets a pod and one that
 * leaves loses it; a NoSchedule-tainted node is skipped unless the template tolerates the taint;
 * a RollingUpdate replaces every pod (new controller-revision-hash) within maxUnavailable 1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const DS: ResourceRef = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true };
const REVS: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => eventually(fn, what, ms) as Promise<T>;

/** Retries a write on 409: keks answers a merge patch that races another write with Conflict (see the report). */
async function retry409<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try { return await fn(); } catch (e) { if (i > 20 || (e as { status?: number }).status !== 409) throw e; }
  }
}

function daemonSet(name: string, extra: Record<string, unknown> = {}, image = 'fluentd:1'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }], ...extra } },
    },
  };
}

describe('DaemonSet controller', () => {
  let k: TestKeks;
  let c: ApiClient;
  before(async () => {
    k = await startTestKeks({ store: 'memory', nodes: 3 });
    c = k.cluster.client;
    await waitFor('3 nodes', async () => (await c.list(NODES, '')).items.length === 3);
  });
  after(async () => { await k?.stop(); });

  const livePods = async (app: string): Promise<KubeObject[]> => (await c.list(PODS, 'default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const nodeOf = (p: KubeObject): string => (p.spec as { nodeName?: string }).nodeName ?? '';
  const status = async (name: string): Promise<Record<string, number>> => (await c.get(DS, 'default', name)).status as Record<string, number>;

  it('runs one Running pod per node, pinned by node affinity, with daemon tolerations and status', async () => {
    await c.create(DS, 'default', daemonSet('agent'));
    const nodes = (await c.list(NODES, '')).items.map((n) => n.metadata.name as string).sort();
    const pods = await waitFor('3 running pods', async () => {
      const p = await livePods('agent');
      return p.length === 3 && p.every((x) => (x.status as { phase?: string }).phase === 'Running') ? p : undefined;
    });
    assert.deepEqual(pods.map(nodeOf).sort(), nodes, 'one pod on each node');
    for (const p of pods) {
      const spec = p.spec as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } } }; tolerations: Array<{ key: string; effect: string }> };
      assert.deepEqual(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
        [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeOf(p)] }] }]);
      assert.deepEqual(spec.tolerations.map((t) => `${t.key}:${t.effect}`).sort(), [
        'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
      assert.equal(p.metadata.labels?.['pod-template-generation'], '1');
      assert.ok(p.metadata.labels?.['controller-revision-hash']);
    }
    const st = await waitFor('status', async () => { const s = await status('agent'); return s.numberReady === 3 && s.numberAvailable === 3 ? s : undefined; });
    assert.equal(st.desiredNumberScheduled, 3);
    assert.equal(st.currentNumberScheduled, 3);
    assert.equal(st.updatedNumberScheduled, 3);
    assert.equal(st.numberMisscheduled, 0);
    assert.equal(st.observedGeneration, 1);
    const ds = await c.get(DS, 'default', 'agent');
    const revs = (await c.list(REVS, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
    assert.equal(revs.length, 1);
    assert.equal(revs[0]!.metadata.name, `agent-${pods[0]!.metadata.labels?.['controller-revision-hash']}`);
    const msgs = (await c.list(EVENTS, 'default')).items.filter((e) => (e.involvedObject as { name: string }).name === 'agent').map((e) => e.message as string);
    assert.ok(msgs.some((m) => m.startsWith('Created pod: agent-')), msgs.join('\n'));
  });

  it('follows a node that joins and one that leaves', async () => {
    const [first] = (await c.list(NODES, '')).items;
    const name = 'ip-192-168-250-250.ec2.internal';
    const clone: KubeObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { ...first!.metadata.labels, 'kubernetes.io/hostname': name }, annotations: { ...first!.metadata.annotations } },
      spec: {}, status: first!.status,
    };
    await c.create(NODES, '', clone);
    await waitFor('a pod on the new node', async () => (await livePods('agent')).some((p) => nodeOf(p) === name && (p.status as { phase?: string }).phase === 'Running'));
    await waitFor('desired 4', async () => (await status('agent')).desiredNumberScheduled === 4);
    await c.delete(NODES, '', name);
    // The pod of the gone node is force-deleted (no kubelet is left to finish a graceful deletion).
    await waitFor('back to 3 pods', async () => { const p = (await c.list(PODS, 'default', { labelSelector: 'app=agent' })).items; return p.length === 3 && !p.some((x) => nodeOf(x) === name); });
    await waitFor('desired 3', async () => (await status('agent')).desiredNumberScheduled === 3);
  });

  it('skips a NoSchedule-tainted node unless the template tolerates the taint', async () => {
    const nodes = (await c.list(NODES, '')).items.map((n) => n.metadata.name as string).sort();
    const tainted = nodes[0]!;
    await retry409(() => c.patch(NODES, '', tainted, { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }, 'merge'));
    await c.create(DS, 'default', daemonSet('plain'));
    await c.create(DS, 'default', daemonSet('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    const plain = await waitFor('plain on 2 nodes', async () => { const p = await livePods('plain'); return p.length === 2 ? p : undefined; });
    assert.ok(!plain.some((p) => nodeOf(p) === tainted));
    await waitFor('tolerant on 3 nodes', async () => (await livePods('tolerant')).length === 3);
    await waitFor('plain desired 2', async () => (await status('plain')).desiredNumberScheduled === 2);
    // The existing agent pod on the tainted node stays (NoSchedule does not evict) but is now misscheduled.
    await waitFor('agent misscheduled 1', async () => { const s = await status('agent'); return s.numberMisscheduled === 1 && s.desiredNumberScheduled === 2; });
    assert.equal((await livePods('agent')).length, 3);
    await retry409(() => c.patch(NODES, '', tainted, { spec: { taints: null } }, 'merge'));
    await waitFor('plain on 3 nodes', async () => (await livePods('plain')).length === 3);
    for (const n of ['plain', 'tolerant']) await c.delete(DS, 'default', n);
  });

  it('rolls every pod to a new template, never more than one unavailable', async () => {
    const before = new Set((await livePods('agent')).map((p) => p.metadata.labels?.['controller-revision-hash']));
    assert.equal(before.size, 1);
    let maxUnavailable = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const s = await status('agent').catch(() => undefined);
        if (s && s.desiredNumberScheduled === 3) maxUnavailable = Math.max(maxUnavailable, 3 - (s.numberAvailable ?? 0));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await retry409(() => c.patch(DS, 'default', 'agent', { spec: { template: { spec: { containers: [{ name: 'c', image: 'fluentd:2' }] } } } }, 'merge'));
    const pods = await waitFor('3 new running pods', async () => {
      const p = await livePods('agent');
      const ok = p.length === 3 && p.every((x) => !before.has(x.metadata.labels?.['controller-revision-hash']) && (x.status as { phase?: string }).phase === 'Running');
      return ok ? p : undefined;
    }, 30_000);
    const st = await waitFor('updated status', async () => { const s = await status('agent'); return s.updatedNumberScheduled === 3 && s.numberAvailable === 3 ? s : undefined; });
    watching = false;
    await watcher;
    assert.equal(new Set(pods.map(nodeOf)).size, 3);
    assert.equal(st.observedGeneration, 2);
    assert.ok(maxUnavailable <= 1, `at most one unavailable, saw ${maxUnavailable}`);
    assert.equal(pods[0]!.metadata.labels?.['pod-template-generation'], '2');
  });
});
