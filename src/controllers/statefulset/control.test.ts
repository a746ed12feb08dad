import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { computeStatus, updateStatefulSet, type StsOps, type StsState } from './control.js';
import { claimsFor, identityMatches, newStatefulSetPod, parentAndOrdinal } from './identity.js';

const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };

function set(o: { replicas?: number; policy?: string; type?: string; partition?: number; image?: string; claims?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'u1', generation: 1 },
    spec: {
      replicas: o.replicas ?? 3, serviceName: 'nginx', podManagementPolicy: o.policy ?? 'OrderedReady', selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: o.type ?? 'RollingUpdate', ...(o.type === 'OnDelete' ? {} : { rollingUpdate: { partition: o.partition ?? 0 } }) },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }], volumes: [{ name: 'www', emptyDir: {} }] } },
      ...(o.claims ? { volumeClaimTemplates: [{ metadata: { name: 'www', labels: { tier: 'data' } }, spec: { resources: { requests: { storage: '1Gi' } } } }] } : {}),
    },
  };
}

function pod(ordinal: number, rev: string, o: { ready?: boolean; terminating?: boolean; phase?: string } = {}): KubeObject {
  const p = newStatefulSetPod(set(), ordinal, rev, ref);
  p.metadata.uid = `p${ordinal}`;
  if (o.terminating) p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
  p.status = { phase: o.phase ?? (o.ready === false ? 'Pending' : 'Running'), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] };
  return p;
}

function run(s: KubeObject, pods: KubeObject[], revs = { current: 'web-a', update: 'web-a' }): Promise<string[]> & { state: StsState } {
  const log: string[] = [];
  const ops: StsOps = {
    createPod: async (p) => { log.push(`create ${p.metadata.name} ${p.metadata.labels?.['controller-revision-hash']}`); },
    deletePod: async (p) => { log.push(`delete ${p.metadata.name}`); },
    fixIdentity: async (p) => { log.push(`fix ${p.metadata.name}`); },
  };
  const state: StsState = { set: s, currentSet: s, pods, currentRevision: revs.current, updateRevision: revs.update, ownerRef: ref, now: Date.parse('2025-01-02T00:00:00Z') };
  const pr = updateStatefulSet(state, ops).then(() => log) as Promise<string[]> & { state: StsState };
  pr.state = state;
  return pr;
}

describe('StatefulSet identity', () => {
  it('names, labels, hostname/subdomain, claim volumes and claims', () => {
    const s = set({ claims: true });
    const p = newStatefulSetPod(s, 2, 'web-abc', ref);
    assert.equal(p.metadata.name, 'web-2');
    assert.deepEqual(p.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
    const spec = p.spec as { hostname: string; subdomain: string; volumes: unknown[] };
    assert.equal(spec.hostname, 'web-2');
    assert.equal(spec.subdomain, 'nginx');
    assert.deepEqual(spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } }], 'the claim replaces the same-named template volume');
    const [claim] = claimsFor(s, 2);
    assert.equal(claim!.metadata.name, 'www-web-2');
    assert.deepEqual(claim!.metadata.labels, { tier: 'data', app: 'web' });
    assert.ok(identityMatches(s, { ...p, metadata: { ...p.metadata, namespace: 'default' } }));
    assert.ok(!identityMatches(s, { ...p, metadata: { ...p.metadata, namespace: 'default', labels: { app: 'web' } } }));
    assert.deepEqual(parentAndOrdinal({ metadata: { name: 'my-web-10' } }), { parent: 'my-web', ordinal: 10 });
    assert.equal(parentAndOrdinal({ metadata: { name: 'web' } }), undefined);
  });
});

describe('updateStatefulSet', () => {
  it('OrderedReady creates one pod at a time and waits for it to be Running and Ready', async () => {
    assert.deepEqual(await run(set(), []), ['create web-0 web-a']);
    assert.deepEqual(await run(set(), [pod(0, 'web-a', { ready: false })]), []);
    assert.deepEqual(await run(set(), [pod(0, 'web-a')]), ['create web-1 web-a']);
    assert.deepEqual(await run(set(), [pod(0, 'web-a'), pod(1, 'web-a', { terminating: true })]), [], 'a terminating pod blocks');
  });

  it('Parallel creates every missing pod at once and deletes condemned ones together', async () => {
    assert.deepEqual(await run(set({ policy: 'Parallel' }), []), ['create web-0 web-a', 'create web-1 web-a', 'create web-2 web-a']);
    const pods = [0, 1, 2, 3, 4].map((i) => pod(i, 'web-a'));
    assert.deepEqual(await run(set({ policy: 'Parallel' }), pods), ['delete web-4', 'delete web-3']);
  });

  it('scales down highest ordinal first, one at a time', async () => {
    const pods = [0, 1, 2].map((i) => pod(i, 'web-a'));
    assert.deepEqual(await run(set({ replicas: 1 }), pods), ['delete web-2']);
    assert.deepEqual(await run(set({ replicas: 1 }), [pod(0, 'web-a'), pod(1, 'web-a'), pod(2, 'web-a', { terminating: true })]), []);
  });

  it('recreates a failed pod', async () => {
    assert.deepEqual(await run(set(), [pod(0, 'web-a', { phase: 'Failed' })]), ['delete web-0']);
  });

  it('RollingUpdate replaces the highest-ordinal old pod first, down to the partition', async () => {
    const revs = { current: 'web-a', update: 'web-b' };
    const old = [0, 1, 2].map((i) => pod(i, 'web-a'));
    assert.deepEqual(await run(set(), old, revs), ['delete web-2']);
    assert.deepEqual(await run(set(), [pod(0, 'web-a'), pod(1, 'web-a'), pod(2, 'web-b', { ready: false })], revs), [], 'waits for the new pod to be healthy');
    assert.deepEqual(await run(set(), [pod(0, 'web-a'), pod(1, 'web-a'), pod(2, 'web-b')], revs), ['delete web-1']);
    assert.deepEqual(await run(set({ partition: 2 }), [pod(0, 'web-a'), pod(1, 'web-a'), pod(2, 'web-b')], revs), [], 'ordinals below the partition stay');
    // A missing pod below the partition is recreated at the current revision, above it at the update revision.
    assert.deepEqual(await run(set({ partition: 2 }), [pod(0, 'web-a')], revs), ['create web-1 web-a']);
    assert.deepEqual(await run(set({ partition: 2 }), [pod(0, 'web-a'), pod(1, 'web-a')], revs), ['create web-2 web-b']);
  });

  it('OnDelete never deletes for an update', async () => {
    const old = [0, 1, 2].map((i) => pod(i, 'web-a'));
    assert.deepEqual(await run(set({ type: 'OnDelete' }), old, { current: 'web-a', update: 'web-b' }), []);
  });
});

describe('StatefulSet status', () => {
  it('counts replicas, ready, current/updated, and completes a rolling update', () => {
    const state = (pods: KubeObject[]): StsState => ({ set: set(), currentSet: set(), pods, currentRevision: 'web-a', updateRevision: 'web-b', ownerRef: ref, now: Date.parse('2025-01-02T00:00:00Z') });
    const mid = computeStatus(state([pod(0, 'web-a'), pod(1, 'web-a'), pod(2, 'web-b', { ready: false })]), 0);
    assert.deepEqual(mid, { observedGeneration: 1, replicas: 3, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 1, availableReplicas: 2, currentRevision: 'web-a', updateRevision: 'web-b', collisionCount: 0 });
    const done = computeStatus(state([pod(0, 'web-b'), pod(1, 'web-b'), pod(2, 'web-b')]), 0);
    assert.equal(done.currentRevision, 'web-b');
    assert.equal(done.currentReplicas, 3);
  });
});
