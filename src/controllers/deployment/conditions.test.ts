import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { calculateStatus, rolloutStatus, sameStatus, setCondition, stuckRequeueMs, type DeploymentStatus } from './conditions.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function dep(status: DeploymentStatus = {}, replicas = 3): KubeObject {
  return { metadata: { name: 'web', generation: 2 }, spec: { replicas, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate' } }, status };
}
function rs(name: string, replicas: number, ready: number, available: number): KubeObject {
  return { metadata: { name }, spec: { replicas }, status: { replicas, readyReplicas: ready, availableReplicas: available } };
}

describe('deployment status and conditions', () => {
  it('counts over all ReplicaSets; Available follows maxUnavailable', () => {
    const n = rs('web-new', 2, 2, 1);
    const o = rs('web-old', 2, 2, 2);
    const s = calculateStatus([o, n], n, dep(), T0);
    assert.deepEqual({ ...s, conditions: undefined }, { observedGeneration: 2, replicas: 4, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 3, unavailableReplicas: 1, conditions: undefined });
    assert.equal(s.conditions?.[0]?.reason, 'MinimumReplicasAvailable');
    assert.equal(s.conditions?.[0]?.message, 'Deployment has minimum availability.');
    const low = calculateStatus([rs('web-new', 3, 0, 0)], undefined, dep(), T0);
    assert.equal(low.conditions?.[0]?.status, 'False');
    assert.equal(low.conditions?.[0]?.reason, 'MinimumReplicasUnavailable');
  });

  it('setCondition keeps lastTransitionTime when the status is unchanged, and moves it last', () => {
    const s: DeploymentStatus = { conditions: [{ type: 'Progressing', status: 'True', reason: 'A', lastTransitionTime: 'then' }, { type: 'Available', status: 'True', reason: 'X' }] };
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'B', lastTransitionTime: 'now' });
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.reason, c.lastTransitionTime]), [['Available', 'X', undefined], ['Progressing', 'B', 'then']]);
  });

  it('Progressing: progressing → complete; no progress past the deadline → ProgressDeadlineExceeded', () => {
    const n = rs('web-new', 3, 1, 1);
    const start: DeploymentStatus = { updatedReplicas: 0, replicas: 0, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' }] };
    const s1 = rolloutStatus([n], n, dep(start), T0 + 1000);
    const p1 = s1.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(p1?.reason, 'ReplicaSetUpdated');
    assert.equal(p1?.message, 'ReplicaSet "web-new" is progressing.');
    assert.equal(p1?.lastTransitionTime, '2025-01-01T00:00:00Z');
    // Same counters 11 minutes later: timed out.
    const stuck = rolloutStatus([n], n, dep(s1), T0 + 601_000 + 1000);
    const p2 = stuck.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(p2?.status, 'False');
    assert.equal(p2?.reason, 'ProgressDeadlineExceeded');
    assert.equal(p2?.message, 'ReplicaSet "web-new" has timed out progressing.');
    // Before the deadline, the controller asks to look again at lastUpdateTime + deadline.
    assert.equal(stuckRequeueMs(dep(s1), s1, T0 + 1000), 600_000 + 1000);
    const done = rolloutStatus([rs('web-new', 3, 3, 3)], rs('web-new', 3, 3, 3), dep(s1), T0 + 2000);
    const p3 = done.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(p3?.reason, 'NewReplicaSetAvailable');
    assert.equal(p3?.message, 'ReplicaSet "web-new" has successfully progressed.');
  });

  it('sameStatus ignores key order and zero counters', () => {
    assert.equal(sameStatus({ replicas: 1, readyReplicas: 0 }, { replicas: 1 }), true);
    assert.equal(sameStatus({ replicas: 1 }, { replicas: 2 }), false);
  });
});
