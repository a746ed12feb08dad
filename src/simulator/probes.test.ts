/** Probes and graceful termination as lifecycle stages: timing from the probe fields, failures by annotation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { applyEffect, type KubeletEvent } from './effects.js';
import { DEFAULT_STAGES, podFacts, selectStage, stageDelayMs, referenceTime, type Stage } from './stages.js';
import { gracefulStopMs, preStopMs } from './probes.js';

const T0 = Date.UTC(2025, 0, 1);

function pod(container: Record<string, unknown>, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'nginx', ...container }], ...spec }, status: { phase: 'Pending' } };
}

interface Step { stage: string; at: number; events: KubeletEvent[]; pod: KubeObject }

/**
 * Drives the stage machine as PodLifecycle does with a fake clock: each stage becomes due at
 * (reference time or when first seen) + its delay; the clock jumps there and the effect applies.
 */
function run(p: KubeObject, steps: number, until = Infinity): Step[] {
  const out: Step[] = [];
  let cur = p;
  let now = T0;
  for (let i = 0; i < steps; i++) {
    const s: Stage | undefined = selectStage(DEFAULT_STAGES, podFacts(cur, now));
    if (!s) break;
    const due = Math.max(now, (referenceTime(cur, s.delay.from) ?? now) + stageDelayMs(s, cur));
    if (due > until) break;
    now = due;
    const r = applyEffect(s.effect, cur, { now, hostIP: '192.168.0.16', allocateIp: () => '192.168.16.1', pullAttempts: 0 });
    if (r.delete) { out.push({ stage: s.name, at: now - T0, events: r.events, pod: cur }); break; }
    cur = { ...cur, status: r.status };
    out.push({ stage: s.name, at: now - T0, events: r.events, pod: cur });
  }
  return out;
}

type CS = { ready: boolean; started: boolean; restartCount: number; state: { running?: unknown; waiting?: { reason: string } }; lastState: { terminated?: { exitCode: number; reason: string } } };
const cs = (p: KubeObject): CS => (p.status as { containerStatuses: CS[] }).containerStatuses[0];
const ready = (p: KubeObject): string | undefined => (p.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')?.status;

test('startup probe: not started, not Ready until it passes; then the readiness probe counts', () => {
  const steps = run(pod({ startupProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5, periodSeconds: 2 }, readinessProbe: { initialDelaySeconds: 3 } }), 5);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [['pod-start', 0], ['container-startup-probe', 5000], ['pod-ready-probe', 8000]]);
  assert.deepEqual([cs(steps[0].pod).started, cs(steps[0].pod).ready, ready(steps[0].pod)], [false, false, 'False']);
  assert.deepEqual([cs(steps[1].pod).started, cs(steps[1].pod).ready, ready(steps[1].pod)], [true, false, 'False']);
  assert.equal(ready(steps[2].pod), 'True');
});

test('startup probe failing: killed after initialDelay + failureThreshold × period with Startup probe failed', () => {
  const steps = run(pod({ startupProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1, periodSeconds: 5, failureThreshold: 4 } }, { 'keks.dev/startup': 'fail' }), 3);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [['pod-start', 0], ['container-startup-fail', 21_000], ['container-restart', 31_000]]);
  const killed = steps[1];
  assert.deepEqual(killed.events.slice(0, 2).map((e) => [e.type, e.reason, e.message]), [
    ['Warning', 'Unhealthy', 'Startup probe failed: dial tcp 192.168.16.1:8080: connect: connection refused'],
    ['Normal', 'Killing', 'Container c failed startup probe, will be restarted'],
  ]);
  assert.deepEqual([cs(killed.pod).restartCount, cs(killed.pod).lastState.terminated?.exitCode, cs(killed.pod).lastState.terminated?.reason], [1, 137, 'Error']);
  assert.equal(cs(steps[2].pod).started, false, 'after the restart the startup probe starts over');
});

test('liveness failing: Unhealthy + Killing, restartCount climbs, CrashLoopBackOff back-off between', () => {
  const steps = run(pod({ livenessProbe: { httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 3, periodSeconds: 10, failureThreshold: 3 } }, { 'keks.dev/liveness': 'fail' }), 5);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [
    ['pod-start', 0], ['container-liveness-fail', 33_000], ['container-restart', 43_000], ['container-liveness-fail', 76_000], ['container-restart', 96_000],
  ]);
  assert.deepEqual(steps[1].events.slice(0, 2).map((e) => [e.reason, e.message]), [
    ['Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500'],
    ['Killing', 'Container c failed liveness probe, will be restarted'],
  ]);
  assert.equal(steps[1].events[0].type, 'Warning');
  assert.equal(steps[1].events[0].fieldPath, 'spec.containers{c}');
  assert.equal(cs(steps[3].pod).restartCount, 2);
  assert.equal(cs(steps[3].pod).state.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs(steps[4].pod).state.running !== undefined, true);
});

test('liveness fail-after: healthy until then; a passing liveness probe never kills', () => {
  const steps = run(pod({ livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5, failureThreshold: 2 } }, { 'keks.dev/liveness': 'fail-after=60s' }), 2);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [['pod-start', 0], ['container-liveness-fail', 70_000]]);
  assert.equal(steps[1].events[0].message, 'Liveness probe failed: ');
  assert.deepEqual(run(pod({ livenessProbe: { periodSeconds: 5 } }), 3).map((s) => s.stage), ['pod-start']);
});

test('readiness failing from the start: never Ready, Unhealthy once failureThreshold is reached', () => {
  const steps = run(pod({ readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 2, periodSeconds: 5 } }, { 'keks.dev/readiness': 'fail' }), 3);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [['pod-start', 0], ['pod-readiness-never', 17_000], ['pod-readiness-never', 17_000]]);
  assert.equal(ready(steps[1].pod), 'False');
  assert.deepEqual(steps[1].events.map((e) => [e.type, e.reason, e.message]), [['Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 500']]);
  assert.deepEqual(steps[1].pod.status, steps[2].pod.status, 'repeating it changes nothing (a no-op status write)');
});

test('readiness fail-after: Ready, then Ready=False (containers keep running), and it stays so', () => {
  const steps = run(pod({ readinessProbe: { periodSeconds: 10, failureThreshold: 3 } }, { 'keks.dev/readiness': 'fail-after=20s' }), 4);
  assert.deepEqual(steps.map((s) => [s.stage, s.at]), [['pod-start', 0], ['pod-ready-probe', 0], ['pod-readiness-fail', 50_000]]);
  assert.equal(ready(steps[1].pod), 'True');
  const after = steps[2].pod;
  assert.equal(ready(after), 'False');
  assert.deepEqual([cs(after).ready, cs(after).restartCount, cs(after).state.running !== undefined], [false, 0, true]);
  assert.equal(podFacts(after, T0 + 50_000).readinessProbe, 'failed');
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(after, T0 + 50_000)), undefined, 'no stage makes it Ready again');
});

test('preStop runs inside the grace period before SIGTERM; the kubelet leaves at least 2 s after it', () => {
  const sleepHook = { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } } } };
  assert.equal(preStopMs(pod(sleepHook)), 5000);
  assert.equal(preStopMs(pod({ lifecycle: { preStop: { sleep: { seconds: 7 } } } })), 7000);
  assert.equal(preStopMs(pod({ lifecycle: { preStop: { httpGet: { port: 80 } } } })), 0);
  assert.equal(preStopMs(pod(sleepHook, { 'keks.dev/prestop-time': '12s' })), 12_000);
  assert.equal(preStopMs(pod({}, { 'keks.dev/prestop-time': '12s' })), 0, 'no hook, no preStop time');
  assert.deepEqual([gracefulStopMs(30_000, 5000, 1000), gracefulStopMs(30_000, 0, 60_000), gracefulStopMs(30_000, 40_000, 5000), gracefulStopMs(10_000, 9000, 5000)], [6000, 30_000, 32_000, 11_000]);
  const running = run(pod(sleepHook, { 'keks.dev/stop-time': '3s' }), 1)[0].pod;
  const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: '2025-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } };
  const s = selectStage(DEFAULT_STAGES, podFacts(deleting))!;
  assert.equal(s.name, 'pod-delete-graceful');
  assert.equal(stageDelayMs(s, deleting), 8000);
  const c0 = { now: T0, hostIP: '', allocateIp: () => '', pullAttempts: 0 };
  assert.deepEqual(applyEffect(s.effect, deleting, c0).events.map((e) => e.reason), ['Killing']);
  deleting.metadata.annotations = { ...deleting.metadata.annotations, 'keks.dev/prestop': 'fail' };
  assert.deepEqual(applyEffect(s.effect, deleting, c0).events.map((e) => [e.reason, e.message]), [['Killing', 'Stopping container c'], ['FailedPreStopHook', 'PreStopHook failed']]);
});
