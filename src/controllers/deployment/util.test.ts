import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  equalIgnoreHash, findNewReplicaSet, isSaturated, maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, scaledValue,
  setNewReplicaSetAnnotations, MAX_REPLICAS, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
} from './util.js';

function dep(replicas: number, surge?: number | string, unavail?: number | string, type = 'RollingUpdate', annotations?: Record<string, string>): KubeObject {
  return {
    metadata: { name: 'web', annotations },
    spec: { replicas, strategy: { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavail } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}
function rs(name: string, replicas: number, o: { annotations?: Record<string, string>; available?: number; created?: string; template?: unknown } = {}): KubeObject {
  return {
    metadata: { name, annotations: o.annotations, creationTimestamp: o.created ?? '2025-01-01T00:00:00Z' },
    spec: { replicas, template: o.template ?? { metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    status: { replicas, availableReplicas: o.available ?? 0 },
  };
}

describe('deployment util', () => {
  it('percentages: surge rounds up, unavailable rounds down; both zero → unavailable 1', () => {
    assert.equal(scaledValue('25%', 10, true), 3);
    assert.equal(scaledValue('25%', 10, false), 2);
    assert.equal(scaledValue(4, 10, false), 4);
    assert.throws(() => scaledValue('abc', 10, true), /invalid value "abc"/);
    assert.deepEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
    assert.deepEqual(resolveFenceposts(0, '10%', 5), [0, 1]);
    assert.equal(maxSurge(dep(3)), 1, 'default 25% of 3 rounds up to 1');
    assert.equal(maxUnavailable(dep(3)), 0, 'default 25% of 3 rounds down to 0');
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2, 'capped at replicas');
    assert.equal(maxUnavailable(dep(4, 1, 1, 'Recreate')), 0);
    assert.equal(maxSurge(dep(4, 1, 1, 'Recreate')), 0);
  });

  it('the new ReplicaSet is the oldest whose template matches ignoring the hash label', () => {
    const d = dep(3);
    const a = rs('web-a', 0, { created: '2025-01-02T00:00:00Z' });
    const b = rs('web-b', 0, { created: '2025-01-01T00:00:00Z' });
    const other = rs('web-c', 0, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } });
    assert.equal(findNewReplicaSet(d, [a, other, b])?.metadata.name, 'web-b');
    assert.equal(equalIgnoreHash((d.spec as { template: unknown }).template, (other.spec as { template: unknown }).template), false);
  });

  it('NewRSNewReplicas: up to replicas+maxSurge in total, never above replicas', () => {
    const d = dep(10, 2, 2);
    const old = rs('old', 10);
    const fresh = rs('new', 0);
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 2);
    assert.equal(newRSNewReplicas(d, [rs('old', 3), rs('new', 8)], rs('new', 8)), 9, 'bounded by 12 total');
    assert.equal(newRSNewReplicas(dep(10, 2, 2, 'Recreate'), [old, fresh], fresh), 10);
  });

  it('annotations: revision raised, history kept on rollback, replicas annotations on creation', () => {
    const d = dep(3, 1, 0, 'RollingUpdate', { 'kubernetes.io/change-cause': 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    const fresh = rs('new', 0);
    assert.equal(setNewReplicaSetAnnotations(d, fresh, 1, false), true);
    assert.equal(fresh.metadata.annotations?.[REVISION], '1');
    assert.equal(fresh.metadata.annotations?.[DESIRED_REPLICAS], '3');
    assert.equal(fresh.metadata.annotations?.[MAX_REPLICAS], '4');
    assert.equal(fresh.metadata.annotations?.['kubernetes.io/change-cause'], 'x');
    assert.equal(fresh.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
    assert.equal(fresh.metadata.annotations?.[REVISION_HISTORY], undefined);
    const back = rs('old', 0, { annotations: { [REVISION]: '1' } });
    setNewReplicaSetAnnotations(d, back, 3, true);
    assert.equal(back.metadata.annotations?.[REVISION], '3');
    assert.equal(back.metadata.annotations?.[REVISION_HISTORY], '1');
    setNewReplicaSetAnnotations(d, back, 5, true);
    assert.equal(back.metadata.annotations?.[REVISION_HISTORY], '1,3');
    assert.equal(setNewReplicaSetAnnotations(d, back, 4, true), false, 'never lowered');
  });

  it('saturation needs replicas, the desired annotation and availability', () => {
    const d = dep(3);
    assert.equal(isSaturated(d, rs('n', 3, { annotations: { [DESIRED_REPLICAS]: '3' }, available: 3 })), true);
    assert.equal(isSaturated(d, rs('n', 3, { annotations: { [DESIRED_REPLICAS]: '3' }, available: 2 })), false);
    assert.equal(isSaturated(d, rs('n', 3, { available: 3 })), false);
  });

  it('proportional scaling follows the max-replicas annotation (GetProportion)', () => {
    // Deployment 10 (+3 surge = 13) resized to 20 (+5 surge = 25) while two RSs have 8 and 5.
    const d = dep(20, '25%', '25%');
    const big = rs('big', 8, { annotations: { [MAX_REPLICAS]: '13' } });
    const small = rs('small', 5, { annotations: { [MAX_REPLICAS]: '13' } });
    const toAdd = 25 - 13;
    const p1 = proportion(big, d, toAdd, 0, 13);
    assert.equal(p1, Math.round((8 * 25) / 13) - 8); // 15 - 8 = 7
    const p2 = proportion(small, d, toAdd, p1, 13);
    assert.equal(p2, Math.min(Math.round((5 * 25) / 13) - 5, toAdd - p1)); // min(5, 5)
    assert.equal(proportion(small, dep(0), -13, 0, 13), -5, 'to zero: the whole size');
  });
});
