/** The lifecycle stages as data: selection and delays over pod shapes, and effects' statuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { applyEffect } from './effects.js';
import { DEFAULT_STAGES, podFacts, restartBackoffMs, selectStage, stageDelayMs } from './stages.js';
import { normalizeImage, parseDurationMs } from './pod-status.js';
import { nodeResources, instanceType } from './instance-types.js';
import { nodeIp, privateDnsName, PodIpAllocator } from './addressing.js';

const NOW = Date.UTC(2025, 0, 1);
const ctx = { now: NOW, hostIP: '192.168.0.16', allocateIp: () => '192.168.16.1', pullAttempts: 0 };

function pod(spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'nginx' }], ...spec }, status: { phase: 'Pending' } };
}

/** Runs the stage machine to quiescence (at most n steps), returning the stage names passed. */
function walk(p: KubeObject, n = 8): { names: string[]; pod: KubeObject } {
  const names: string[] = [];
  let cur = p;
  for (let i = 0; i < n; i++) {
    const s = selectStage(DEFAULT_STAGES, podFacts(cur));
    if (!s) break;
    names.push(s.name);
    const r = applyEffect(s.effect, cur, ctx);
    if (r.delete) break;
    cur = { ...cur, status: r.status };
  }
  return { names, pod: cur };
}

test('a plain pod starts and stays Running and Ready', () => {
  const { names, pod: p } = walk(pod());
  assert.deepEqual(names, ['pod-start']);
  const st = p.status as { phase: string; podIP: string; containerStatuses: Array<{ ready: boolean; image: string }> };
  assert.equal(st.phase, 'Running');
  assert.equal(st.podIP, '192.168.16.1');
  assert.equal(st.containerStatuses[0].ready, true);
  assert.equal(st.containerStatuses[0].image, 'docker.io/library/nginx:latest');
});

test('init containers run first; readiness probes gate Ready after initialDelaySeconds', () => {
  const p = pod({ initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'c', image: 'nginx', readinessProbe: { initialDelaySeconds: 5 } }] });
  const { names, pod: after } = walk(p, 3);
  assert.deepEqual(names, ['pod-init-containers', 'pod-start', 'pod-ready-probe']);
  assert.equal(stageDelayMs(DEFAULT_STAGES.find((s) => s.name === 'pod-ready-probe')!, p), 5000);
  assert.equal((after.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')?.status, 'True');
});

test('fail-after crash-loops with restartCount and back-off', () => {
  const { names, pod: p } = walk(pod({}, { 'keks.dev/fail-after': '10s' }), 4);
  assert.deepEqual(names, ['pod-start', 'container-fail', 'container-restart', 'container-fail']);
  const cs = (p.status as { containerStatuses: Array<{ restartCount: number; state: { waiting?: { reason: string } }; lastState: { terminated?: { exitCode: number } } }> }).containerStatuses[0];
  assert.equal(cs.restartCount, 2);
  assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs.lastState.terminated?.exitCode, 1);
  assert.deepEqual([restartBackoffMs(1), restartBackoffMs(2), restartBackoffMs(10)], [10_000, 20_000, 300_000]);
});

test('memory use above the limit is OOMKilled with exit code 137', () => {
  const p = pod({ restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx', resources: { limits: { memory: '128Mi' } } }] }, { 'keks.dev/memory-usage': '200Mi' });
  const { names, pod: after } = walk(p, 3);
  assert.deepEqual(names, ['pod-start', 'container-oom']);
  const st = after.status as { phase: string; containerStatuses: Array<{ state: { terminated?: { exitCode: number; reason: string } } }> };
  assert.equal(st.phase, 'Failed');
  assert.deepEqual([st.containerStatuses[0].state.terminated?.exitCode, st.containerStatuses[0].state.terminated?.reason], [137, 'OOMKilled']);
});

test('image pull failure: ErrImagePull then ImagePullBackOff, never Running', () => {
  const { names, pod: p } = walk(pod({}, { 'keks.dev/image-pull': 'fail' }), 4);
  assert.deepEqual(names, ['pod-image-pull-fail', 'pod-image-pull-backoff', 'pod-image-pull-retry', 'pod-image-pull-backoff']);
  assert.equal((p.status as { phase: string }).phase, 'Pending');
});

test('Job pods complete; terminating pods are deleted after the grace period unless stopped earlier', () => {
  const { names, pod: p } = walk(pod({ restartPolicy: 'OnFailure' }), 3);
  assert.deepEqual(names, ['pod-start', 'pod-complete']);
  assert.equal((p.status as { phase: string }).phase, 'Succeeded');
  const running = walk(pod()).pod;
  const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: '2025-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } };
  const s = selectStage(DEFAULT_STAGES, podFacts(deleting))!;
  assert.equal(s.name, 'pod-delete-graceful');
  // Containers exit about 1 s after SIGTERM by default; keks.dev/stop-time says otherwise, and
  // the grace period caps it (the kubelet kills what is still running then).
  assert.equal(stageDelayMs(s, deleting), 1000);
  deleting.metadata.annotations = { 'keks.dev/stop-time': '2s' };
  assert.equal(stageDelayMs(s, deleting), 2000);
  deleting.metadata.annotations = { 'keks.dev/stop-time': '5m' };
  assert.equal(stageDelayMs(s, deleting), 30_000);
  assert.equal(applyEffect(s.effect, deleting, ctx).events[0].message, 'Stopping container c');
});

test('helpers: durations, images, instance types, addresses', () => {
  assert.deepEqual(['500ms', '2s', '1.5m', '3'].map(parseDurationMs), [500, 2000, 90_000, 3000]);
  assert.equal(normalizeImage('bitnami/redis:7'), 'docker.io/bitnami/redis:7');
  assert.equal(normalizeImage('public.ecr.aws/eks/coredns'), 'public.ecr.aws/eks/coredns:latest');
  const r = nodeResources(instanceType('t3.medium'));
  assert.equal(r.allocatable.cpu, '1930m');
  assert.equal(nodeResources(instanceType('m5.xlarge')).allocatable.cpu, '3920m');
  assert.equal(privateDnsName('192.168.1.2', 'eu-west-1'), 'ip-192-168-1-2.eu-west-1.compute.internal');
  assert.equal(privateDnsName(nodeIp(0, 0), 'us-east-1'), 'ip-192-168-0-16.ec2.internal');
  const a = new PodIpAllocator();
  const ips = new Set(Array.from({ length: 600 }, () => a.allocate(1)));
  assert.equal(ips.size, 600);
  assert.ok([...ips].every((ip) => ip.startsWith('192.168.') && !ip.endsWith('.0') && !ip.endsWith('.255')));
});

const probeOf = (o: Record<string, unknown> = {}): Record<string, unknown> => ({ httpGet: { path: '/healthz', port: 8080 }, ...o });
const cond = (p: KubeObject, type: string): string | undefined => (p.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.find((c) => c.type === type)?.status;
const cs0 = (p: KubeObject): { ready: boolean; started: boolean; restartCount: number; lastState: { terminated?: { exitCode: number; reason: string } } } =>
  (p.status as { containerStatuses: Array<{ ready: boolean; started: boolean; restartCount: number; lastState: { terminated?: { exitCode: number; reason: string } } }> }).containerStatuses[0];
const delayOf = (name: string, p: KubeObject): number => stageDelayMs(DEFAULT_STAGES.find((s) => s.name === name)!, p);

test('a failing liveness probe: Unhealthy and Killing after initialDelay + (failureThreshold − 1) × period, then a restart', () => {
  const p = pod({ containers: [{ name: 'c', image: 'nginx', livenessProbe: probeOf({ initialDelaySeconds: 5, periodSeconds: 4, failureThreshold: 3 }) }] }, { 'keks.dev/liveness': 'fail' });
  const started = applyEffect('run', p, ctx);
  const running = { ...p, status: started.status };
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(running))?.name, 'container-liveness-fail');
  assert.equal(delayOf('container-liveness-fail', running), 13_000);
  const killed = applyEffect('livenessKill', running, ctx);
  assert.deepEqual(killed.events.slice(0, 2).map((e) => [e.type, e.reason, e.message, e.fieldPath]), [
    ['Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', 'spec.containers{c}'],
    ['Normal', 'Killing', 'Container c failed liveness probe, will be restarted', 'spec.containers{c}'],
  ]);
  const after = { ...p, status: killed.status };
  assert.equal(cs0(after).restartCount, 1);
  assert.deepEqual([cs0(after).lastState.terminated?.exitCode, cs0(after).lastState.terminated?.reason], [137, 'Error']);
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(after))?.name, 'container-restart');
  // Without the annotation the same probe passes: no stage after the start.
  assert.equal(selectStage(DEFAULT_STAGES, podFacts({ ...running, metadata: { ...running.metadata, annotations: {} } })), undefined);
});

test('a failing readiness probe: Running, never Ready, one Unhealthy event and no status change', () => {
  const p = pod({ containers: [{ name: 'c', image: 'nginx', readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 } }] }, { 'keks.dev/readiness': 'fail' });
  const running = { ...p, status: applyEffect('run', p, ctx).status };
  assert.equal(cond(running, 'Ready'), 'False');
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(running))?.name, 'pod-readiness-fail');
  assert.equal(delayOf('pod-readiness-fail', running), 10_000);
  const r = applyEffect('readinessFail', running, ctx);
  assert.equal(r.status, undefined);
  assert.deepEqual(r.events.map((e) => [e.reason, e.message]), [['Unhealthy', 'Readiness probe failed: dial tcp 192.168.16.1:80: connect: connection refused']]);
});

test('a startup probe holds started/ready back; liveness and readiness wait for it; a failing one kills the container', () => {
  const c = { name: 'c', image: 'nginx', startupProbe: probeOf({ initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 4 }), readinessProbe: probeOf({ initialDelaySeconds: 2 }) };
  const p = pod({ containers: [c] });
  const running = { ...p, status: applyEffect('run', p, ctx).status };
  assert.deepEqual([cs0(running).started, cs0(running).ready], [false, false]);
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(running))?.name, 'container-started');
  assert.equal(delayOf('container-started', running), 10_000);
  const up = { ...p, status: applyEffect('started', running, ctx).status };
  assert.deepEqual([cs0(up).started, cs0(up).ready], [true, false]);
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(up))?.name, 'pod-ready-probe');
  assert.equal(delayOf('pod-ready-probe', up), 12_000, 'readiness probing starts after the startup probe');
  const failing = { ...running, metadata: { ...running.metadata, annotations: { 'keks.dev/startup': 'fail' } } };
  assert.equal(selectStage(DEFAULT_STAGES, podFacts(failing))?.name, 'container-startup-fail');
  assert.equal(delayOf('container-startup-fail', failing), 25_000);
  assert.deepEqual(applyEffect('startupKill', failing, ctx).events.slice(0, 2).map((e) => e.message), [
    'Startup probe failed: HTTP probe failed with statuscode: 500', 'Container c failed startup probe, will be restarted']);
});

test('preStop hooks add their run time to the graceful stop, capped by the grace period', () => {
  const deleting = (lifecycle: Record<string, unknown>, grace = 30): KubeObject => ({
    ...pod({ containers: [{ name: 'c', image: 'nginx', lifecycle }] }), metadata: { name: 'p', namespace: 'default', uid: 'u1', deletionTimestamp: '2025-01-01T00:00:30Z', deletionGracePeriodSeconds: grace },
  });
  const stop = (p: KubeObject): number => delayOf('pod-delete-graceful', p);
  assert.equal(stop(deleting({})), 1000);
  assert.equal(stop(deleting({ preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 15'] } } })), 16_000);
  assert.equal(stop(deleting({ preStop: { sleep: { seconds: 5 } } })), 6000);
  assert.equal(stop(deleting({ preStop: { exec: { command: ['sleep', '60'] } } }, 20)), 20_000, 'the grace period bounds preStop + stop');
});
