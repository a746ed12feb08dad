import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { ResourceRef } from '../../client/client.js';
import { DependencyGraph } from './graph.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };

function obj(uid: string, owners: string[] = [], o: { deleting?: boolean; finalizers?: string[] } = {}): KubeObject {
  return {
    metadata: {
      uid, name: uid, namespace: 'ns', resourceVersion: '1',
      ownerReferences: owners.map((u) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: u, uid: u, blockOwnerDeletion: true })),
      ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}), finalizers: o.finalizers,
    },
  };
}

describe('garbage collector graph', () => {
  it('tracks dependents and asks to check those whose owner is unknown or deleted', () => {
    const g = new DependencyGraph();
    assert.deepEqual(g.upsert(obj('owner'), CM, 'v1', 'ConfigMap').attemptToDelete, []);
    assert.deepEqual(g.upsert(obj('dep', ['owner']), CM, 'v1', 'ConfigMap').attemptToDelete, [], 'owner observed: nothing to do');
    assert.deepEqual(g.upsert(obj('lost', ['ghost']), CM, 'v1', 'ConfigMap').attemptToDelete, ['lost'], 'owner never observed: verify');
    assert.deepEqual(g.dependentsOf('owner').map((n) => n.uid), ['dep']);
    // A status-only update does no work.
    assert.deepEqual(g.upsert(obj('dep', ['owner']), CM, 'v1', 'ConfigMap'), { attemptToDelete: [], orphan: [] });
    assert.deepEqual(g.remove(obj('owner')).attemptToDelete, ['dep']);
  });

  it('foreground and orphan finalizers on a deleting owner', () => {
    const g = new DependencyGraph();
    g.upsert(obj('owner'), CM, 'v1', 'ConfigMap');
    g.upsert(obj('dep', ['owner']), CM, 'v1', 'ConfigMap');
    const fg = g.upsert(obj('owner', [], { deleting: true, finalizers: ['foregroundDeletion'] }), CM, 'v1', 'ConfigMap');
    assert.deepEqual(fg.attemptToDelete.sort(), ['dep', 'owner']);
    // The dependent going away wakes the owner again (to drop its finalizer).
    assert.deepEqual(g.remove(obj('dep', ['owner'])).attemptToDelete, ['owner']);
    const g2 = new DependencyGraph();
    g2.upsert(obj('o2'), CM, 'v1', 'ConfigMap');
    assert.deepEqual(g2.upsert(obj('o2', [], { deleting: true, finalizers: ['orphan'] }), CM, 'v1', 'ConfigMap').orphan, ['o2']);
  });
});
