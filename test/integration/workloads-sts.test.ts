/**
 * The StatefulSet controller in a real in-process keks, with pod readiness driven by the test
 * (no nodes; pods name a node, so their deletion is graceful and the test finishes it, as a
 * kubelet would) so ordering is observable: web-0..2 created in order, web-1 only after web-0 is
 * Ready; scale down in reverse; PVCs `<claim>-web-<n>` created before their pods; a partitioned
 * RollingUpdate replaces only ordinals at or above the partition, highest first; ControllerRevisions
 * and status; events worded as upstream.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const PVCS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true };
const STS: ResourceRef = { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true };
const REVS: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> => eventually(fn, what, ms, 30) as Promise<T>;
/** PATCH, retried on 409: keks answers a merge patch that races a status write with Conflict (see the report). */
async function patchRetry(c: ApiClient, name: string, patch: unknown): Promise<void> {
  for (let i = 0; ; i++) {
    try { await c.patch(STS, 'default', name, patch, 'merge'); return; } catch (e) { if (i > 20 || (e as { status?: number }).status !== 409) throw e; }
  }
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sts(name: string, o: { replicas: number; image?: string; policy?: string; partition?: number; claims?: boolean; retention?: Record<string, string> }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      replicas: o.replicas, serviceName: name, selector: { matchLabels: { app: name } }, podManagementPolicy: o.policy ?? 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      template: { metadata: { labels: { app: name } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: o.retention } : {}),
      ...(o.claims ? { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } : {}),
    },
  };
}

describe('StatefulSet controller', () => {
  let k: TestKeks;
  let c: ApiClient;
  before(async () => {
    k = await startTestKeks({ store: 'memory', controllers: ['statefulset', 'garbagecollector'] });
    c = k.cluster.client;
  });
  after(async () => { await k?.stop(); });

  const names = async (app: string): Promise<string[]> => (await c.list(PODS, 'default', { labelSelector: `app=${app}` })).items
    .filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name as string).sort();
  async function markReady(name: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await c.patch(PODS, 'default', name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, 'merge', 'status');
  }
  /** What a kubelet does after graceful termination: the pod goes away. */
  async function finishDeletions(app: string): Promise<void> {
    for (const p of (await c.list(PODS, 'default', { labelSelector: `app=${app}` })).items) {
      if (p.metadata.deletionTimestamp) await c.delete(PODS, 'default', p.metadata.name as string, { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }

  it('creates web-0..2 in order, each only after the previous is Ready, with identity, PVCs and events', async () => {
    await c.create(STS, 'default', sts('web', { replicas: 3, claims: true }));
    await waitFor('web-0', async () => (await names('web')).includes('web-0'));
    await sleep(300);
    assert.deepEqual(await names('web'), ['web-0'], 'web-1 must wait for web-0 to be Ready');
    const pvc = await c.get(PVCS, 'default', 'www-web-0');
    assert.equal(pvc.metadata.labels?.app, 'web');
    const p0 = await c.get(PODS, 'default', 'web-0');
    assert.equal(p0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(p0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.match(p0.metadata.labels?.['controller-revision-hash'] ?? '', /^web-[a-z0-9]+$/);
    const spec0 = p0.spec as { hostname: string; subdomain: string; volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> };
    assert.equal(spec0.hostname, 'web-0');
    assert.equal(spec0.subdomain, 'web');
    assert.deepEqual(spec0.volumes.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-0' });
    assert.equal(p0.metadata.ownerReferences?.[0]?.kind, 'StatefulSet');

    await markReady('web-0');
    await waitFor('web-1', async () => (await names('web')).includes('web-1'));
    await sleep(200);
    assert.deepEqual(await names('web'), ['web-0', 'web-1']);
    await markReady('web-1');
    await waitFor('web-2', async () => (await names('web')).includes('web-2'));
    await markReady('web-2');
    const set = await waitFor('status', async () => {
      const s = await c.get(STS, 'default', 'web');
      const st = s.status as Record<string, unknown>;
      return st.readyReplicas === 3 && st.availableReplicas === 3 ? s : undefined;
    });
    const st = set.status as Record<string, unknown>;
    assert.equal(st.replicas, 3);
    assert.equal(st.currentReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.equal(st.observedGeneration, set.metadata.generation);
    assert.equal(st.collisionCount, 0);
    const revs = (await c.list(REVS, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === set.metadata.uid);
    assert.equal(revs.length, 1);
    assert.equal(revs[0]!.metadata.name, st.updateRevision);
    assert.equal(revs[0]!.revision, 1);
    for (const n of [0, 1, 2]) await c.get(PVCS, 'default', `www-web-${n}`);
    const events = (await c.list(EVENTS, 'default')).items.filter((e) => (e.involvedObject as { name: string }).name === 'web');
    const msgs = events.map((e) => e.message as string);
    assert.ok(msgs.includes('create Pod web-0 in StatefulSet web successful'), msgs.join('\n'));
    assert.ok(msgs.includes('create Claim www-web-1 Pod web-1 in StatefulSet web success'), msgs.join('\n'));
  });

  it('scales down in reverse ordinal order, one at a time', async () => {
    await patchRetry(c, 'web', { spec: { replicas: 1 } });
    await waitFor('web-2 terminating', async () => (await names('web')).length === 2);
    assert.deepEqual(await names('web'), ['web-0', 'web-1'], 'web-2 goes first');
    await sleep(200);
    assert.deepEqual(await names('web'), ['web-0', 'web-1'], 'web-1 waits until web-2 is gone');
    await finishDeletions('web');
    await waitFor('web-1 terminating', async () => (await names('web')).length === 1);
    await finishDeletions('web');
    assert.deepEqual(await names('web'), ['web-0']);
    const msgs = (await c.list(EVENTS, 'default')).items.map((e) => e.message as string);
    assert.ok(msgs.includes('delete Pod web-2 in StatefulSet web successful'));
    // Retain (the default): the claims of removed pods stay.
    await c.get(PVCS, 'default', 'www-web-2');
  });

  it('partitioned RollingUpdate replaces only ordinals >= partition, highest first', async () => {
    await c.create(STS, 'default', sts('db', { replicas: 3, policy: 'Parallel', partition: 1 }));
    await waitFor('3 pods (Parallel)', async () => (await names('db')).length === 3);
    for (const n of await names('db')) await markReady(n);
    const before = await waitFor('ready', async () => { const s = await c.get(STS, 'default', 'db'); return (s.status as { readyReplicas?: number }).readyReplicas === 3 ? s : undefined; });
    const oldRev = (before.status as { updateRevision: string }).updateRevision;
    await patchRetry(c, 'db', { spec: { template: { spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    // db-2 is deleted first; once recreated at the new revision and Ready, db-1; db-0 stays (partition 1).
    await waitFor('db-2 deleted', async () => (await c.list(PODS, 'default', { labelSelector: 'app=db' })).items.some((p) => p.metadata.name === 'db-2' && p.metadata.deletionTimestamp));
    const pods = (await c.list(PODS, 'default', { labelSelector: 'app=db' })).items;
    assert.ok(!pods.find((p) => p.metadata.name === 'db-1')?.metadata.deletionTimestamp, 'db-1 waits for db-2');
    await finishDeletions('db');
    const revOf = async (n: string): Promise<string> => (await c.get(PODS, 'default', n)).metadata.labels?.['controller-revision-hash'] ?? '';
    await waitFor('db-2 recreated', async () => (await names('db')).includes('db-2') && (await revOf('db-2')) !== oldRev);
    await markReady('db-2');
    await waitFor('db-1 deleted', async () => (await c.list(PODS, 'default', { labelSelector: 'app=db' })).items.some((p) => p.metadata.name === 'db-1' && p.metadata.deletionTimestamp));
    await finishDeletions('db');
    await waitFor('db-1 recreated', async () => (await names('db')).includes('db-1') && (await revOf('db-1')) !== oldRev);
    await markReady('db-1');
    const s = await waitFor('status', async () => { const x = await c.get(STS, 'default', 'db'); const st = x.status as Record<string, number>; return st.updatedReplicas === 2 && st.readyReplicas === 3 ? x : undefined; });
    const st = s.status as Record<string, unknown>;
    assert.equal(await revOf('db-0'), oldRev, 'db-0 below the partition keeps the old revision');
    assert.equal(st.currentRevision, oldRev);
    assert.notEqual(st.updateRevision, oldRev);
    assert.equal(st.currentReplicas, 1);
    const revs = (await c.list(REVS, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === s.metadata.uid);
    assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2]);
    // Partition 0 finishes the rollout: db-0 is replaced and the update revision becomes current.
    await patchRetry(c, 'db', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await waitFor('db-0 deleted', async () => (await c.list(PODS, 'default', { labelSelector: 'app=db' })).items.some((p) => p.metadata.name === 'db-0' && p.metadata.deletionTimestamp));
    await finishDeletions('db');
    await waitFor('db-0 recreated', async () => (await names('db')).includes('db-0') && (await revOf('db-0')) !== oldRev);
    await markReady('db-0');
    await waitFor('rollout complete', async () => { const x = await c.get(STS, 'default', 'db'); const y = x.status as Record<string, unknown>; return y.currentRevision === y.updateRevision && y.currentReplicas === 3; });
  });

  it('persistentVolumeClaimRetentionPolicy whenScaled: Delete removes the claims of scaled-down pods', async () => {
    await c.create(STS, 'default', sts('cache', { replicas: 2, policy: 'Parallel', claims: true, retention: { whenScaled: 'Delete', whenDeleted: 'Retain' } }));
    await waitFor('2 pods', async () => (await names('cache')).length === 2);
    for (const n of await names('cache')) await markReady(n);
    await c.get(PVCS, 'default', 'www-cache-1');
    await patchRetry(c, 'cache', { spec: { replicas: 1 } });
    await waitFor('cache-1 deleted', async () => (await names('cache')).length === 1);
    await finishDeletions('cache');
    await waitFor('claim www-cache-1 collected', async () => { try { await c.get(PVCS, 'default', 'www-cache-1'); return false; } catch { return true; } });
    await c.get(PVCS, 'default', 'www-cache-0');
  });

  it('whenDeleted: Delete makes the set own its claims, so they go with it', async () => {
    await c.create(STS, 'default', sts('tmp', { replicas: 1, claims: true, retention: { whenDeleted: 'Delete', whenScaled: 'Retain' } }));
    const claim = await waitFor('claim', async () => c.get(PVCS, 'default', 'www-tmp-0'));
    const set = await c.get(STS, 'default', 'tmp');
    assert.deepEqual(claim.metadata.ownerReferences?.map((r) => [r.kind, r.uid, r.controller ?? false]), [['StatefulSet', set.metadata.uid, false]]);
    await c.delete(STS, 'default', 'tmp');
    await waitFor('claim collected', async () => { try { await c.get(PVCS, 'default', 'www-tmp-0'); return false; } catch { return true; } });
  });
});
