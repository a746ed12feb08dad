import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { addDaemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNode, tolerates, type PodSpecShape } from './eligibility.js';

function node(name: string, labels: Record<string, string> = {}, taints: unknown[] = []): KubeObject {
  return { metadata: { name, labels }, spec: { taints } };
}

describe('DaemonSet node eligibility', () => {
  it('nodeSelector and required node affinity (labels and metadata.name fields)', () => {
    const sel: PodSpecShape = { nodeSelector: { role: 'edge' } };
    assert.deepEqual(nodeShouldRunDaemonPod(sel, node('a', { role: 'edge' })), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(sel, node('b', { role: 'core' })), { shouldRun: false, shouldContinueRunning: false });
    const aff: PodSpecShape = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] },
    ] } } } };
    assert.equal(nodeShouldRunDaemonPod(aff, node('a', { zone: 'x' })).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(aff, node('special')).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(aff, node('other', { zone: 'y' })).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod({ nodeName: 'a' }, node('b')).shouldRun, false);
  });

  it('taints: NoSchedule stops new pods only, NoExecute also existing ones; tolerations and the daemon defaults', () => {
    const noSchedule = node('a', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    assert.deepEqual(nodeShouldRunDaemonPod({}, noSchedule), { shouldRun: false, shouldContinueRunning: true });
    const noExecute = node('a', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
    assert.deepEqual(nodeShouldRunDaemonPod({}, noExecute), { shouldRun: false, shouldContinueRunning: false });
    const tol: PodSpecShape = { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] };
    assert.deepEqual(nodeShouldRunDaemonPod(tol, noExecute), { shouldRun: true, shouldContinueRunning: true });
    // Cordoned and not-ready nodes still run daemons (the standard daemon tolerations).
    const cordoned = node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]);
    assert.equal(nodeShouldRunDaemonPod({}, cordoned).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod({}, node('a', {}, [{ key: 'x', effect: 'PreferNoSchedule' }])).shouldRun, true);
  });

  it('toleration matching as v1.Toleration.ToleratesTaint', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    assert.ok(tolerates({ operator: 'Exists' }, taint));
    assert.ok(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint));
    assert.ok(!tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint));
    assert.ok(tolerates({ key: 'k', value: 'v' }, taint));
    assert.ok(!tolerates({ key: 'k', value: 'w' }, taint));
  });

  it('pins a pod with metadata.name affinity, adds tolerations once, and finds the target node', () => {
    const spec: PodSpecShape = { hostNetwork: true, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] };
    addDaemonTolerations(spec);
    assert.equal(spec.tolerations!.length, 7);
    assert.equal(spec.tolerations!.filter((t) => t.key === 'node.kubernetes.io/not-ready').length, 1);
    assert.ok(spec.tolerations!.some((t) => t.key === 'node.kubernetes.io/network-unavailable'));
    pinToNode(spec, 'n1');
    assert.equal(targetNode({ metadata: {}, spec }), 'n1');
    assert.equal(targetNode({ metadata: {}, spec: { ...spec, nodeName: 'n2' } }), 'n2');
  });
});
