import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { formatMicroTime, formatTime } from '../../apimachinery/time.js';
import { heartbeatSignature, reconcileTaints, staleConditions, type NodeCondition } from './health.js';

const T0 = Date.UTC(2025, 0, 1);
const healthy = (t: number): NodeCondition[] => ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
  type, status: type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: formatTime(t), lastTransitionTime: formatTime(t), reason: 'R', message: 'm',
}));
const node = (conditions: NodeCondition[], taints?: unknown[]): KubeObject => ({
  metadata: { name: 'n1', creationTimestamp: formatTime(T0) }, spec: taints ? { taints } : {}, status: { conditions },
});
const lease = (t: number): KubeObject => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: formatMicroTime(t) } });

describe('staleConditions', () => {
  it('leaves a node alone while within the grace period of its last observed heartbeat', () => {
    assert.equal(staleConditions(node(healthy(T0)), T0 + 30_000, T0 + 60_000, 40_000), undefined);
  });

  it('the heartbeat signature changes with a lease renewal or a status heartbeat', () => {
    const a = heartbeatSignature(node(healthy(T0)), lease(T0));
    assert.notEqual(heartbeatSignature(node(healthy(T0)), lease(T0 + 10_000)), a);
    assert.notEqual(heartbeatSignature(node(healthy(T0 + 1000)), lease(T0)), a);
    assert.equal(heartbeatSignature(node(healthy(T0)), lease(T0)), a);
  });

  it('marks all four conditions Unknown once lease and heartbeat are older than the grace period', () => {
    const out = staleConditions(node(healthy(T0)), T0 + 10_000, T0 + 51_000, 40_000);
    assert.ok(out);
    assert.deepEqual(out.map((c) => [c.type, c.status, c.reason, c.message]), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((t) =>
      [t, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']));
    assert.equal(out[3]!.lastHeartbeatTime, formatTime(T0), 'heartbeat kept');
    assert.equal(out[3]!.lastTransitionTime, formatTime(T0 + 51_000));
    // Already Unknown: nothing more to write.
    assert.equal(staleConditions(node(out), T0 + 10_000, T0 + 90_000, 40_000), undefined);
  });

  it('a node that never posted status gets NodeStatusNeverUpdated conditions', () => {
    const out = staleConditions(node([]), T0, T0 + 41_000, 40_000);
    assert.equal(out?.find((c) => c.type === 'Ready')?.reason, 'NodeStatusNeverUpdated');
  });
});

describe('reconcileTaints', () => {
  const withReady = (status: string, taints?: unknown[]): KubeObject => node(healthy(T0).map((c) => (c.type === 'Ready' ? { ...c, status } : c)), taints);

  it('Unknown → unreachable NoSchedule + NoExecute (timeAdded on NoExecute), keeping other taints', () => {
    const other = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
    assert.deepEqual(reconcileTaints(withReady('Unknown', [other]), T0), [
      other,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: formatTime(T0) },
    ]);
  });

  it('False → not-ready replacing unreachable; True → none; no change → undefined', () => {
    const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'x' }];
    assert.deepEqual(reconcileTaints(withReady('False', unreachable), T0)?.map((t) => `${t.key}:${t.effect}`),
      ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    assert.deepEqual(reconcileTaints(withReady('True', unreachable), T0), []);
    assert.equal(reconcileTaints(withReady('Unknown', unreachable), T0 + 5000), undefined, 'timeAdded kept, nothing to write');
    assert.equal(reconcileTaints(withReady('True'), T0), undefined);
  });
});
