import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { Eligibility } from './eligibility.js';
import { computeDsStatus, planNodes, planRollingUpdate, scaledValue, type NodePlanInput } from './plan.js';

const RUN: Eligibility = { shouldRun: true, shouldContinueRunning: true };
const now = Date.parse('2025-01-02T00:00:00Z');

function pod(name: string, node: string, hash: string, o: { ready?: boolean; phase?: string; created?: string } = {}): KubeObject {
  return {
    metadata: { name, uid: name, creationTimestamp: o.created ?? '2025-01-01T00:00:00Z', labels: { 'controller-revision-hash': hash } },
    spec: { nodeName: node },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
  };
}

function input(nodes: Record<string, Eligibility>, pods: KubeObject[], surging = false): NodePlanInput {
  const podsByNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const n = (p.spec as { nodeName: string }).nodeName;
    podsByNode.set(n, [...(podsByNode.get(n) ?? []), p]);
  }
  return { nodes: new Map(Object.entries(nodes)), podsByNode, hash: 'new', generation: 2, minReadySeconds: 0, now, surging };
}
const names = (ps: KubeObject[]): string[] => ps.map((p) => p.metadata.name as string).sort();

describe('DaemonSet node plan', () => {
  it('creates on eligible nodes without a pod, deletes where it may not continue, failed and duplicate pods, and pods of gone nodes', () => {
    const plan = planNodes(input(
      { a: RUN, b: RUN, c: { shouldRun: false, shouldContinueRunning: false }, d: { shouldRun: false, shouldContinueRunning: true }, e: RUN },
      [pod('pb', 'b', 'new'), pod('pc', 'c', 'new'), pod('pd', 'd', 'new'), pod('pe1', 'e', 'new', { phase: 'Failed' }), pod('pe2', 'e', 'new'),
        pod('pe3', 'e', 'new', { created: '2025-01-01T01:00:00Z' }), pod('gone', 'z', 'new')],
    ));
    assert.deepEqual(plan.createOn, ['a']);
    assert.deepEqual(names(plan.deletes), ['gone', 'pc', 'pe1', 'pe3']);
    assert.deepEqual(plan.failed.map((f) => f.node), ['e']);
  });

  it('waits for a terminating pod to go before creating its replacement', () => {
    const i = input({ a: RUN, b: RUN }, []);
    i.terminatingOn = new Set(['a']);
    assert.deepEqual(planNodes(i).createOn, ['b']);
  });

  it('RollingUpdate with maxUnavailable 1 deletes one available old pod, unavailable old pods freely', () => {
    const nodes = { a: RUN, b: RUN, c: RUN };
    const ru = (pods: KubeObject[], mu: number | string = 1) => planRollingUpdate({ ...input(nodes, pods), maxSurge: 0, maxUnavailable: mu });
    assert.deepEqual(names(ru([pod('a1', 'a', 'old'), pod('b1', 'b', 'old'), pod('c1', 'c', 'old')]).deletes), ['a1']);
    assert.deepEqual(names(ru([pod('a1', 'a', 'old'), pod('b1', 'b', 'old', { ready: false }), pod('c1', 'c', 'old')]).deletes), ['a1', 'b1']);
    assert.deepEqual(ru([pod('a2', 'a', 'new', { ready: false }), pod('b1', 'b', 'old'), pod('c1', 'c', 'old')]).deletes, [], 'budget used by the unready new pod');
    assert.deepEqual(ru([pod('b1', 'b', 'old'), pod('c1', 'c', 'old')]).deletes, [], 'a node still waiting for its pod counts as unavailable');
    assert.equal(ru([pod('a1', 'a', 'old'), pod('b1', 'b', 'old'), pod('c1', 'c', 'old')], '100%').deletes.length, 3);
  });

  it('RollingUpdate with maxSurge creates beside the old pod, then deletes the old one once the new is available', () => {
    const nodes = { a: RUN, b: RUN };
    const ru = (pods: KubeObject[]) => planRollingUpdate({ ...input(nodes, pods, true), maxSurge: 1, maxUnavailable: 0 });
    assert.deepEqual(ru([pod('a1', 'a', 'old'), pod('b1', 'b', 'old')]), { deletes: [], createOn: ['a'] });
    assert.deepEqual(ru([pod('a1', 'a', 'old'), pod('a2', 'a', 'new', { ready: false }), pod('b1', 'b', 'old')]), { deletes: [], createOn: [] });
    const r = ru([pod('a1', 'a', 'old'), pod('a2', 'a', 'new'), pod('b1', 'b', 'old')]);
    assert.deepEqual(names(r.deletes), ['a1']);
    assert.deepEqual(r.createOn, ['b']);
  });

  it('status counts each node\'s oldest pod; misscheduled pods on ineligible nodes', () => {
    const st = computeDsStatus(input(
      { a: RUN, b: RUN, c: RUN, d: { shouldRun: false, shouldContinueRunning: true } },
      [pod('a1', 'a', 'new'), pod('b1', 'b', 'old', { ready: false }), pod('d1', 'd', 'old')],
    ));
    assert.deepEqual(st, { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1, numberAvailable: 1, numberUnavailable: 2, updatedNumberScheduled: 1, observedGeneration: 2 });
  });

  it('scales int-or-percent values', () => {
    assert.equal(scaledValue('25%', 10, true, 0), 3);
    assert.equal(scaledValue('25%', 10, false, 0), 2);
    assert.equal(scaledValue(4, 10, false, 0), 4);
    assert.equal(scaledValue(undefined, 10, false, 1), 1);
  });
});
