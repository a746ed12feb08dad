import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { formatMicroTime, formatTime } from '../../apimachinery/time.js';
import { ApiClient } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { FakeTransport } from '../util/fake-transport.js';
import { NodeLifecycleController } from './controller.js';

const T0 = Date.UTC(2025, 0, 1);
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

function node(ready: string, taints?: unknown[]): KubeObject {
  return {
    metadata: { name: 'n1', uid: 'u1', resourceVersion: '5', creationTimestamp: formatTime(T0) },
    spec: taints ? { taints } : {},
    status: { conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: formatTime(T0), lastTransitionTime: formatTime(T0), reason: 'KubeletReady', message: 'ok' }] },
  };
}
const pod = (name: string, tolerations: unknown[]): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { nodeName: 'n1', tolerations }, status: { phase: 'Running' },
});

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
}

describe('NodeLifecycleController (fake API)', () => {
  it('marks a node whose lease expired Unknown, taints it unreachable and raises NodeNotReady', async () => {
    const clock = new FakeClock(T0);
    const t = new FakeTransport({ '/api/v1/nodes': [node('True')], [LEASES]: [{ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: formatMicroTime(T0) } }], '/api/v1/pods': [] });
    const ctl = new NodeLifecycleController({ client: new ApiClient(t), clock, gracePeriodMs: 40_000 });
    ctl.start();
    await settle();
    assert.equal(t.writes.length, 0, 'healthy: no writes');
    clock.step(45_000);
    await settle();
    const status = t.writes.find((w) => w.path === '/api/v1/nodes/n1/status');
    const conds = (status?.body as { status: { conditions: Array<{ type: string; status: string; reason: string }> } } | undefined)?.status.conditions;
    assert.deepEqual(conds?.map((c) => [c.type, c.status, c.reason]), [
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'], ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'], ['Ready', 'Unknown', 'NodeStatusUnknown'],
    ]);
    // (The fake API echoes the patch, so the taint write comes with the watch event of the new status.)
    t.emit('/api/v1/nodes', 'MODIFIED', { ...node('True'), metadata: { ...node('True').metadata, resourceVersion: '6' }, status: { conditions: conds } });
    await settle();
    const update = t.writes.find((w) => w.method === 'PUT' && w.path === '/api/v1/nodes/n1');
    assert.deepEqual((update?.body?.spec as { taints: Array<{ key: string; effect: string }> }).taints.map((x) => `${x.key}:${x.effect}`),
      ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const ev = t.writes.find((w) => w.method === 'POST' && w.path.endsWith('/events'));
    assert.equal((ev?.body as { reason?: string } | undefined)?.reason, 'NodeNotReady');
    await ctl.stop();
  });

  it('gives every node a full grace period from its own start, however old the lease (restart after downtime)', async () => {
    const clock = new FakeClock(T0 + 3_600_000);
    const t = new FakeTransport({ '/api/v1/nodes': [node('True')], [LEASES]: [{ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: formatMicroTime(T0) } }], '/api/v1/pods': [] });
    const ctl = new NodeLifecycleController({ client: new ApiClient(t), clock, gracePeriodMs: 40_000 });
    ctl.start();
    await settle();
    clock.step(35_000);
    await settle();
    assert.equal(t.writes.length, 0);
    // A renewal seen in time keeps it Ready past the first deadline.
    t.emit(LEASES, 'MODIFIED', { metadata: { name: 'n1', namespace: 'kube-node-lease', resourceVersion: '7' }, spec: { renewTime: formatMicroTime(T0 + 3_635_000) } });
    await settle();
    clock.step(30_000);
    await settle();
    assert.equal(t.writes.length, 0);
    clock.step(15_000);
    await settle();
    assert.ok(t.writes.some((w) => w.path === '/api/v1/nodes/n1/status'));
    await ctl.stop();
  });

  it('evicts intolerant pods at once and tolerating ones after tolerationSeconds from timeAdded', async () => {
    const clock = new FakeClock(T0 + 100_000);
    const taints = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: formatTime(T0 + 100_000) }];
    const n = node('False', taints);
    const t = new FakeTransport({
      '/api/v1/nodes': [n], [LEASES]: [{ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: formatMicroTime(T0 + 100_000) } }],
      '/api/v1/pods': [
        pod('plain', []),
        pod('five', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]),
        pod('forever', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]),
      ],
    });
    const ctl = new NodeLifecycleController({ client: new ApiClient(t), clock, gracePeriodMs: 1_000_000 });
    ctl.start();
    await settle();
    const deleted = (): string[] => t.writes.filter((w) => w.method === 'DELETE').map((w) => w.path.split('/').pop() as string);
    assert.deepEqual(deleted(), ['plain']);
    clock.step(4_000);
    await settle();
    assert.deepEqual(deleted(), ['plain']);
    clock.step(1_000);
    await settle();
    assert.deepEqual(deleted(), ['plain', 'five']);
    const ev = t.writes.filter((w) => w.path.endsWith('/events')).map((w) => (w.body as { reason?: string; message?: string }));
    assert.ok(ev.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/five'));
    // The node comes back Ready: taints go and nothing more is evicted.
    t.emit('/api/v1/nodes', 'MODIFIED', { ...node('True', taints), metadata: { ...n.metadata, resourceVersion: '9' } });
    await settle();
    const update = t.writes.filter((w) => w.method === 'PUT' && w.path === '/api/v1/nodes/n1').pop();
    assert.deepEqual((update?.body?.spec as { taints: unknown[] }).taints, []);
    clock.step(60_000);
    await settle();
    assert.deepEqual(deleted(), ['plain', 'five']);
    await ctl.stop();
  });
});
