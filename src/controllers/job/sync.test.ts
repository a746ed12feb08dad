import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { planJob } from './sync.js';
import { formatIndexes, parseIndexes, pendingIndexes, wantActive, JOB_TRACKING_FINALIZER } from './status.js';

const NOW = Date.parse('2025-01-01T00:10:00Z');

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'ju' }, spec: { parallelism: 1, completions: 1, backoffLimit: 6, ...spec }, status };
}

function pod(uid: string, phase: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid, finalizers: [JOB_TRACKING_FINALIZER], ...extra }, spec: {}, status: { phase } };
}

describe('job status math', () => {
  it('wantActive: suspend, no completions, completions bounded by parallelism', () => {
    assert.equal(wantActive({ parallelism: 3, completions: 5, suspend: true }, 0, 0), 0);
    assert.equal(wantActive({ parallelism: 3, completions: null }, 0, 0), 3);
    assert.equal(wantActive({ parallelism: 3, completions: null }, 1, 2), 2);
    assert.equal(wantActive({ parallelism: 2, completions: 3 }, 0, 0), 2);
    assert.equal(wantActive({ parallelism: 2, completions: 3 }, 2, 0), 1);
    assert.equal(wantActive({ parallelism: 2, completions: 3 }, 4, 0), 0);
  });

  it('completed indexes intervals round-trip', () => {
    assert.equal(formatIndexes(new Set([4, 0, 1, 2, 7, 8])), '0-2,4,7-8');
    assert.deepEqual([...parseIndexes('0-2,4,7-8', 7)].sort(), [0, 1, 2, 4]);
    assert.deepEqual(pendingIndexes(2, 5, new Set([0]), new Set([1])), [2, 3]);
  });
});

describe('planJob', () => {
  it('new job: startTime set and `parallelism` pods wanted', () => {
    const p = planJob({ job: job({ parallelism: 2, completions: 3 }), pods: [], now: NOW, skipUids: new Set() });
    assert.equal(p.create, 2);
    const st = p.finalStatus(2);
    assert.equal(st.startTime, '2025-01-01T00:10:00Z');
    assert.equal(st.active, 2);
    assert.deepEqual(st.uncountedTerminatedPods, {});
  });

  it('a succeeded pod is recorded as uncounted first, then counted once its finalizer is removed', () => {
    const j = job({ parallelism: 2, completions: 3 }, { startTime: '2025-01-01T00:00:00Z' });
    const p = planJob({ job: j, pods: [pod('a', 'Succeeded'), pod('b', 'Running')], now: NOW, skipUids: new Set() });
    assert.equal(p.flushFirst, true);
    assert.deepEqual(p.intermediate.uncountedTerminatedPods, { succeeded: ['a'] });
    assert.deepEqual(p.removeFinalizers.map((x) => x.metadata.uid), ['a']);
    assert.equal(p.create, 1);
    const st = p.finalStatus(1);
    assert.equal(st.succeeded, 1);
    assert.equal(st.active, 2);
    assert.deepEqual(st.uncountedTerminatedPods, {});
    // Already recorded (uncounted) and already released pods are not counted twice.
    const again = planJob({ job: job({ parallelism: 2, completions: 3 }, { succeeded: 1, startTime: '2025-01-01T00:00:00Z' }), pods: [pod('a', 'Succeeded', { finalizers: [] }), pod('b', 'Running')], now: NOW, skipUids: new Set() });
    assert.equal(again.flushFirst, false);
    assert.equal(again.finalStatus(0).succeeded, 1);
  });

  it('completions reached with nothing left running: SuccessCriteriaMet and Complete with completionTime', () => {
    const p = planJob({ job: job({}, { startTime: '2025-01-01T00:00:00Z' }), pods: [pod('a', 'Succeeded')], now: NOW, skipUids: new Set() });
    const st = p.finalStatus(0) as { conditions: Array<{ type: string; reason: string }>; completionTime?: string; succeeded: number };
    assert.deepEqual(st.conditions.map((c) => [c.type, c.reason]), [['SuccessCriteriaMet', 'CompletionsReached'], ['Complete', 'CompletionsReached']]);
    assert.equal(st.completionTime, '2025-01-01T00:10:00Z');
    assert.equal(st.succeeded, 1);
    assert.ok(p.events.some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
  });

  it('failed > backoffLimit: FailureTarget, active pods deleted, Failed only once they are gone', () => {
    const j = job({ parallelism: 2, completions: 4, backoffLimit: 1 }, { failed: 1, startTime: '2025-01-01T00:00:00Z' });
    const p = planJob({ job: j, pods: [pod('x', 'Failed'), pod('r', 'Running')], now: NOW, skipUids: new Set() });
    assert.deepEqual(p.toDelete.map((x) => x.metadata.uid), ['r']);
    assert.equal(p.create, 0);
    const st = p.finalStatus(-1) as { conditions: Array<{ type: string; reason: string; message: string }>; failed: number; terminating: number };
    assert.deepEqual(st.conditions.map((c) => c.type), ['FailureTarget']);
    assert.equal(st.conditions[0]?.message, 'Job has reached the specified backoff limit');
    assert.equal(st.failed, 2);
    assert.equal(st.terminating, 1);
    // Next round: the deleted pod is counted failed and released; then the job is Failed.
    const j2 = job({ parallelism: 2, completions: 4, backoffLimit: 1 }, st);
    const p2 = planJob({ job: j2, pods: [pod('r', 'Failed', { deletionTimestamp: '2025-01-01T00:10:00Z' })], now: NOW, skipUids: new Set() });
    const st2 = p2.finalStatus(0) as { conditions: Array<{ type: string; reason: string }>; failed: number; completionTime?: string };
    assert.equal(st2.failed, 3);
    assert.deepEqual(st2.conditions.map((c) => [c.type, c.reason]), [['FailureTarget', 'BackoffLimitExceeded'], ['Failed', 'BackoffLimitExceeded']]);
    assert.equal(st2.completionTime, undefined);
  });

  it('activeDeadlineSeconds: requeue before the deadline, DeadlineExceeded after', () => {
    const before = planJob({ job: job({ activeDeadlineSeconds: 900 }, { startTime: '2025-01-01T00:00:00Z' }), pods: [pod('r', 'Running')], now: NOW, skipUids: new Set() });
    assert.equal(before.requeueAfterMs, 300_000 + 10);
    const after = planJob({ job: job({ activeDeadlineSeconds: 60 }, { startTime: '2025-01-01T00:00:00Z' }), pods: [pod('r', 'Running')], now: NOW, skipUids: new Set() });
    assert.equal(after.toDelete.length, 1);
    const st = after.finalStatus(-1) as { conditions: Array<{ type: string; reason: string }> };
    assert.deepEqual(st.conditions.map((c) => [c.type, c.reason]), [['FailureTarget', 'DeadlineExceeded']]);
  });

  it('OnFailure: container restarts count against backoffLimit', () => {
    const j = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure' } } }, { startTime: '2025-01-01T00:00:00Z' });
    const running = { ...pod('r', 'Running'), status: { phase: 'Running', containerStatuses: [{ restartCount: 2 }] } };
    const p = planJob({ job: j, pods: [running], now: NOW, skipUids: new Set() });
    assert.deepEqual(p.toDelete.map((x) => x.metadata.uid), ['r']);
  });

  it('Indexed: succeeded indexes go to completedIndexes; pending indexes get pods; duplicates are deleted', () => {
    const ix = (uid: string, phase: string, i: number): KubeObject => pod(uid, phase, { annotations: { 'batch.kubernetes.io/job-completion-index': String(i) } });
    const j = job({ completionMode: 'Indexed', completions: 4, parallelism: 3 }, { startTime: '2025-01-01T00:00:00Z' });
    const p = planJob({ job: j, pods: [ix('a', 'Succeeded', 0), ix('b', 'Running', 1), ix('c', 'Running', 1)], now: NOW, skipUids: new Set() });
    assert.equal(p.intermediate.completedIndexes, '0');
    assert.equal(p.toDelete.length, 1);
    assert.deepEqual(p.createIndexes, [2, 3]);
  });
});

describe('podFailurePolicy', () => {
  const policy = {
    rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ],
  };
  function failedPod(uid: string, exitCode: number, conditions: Array<{ type: string; status: string }> = []): KubeObject {
    return { ...pod(uid, 'Failed'), status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }] } };
  }

  it('FailJob: a matching exit code fails the Job with reason PodFailurePolicy and upstream wording', () => {
    const p = planJob({ job: job({ podFailurePolicy: policy }, { startTime: '2025-01-01T00:00:00Z' }), pods: [failedPod('f', 42)], now: NOW, skipUids: new Set() });
    const st = p.finalStatus(0) as { conditions: Array<{ type: string; reason: string; message: string }>; failed: number };
    assert.deepEqual(st.conditions.map((c) => [c.type, c.reason]), [['FailureTarget', 'PodFailurePolicy'], ['Failed', 'PodFailurePolicy']]);
    assert.equal(st.conditions[1]?.message, 'Container main for pod default/p-f failed with exit code 42 matching FailJob rule at index 0');
    assert.equal(st.failed, 1);
  });

  it('Ignore: the failure is not counted against backoffLimit, the pod is released and replaced', () => {
    const p = planJob({ job: job({ podFailurePolicy: policy, backoffLimit: 0 }, { startTime: '2025-01-01T00:00:00Z' }), pods: [failedPod('d', 1, [{ type: 'DisruptionTarget', status: 'True' }])], now: NOW, skipUids: new Set() });
    assert.deepEqual(p.removeFinalizers.map((x) => x.metadata.uid), ['d']);
    assert.equal(p.create, 1);
    const st = p.finalStatus(1) as { failed?: number; conditions?: unknown[] };
    assert.equal(st.failed, undefined);
    assert.equal(st.conditions, undefined);
  });

  it('no rule matches: counted as usual (backoffLimit 0 → BackoffLimitExceeded)', () => {
    const p = planJob({ job: job({ podFailurePolicy: policy, backoffLimit: 0 }, { startTime: '2025-01-01T00:00:00Z' }), pods: [failedPod('o', 1)], now: NOW, skipUids: new Set() });
    const st = p.finalStatus(0) as { conditions: Array<{ type: string; reason: string }> };
    assert.equal(st.conditions.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
  });
});
