import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { SliceEndpoint, SlicePort } from './endpoint.js';
import { planSlices } from './reconcile.js';

const P: SlicePort[] = [{ name: '', protocol: 'TCP', port: 8080 }];
const ep = (i: number, ready = true): SliceEndpoint => ({ addresses: [`10.0.0.${i}`], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` } });
const slice = (name: string, eps: SliceEndpoint[], ports: SlicePort[] = P, owner = 'svc-uid'): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 's', uid: owner, controller: true }] }, endpoints: eps, ports,
});

test('new endpoints fill slices of at most 100; nothing to publish leaves one placeholder', () => {
  const p = planSlices([{ ports: P, endpoints: Array.from({ length: 250 }, (_, i) => ep(i)) }], [], 'svc-uid');
  assert.deepEqual(p.create.map((c) => c.endpoints.length), [100, 100, 50]);
  const empty = planSlices([], [], 'svc-uid');
  assert.deepEqual(empty.create, [{ ports: [], endpoints: [] }]);
  const kept = planSlices([], [slice('s-1', [])], 'svc-uid');
  assert.equal(kept.keep.length, 1);
  assert.equal(kept.create.length, 0);
});

test('an existing slice is updated in place: changed conditions, removed endpoints, new ones added to it', () => {
  const p = planSlices([{ ports: P, endpoints: [ep(1, false), ep(3)] }], [slice('s-1', [ep(1), ep(2)])], 'svc-uid');
  assert.equal(p.update.length, 1);
  assert.deepEqual(p.update[0].endpoints.map((e) => [e.targetRef?.name, e.conditions.ready]), [['p1', false], ['p3', true]]);
  assert.equal(p.create.length + p.delete.length, 0);
});

test('unchanged slices are left alone; slices of another port list, empty or foreign ones go', () => {
  const other: SlicePort[] = [{ name: '', protocol: 'TCP', port: 9090 }];
  const p = planSlices([{ ports: P, endpoints: [ep(1)] }], [slice('same', [ep(1)]), slice('old-ports', [ep(5)], other), slice('foreign', [ep(1)], P, 'old-uid'), slice('placeholder', [])], 'svc-uid');
  assert.deepEqual(p.keep.map((s) => s.metadata.name), ['same']);
  assert.deepEqual(p.delete.map((s) => s.metadata.name).sort(), ['foreign', 'old-ports', 'placeholder']);
  assert.equal(p.update.length + p.create.length, 0);
});
