import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { AdmissionAttributes } from './types.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';

function attrs(pod: KubeObject, subresource = ''): AdmissionAttributes {
  return {
    operation: 'CREATE', group: '', version: 'v1', resource: 'pods', subresource, kind: 'Pod', namespace: 'default', name: 'p',
    object: pod, oldObject: null, user: { username: 'u', groups: [] }, dryRun: false,
  };
}

test('adds 300 s not-ready and unreachable tolerations to a pod without them', () => {
  const a = attrs({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } });
  void defaultTolerationSeconds().mutate?.(a);
  assert.deepEqual((a.object?.spec as { tolerations: unknown[] }).tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('keeps a pod-specified toleration and only adds the missing one', () => {
  const mine = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  const a = attrs({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { tolerations: [mine] } });
  void defaultTolerationSeconds().mutate?.(a);
  const ts = (a.object?.spec as { tolerations: Array<{ key: string }> }).tolerations;
  assert.deepEqual(ts.map((t) => t.key), ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);
  assert.deepEqual(ts[0], mine);
});

test('a wildcard toleration (no key, no effect) covers both; subresources are left alone', () => {
  const a = attrs({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { tolerations: [{ operator: 'Exists' }] } });
  void defaultTolerationSeconds().mutate?.(a);
  assert.equal((a.object?.spec as { tolerations: unknown[] }).tolerations.length, 1);
  const b = attrs({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} }, 'status');
  void defaultTolerationSeconds().mutate?.(b);
  assert.equal((b.object?.spec as { tolerations?: unknown[] }).tolerations, undefined);
});
