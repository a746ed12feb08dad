import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { calculateStatus, statusChanged } from './status.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function rs(status: Record<string, unknown> = {}, minReadySeconds = 0): KubeObject {
  return { metadata: { name: 'web', generation: 4 }, spec: { replicas: 3, minReadySeconds, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } }, status };
}
function pod(labels: Record<string, string>, readySince?: string): KubeObject {
  return { metadata: { name: 'p', labels }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: readySince ? 'True' : 'False', lastTransitionTime: readySince }] } };
}

describe('ReplicaSet status', () => {
  it('counts fully labeled, ready and available (minReadySeconds) pods; observedGeneration', () => {
    const pods = [pod({ app: 'web', tier: 'fe' }, '2025-01-01T00:00:00Z'), pod({ app: 'web' }, '2024-12-31T23:59:55Z'), pod({ app: 'web', tier: 'fe' })];
    assert.deepEqual(calculateStatus(rs({}, 10), pods, undefined, T0 + 6_000), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
    assert.deepEqual(calculateStatus(rs({}, 0), [], undefined, T0), { replicas: 0, observedGeneration: 4 });
  });

  it('ReplicaFailure is set on a failed create and cleared by a clean sync', () => {
    const failed = calculateStatus(rs(), [], new Error('pods "web-x" is forbidden: exceeded quota'), T0);
    assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }]);
    const cleared = calculateStatus(rs(failed as unknown as Record<string, unknown>), [], undefined, T0);
    assert.equal(cleared.conditions, undefined);
  });

  it('statusChanged ignores omitted zero counters', () => {
    assert.equal(statusChanged(rs({ replicas: 0, observedGeneration: 4 }), { replicas: 0, observedGeneration: 4 }), false);
    assert.equal(statusChanged(rs({ replicas: 1, readyReplicas: 0, observedGeneration: 4 }), { replicas: 1, observedGeneration: 4 }), false);
    assert.equal(statusChanged(rs({ replicas: 1 }), { replicas: 1, observedGeneration: 4 }), true);
  });
});
