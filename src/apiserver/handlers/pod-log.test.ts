import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resolveContainer, simulatedLog } from './pod-log.js';

function pod(statuses: unknown[], containers = [{ name: 'c', image: 'nginx:1.27' }]): KubeObject {
  return { metadata: { name: 'web' }, spec: { containers }, status: { containerStatuses: statuses } } as KubeObject;
}

describe('simulated pod logs', () => {
  it('a restarted container: current instance with its restart count, previous instance with its exit', () => {
    const p = pod([{
      name: 'c', restartCount: 1,
      state: { running: { startedAt: '2026-01-01T00:00:10Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:09Z' } },
    }]);
    assert.deepEqual(simulatedLog(p, 'c', false).map((l) => l.text), ['2026-01-01T00:00:10Z keks: container c started (image nginx:1.27), restart 1']);
    assert.deepEqual(simulatedLog(p, 'c', true).map((l) => l.text), [
      '2026-01-01T00:00:00Z keks: container c started (image nginx:1.27)',
      '2026-01-01T00:00:09Z keks: container c terminated with exit code 137 (OOMKilled)',
    ]);
  });

  it('waiting containers and missing previous instances answer the kubelet 400s', () => {
    const waiting = pod([{ name: 'c', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } }, lastState: {} }]);
    assert.throws(() => simulatedLog(waiting, 'c', false), { message: 'container "c" in pod "web" is waiting to start: ImagePullBackOff' });
    assert.throws(() => simulatedLog(pod([]), 'c', false), { message: 'container "c" in pod "web" is waiting to start: ContainerCreating' });
    assert.throws(() => simulatedLog(waiting, 'c', true), { message: 'previous terminated container "c" in pod "web" not found' });
  });

  it('the container must be named when there are several', () => {
    const p = pod([], [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
    assert.throws(() => resolveContainer(p, null), { message: 'a container name must be specified for pod web, choose one of: [a b]' });
    assert.throws(() => resolveContainer(p, 'z'), { message: 'container z is not valid for pod web' });
    assert.equal(resolveContainer(p, 'b'), 'b');
  });
});
