import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { compareForDeletion, isPodActive, isPodAvailable, msUntilAvailable } from './pods.js';

function pod(name: string, o: { node?: string; phase?: string; readySince?: string; restarts?: number; created?: string; deleting?: boolean } = {}): KubeObject {
  const conditions = o.readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] : [{ type: 'Ready', status: 'False' }];
  return {
    metadata: { name, creationTimestamp: o.created ?? '2025-01-01T00:00:00Z', ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: o.node ? { nodeName: o.node } : {},
    status: { phase: o.phase ?? 'Pending', conditions, containerStatuses: [{ restartCount: o.restarts ?? 0 }] },
  };
}

describe('pod predicates', () => {
  it('active: not terminal and not deleting', () => {
    assert.equal(isPodActive(pod('a', { phase: 'Running' })), true);
    assert.equal(isPodActive(pod('a', { phase: 'Succeeded' })), false);
    assert.equal(isPodActive(pod('a', { phase: 'Failed' })), false);
    assert.equal(isPodActive(pod('a', { deleting: true })), false);
  });

  it('available after minReadySeconds from the Ready transition', () => {
    const p = pod('a', { phase: 'Running', readySince: '2025-01-01T00:00:00Z' });
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(isPodAvailable(p, 0, t0), true);
    assert.equal(isPodAvailable(p, 10, t0 + 9_000), false);
    assert.equal(isPodAvailable(p, 10, t0 + 10_000), true);
    assert.equal(msUntilAvailable(p, 10, t0 + 4_000), 6_000);
    assert.equal(isPodAvailable(pod('b'), 0, t0), false);
  });

  it('deletion order: unassigned, pending, not ready, ready for less time, more restarts, newer', () => {
    const pods = [
      pod('old-ready', { node: 'n', phase: 'Running', readySince: '2025-01-01T00:00:00Z', created: '2025-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'n', phase: 'Running', readySince: '2025-01-01T01:00:00Z', created: '2025-01-01T00:00:00Z' }),
      pod('running-unready', { node: 'n', phase: 'Running' }),
      pod('pending', { node: 'n', phase: 'Pending' }),
      pod('unscheduled', {}),
    ];
    const order = [...pods].sort((a, b) => compareForDeletion(a, b)).map((p) => p.metadata.name);
    assert.deepEqual(order, ['unscheduled', 'pending', 'running-unready', 'new-ready', 'old-ready']);
    const restarts = [pod('r0', { node: 'n', phase: 'Running', restarts: 0 }), pod('r5', { node: 'n', phase: 'Running', restarts: 5 })];
    assert.equal([...restarts].sort((a, b) => compareForDeletion(a, b))[0]!.metadata.name, 'r5');
    const ages = [pod('older', { node: 'n', phase: 'Running', created: '2025-01-01T00:00:00Z' }), pod('newer', { node: 'n', phase: 'Running', created: '2025-01-02T00:00:00Z' })];
    assert.equal([...ages].sort((a, b) => compareForDeletion(a, b))[0]!.metadata.name, 'newer');
    // Rank: more pods of the owner on the same node first.
    const ranked = [pod('lonely', { node: 'a', phase: 'Running' }), pod('crowded', { node: 'b', phase: 'Running' })];
    assert.equal([...ranked].sort((x, y) => compareForDeletion(x, y, (p) => (p.metadata.name === 'crowded' ? 3 : 1)))[0]!.metadata.name, 'crowded');
  });
});
