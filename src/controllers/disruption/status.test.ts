import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { calculatePdbStatus, desiredHealthyOf, pdbStatusChanged, scaledValue } from './status.js';

const NOW = '2026-01-01T00:10:00Z';

function pod(name: string, ready: boolean, extra: Partial<KubeObject['metadata']> = {}, phase = 'Running'): KubeObject {
  return { metadata: { name, ...extra }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } } as KubeObject;
}

function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'p', namespace: 'd', generation: 2 }, spec, status } as KubeObject;
}

describe('PDB status arithmetic', () => {
  it('percentages round up against the number of matching pods; maxUnavailable subtracts', () => {
    assert.equal(scaledValue('50%', 3), 2);
    assert.equal(scaledValue('10%', 10), 1);
    assert.equal(scaledValue(4, 10), 4);
    assert.equal(desiredHealthyOf({ maxUnavailable: 1 }, 3), 2);
    assert.equal(desiredHealthyOf({ maxUnavailable: '34%' }, 3), 1);
    assert.equal(desiredHealthyOf({ minAvailable: '100%' }, 3), 3);
  });

  it('3 ready pods with minAvailable 2 → 1 disruption allowed, SufficientPods', () => {
    const s = calculatePdbStatus(pdb({ minAvailable: 2 }), [pod('a', true), pod('b', true), pod('c', true)], NOW);
    assert.deepEqual([s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed, s.observedGeneration], [3, 3, 2, 1, 2]);
    assert.equal(s.conditions[0].reason, 'SufficientPods');
    assert.equal(s.conditions[0].status, 'True');
  });

  it('unready, terminal and deleting pods are not healthy; an unready pod still counts as expected', () => {
    const pods = [pod('a', true), pod('b', false), pod('c', true, { deletionTimestamp: NOW }), pod('d', false, {}, 'Succeeded')];
    const s = calculatePdbStatus(pdb({ minAvailable: 2 }), pods, NOW);
    assert.deepEqual([s.expectedPods, s.currentHealthy, s.disruptionsAllowed], [2, 1, 0]);
    assert.equal(s.conditions[0].reason, 'InsufficientPods');
  });

  it('a pod the eviction recorded in disruptedPods is not healthy until it is deleted or the entry expires', () => {
    const p = pdb({ minAvailable: 1 }, { disruptedPods: { a: '2026-01-01T00:09:30Z', gone: '2026-01-01T00:09:30Z', old: '2026-01-01T00:01:00Z' } });
    const s = calculatePdbStatus(p, [pod('a', true), pod('b', true), pod('old', true)], NOW);
    assert.deepEqual(s.disruptedPods, { a: '2026-01-01T00:09:30Z' });
    assert.equal(s.currentHealthy, 2);
    assert.equal(s.disruptionsAllowed, 1);
    assert.equal(pdbStatusChanged(p, s), true);
    assert.equal(pdbStatusChanged({ ...p, status: s }, s), false);
  });
});
