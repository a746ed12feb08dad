import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { evictionDecision, tolerates } from './tolerations.js';

const UNREACHABLE = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
const pod = (tolerations?: unknown[]): KubeObject => ({ metadata: { name: 'p', namespace: 'default' }, spec: tolerations ? { tolerations } : {} });

describe('tolerates', () => {
  it('follows ToleratesTaint: empty effect/key wildcards, Exists vs Equal', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoExecute' };
    assert.equal(tolerates({ key: 'k', operator: 'Exists' }, taint), true);
    assert.equal(tolerates({ key: 'k', value: 'v' }, taint), true);
    assert.equal(tolerates({ key: 'k', operator: 'Equal', value: 'w' }, taint), false);
    assert.equal(tolerates({ operator: 'Exists' }, taint), true);
    assert.equal(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint), false);
  });
});

describe('evictionDecision', () => {
  it('keeps pods on nodes without NoExecute taints', () => {
    assert.deepEqual(evictionDecision(pod(), [{ key: 'x', effect: 'NoSchedule' }]), { kind: 'keep' });
  });
  it('evicts an intolerant pod at once', () => {
    assert.deepEqual(evictionDecision(pod(), UNREACHABLE), { kind: 'now' });
  });
  it('waits the smallest tolerationSeconds; forever without seconds', () => {
    assert.deepEqual(evictionDecision(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]), UNREACHABLE), { kind: 'after', ms: 5000 });
    assert.deepEqual(evictionDecision(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]), UNREACHABLE), { kind: 'keep' });
    assert.deepEqual(evictionDecision(pod([{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -3 }]), UNREACHABLE), { kind: 'after', ms: 0 });
  });
});
