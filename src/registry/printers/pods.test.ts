import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { podPrinter } from './pods.js';

const ctx = { now: new Date('2024-06-01T12:00:00Z') };
const cells = (o: KubeObject) => podPrinter.cells(o, ctx);

function pod(extra: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2024-06-01T10:00:00Z', ...meta },
    ...extra,
  };
}

const twoContainers = { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy:1.30' }], nodeName: 'ip-10-0-1-23.ec2.internal' };
const running = (name: string, extra: Record<string, unknown> = {}) => ({
  name, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2024-06-01T10:00:05Z' } }, ...extra,
});

test('columns are upstream\'s pod columns, wide ones with priority 1', () => {
  assert.deepEqual(podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Status', 'string', '', 0], ['Restarts', 'string', '', 0],
    ['Age', 'string', '', 0], ['IP', 'string', '', 1], ['Node', 'string', '', 1], ['Nominated Node', 'string', '', 1],
    ['Readiness Gates', 'string', '', 1],
  ]);
  assert.match(podPrinter.columns[0].description, /^Name must be unique within a namespace\./);
  assert.equal(podPrinter.columns[5].description, 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.');
});

test('a Running pod with two ready containers', () => {
  const p = pod({
    spec: twoContainers,
    status: {
      phase: 'Running', podIP: '10.0.1.57', podIPs: [{ ip: '10.0.1.57' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [running('app'), running('sidecar')],
    },
  });
  assert.deepEqual(cells(p), ['web-1', '2/2', 'Running', '0', '120m', '10.0.1.57', 'ip-10-0-1-23.ec2.internal', '<none>', '<none>']);
  assert.equal(podPrinter.conditions?.(p), undefined);
});

test('CrashLoopBackOff with restarts and the time since the last one', () => {
  const p = pod({
    spec: twoContainers,
    status: {
      phase: 'Running', podIPs: [{ ip: '10.0.1.58' }],
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-06-01T11:58:00Z' } } },
        running('sidecar', { restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2024-06-01T11:00:00Z' } } }),
      ],
    },
  });
  assert.deepEqual(cells(p).slice(0, 5), ['web-1', '1/2', 'CrashLoopBackOff', '6 (2m ago)', '120m']);
});

test('Terminating while deletion is pending, Unknown for NodeLost, Completed stays for finished pods', () => {
  const base = { spec: twoContainers, status: { phase: 'Running', containerStatuses: [running('app'), running('sidecar')] } };
  assert.equal(cells(pod(base, { deletionTimestamp: '2024-06-01T11:59:30Z' }))[2], 'Terminating');
  const lost = { spec: twoContainers, status: { ...base.status, reason: 'NodeLost' } };
  assert.equal(cells(pod(lost))[2], 'NodeLost');
  assert.equal(cells(pod(lost, { deletionTimestamp: '2024-06-01T11:59:30Z' }))[2], 'Unknown');
  const done = pod({
    spec: { containers: [{ name: 'job', image: 'busybox' }] },
    status: { phase: 'Succeeded', containerStatuses: [{ name: 'job', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  }, { deletionTimestamp: '2024-06-01T11:59:30Z' });
  assert.deepEqual(cells(done).slice(1, 4), ['0/1', 'Completed', '0']);
  assert.deepEqual(podPrinter.conditions?.(done), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
});

test('Completed container with another still running reads Running or NotReady', () => {
  const status = (ready: boolean) => ({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [running('app'), { name: 'sidecar', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
  });
  assert.deepEqual(cells(pod({ spec: twoContainers, status: status(true) })).slice(1, 3), ['1/2', 'Running']);
  assert.deepEqual(cells(pod({ spec: twoContainers, status: status(false) })).slice(1, 3), ['1/2', 'NotReady']);
});

test('init containers: Init:0/1, Init:CrashLoopBackOff, Init:ExitCode, and sidecars counted as containers', () => {
  const spec = { initContainers: [{ name: 'migrate', image: 'migrate:1' }], containers: [{ name: 'app', image: 'app:1' }] };
  const waiting = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] } });
  assert.deepEqual(cells(waiting).slice(1, 4), ['0/1', 'Init:0/1', '0']);
  const crashing = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 2, finishedAt: '2024-06-01T11:59:00Z' } } }] } });
  assert.deepEqual(cells(crashing).slice(1, 4), ['0/1', 'Init:CrashLoopBackOff', '3 (60s ago)']);
  const failed = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] } });
  assert.equal(cells(failed)[2], 'Init:ExitCode:3');
  const sidecarSpec = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'app:1' }] };
  const withSidecar = pod({ spec: sidecarSpec, status: {
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-06-01T11:30:00Z' } } }],
    containerStatuses: [running('app')],
  } });
  assert.deepEqual(cells(withSidecar).slice(1, 4), ['2/2', 'Running', '1 (30m ago)']);
});

test('pending pods: SchedulingGated, no node, podIP fallback, readiness gates', () => {
  const gated = pod({ spec: { containers: [{ name: 'app' }], schedulingGates: [{ name: 'x' }] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
  assert.deepEqual(cells(gated), ['web-1', '0/1', 'SchedulingGated', '0', '120m', '<none>', '<none>', '<none>', '<none>']);
  const gates = pod({
    spec: { containers: [{ name: 'app' }], nodeName: 'n1', readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/x' }, { conditionType: 'other' }] },
    status: { phase: 'Running', podIP: '10.0.0.9', nominatedNodeName: 'n2', conditions: [{ type: 'target-health.elbv2.k8s.aws/x', status: 'True' }], containerStatuses: [running('app')] },
  });
  assert.deepEqual(cells(gates).slice(5), ['10.0.0.9', 'n1', 'n2', '1/2']);
  const ipsOnly = pod({ spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', podIPs: [{ ip: 'fd00::7' }, { ip: '10.0.0.7' }] } });
  assert.equal(cells(ipsOnly)[5], 'fd00::7');
});
