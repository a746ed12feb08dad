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
