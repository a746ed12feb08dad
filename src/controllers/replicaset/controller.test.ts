import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { ApiClient } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { FakeTransport } from '../util/fake-transport.js';
import { ReplicaSetController } from './controller.js';

const RS: KubeObject = {
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 1, resourceVersion: '1' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
};
const OWNED: KubeObject = {
  metadata: { name: 'web-aaaaa', namespace: 'ns', uid: 'p1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] },
  spec: {}, status: { phase: 'Pending' },
};

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('ReplicaSetController (fake API)', () => {
  it('creates the missing pods once; expectations hold a second sync back until they are observed', async () => {
    const t = new FakeTransport({ '/apis/apps/v1/replicasets': [RS], '/api/v1/pods': [OWNED] });
    const ctl = new ReplicaSetController({ client: new ApiClient(t), clock: new FakeClock() });
    ctl.start();
    await settle();
    const creates = t.writes.filter((w) => w.method === 'POST' && w.path === '/api/v1/namespaces/ns/pods');
    assert.equal(creates.length, 2);
    const pod = creates[0]!.body!;
    assert.equal(pod.metadata.generateName, 'web-');
    assert.deepEqual(pod.metadata.labels, { app: 'web' });
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    const status = t.writes.find((w) => w.method === 'PUT' && w.path.endsWith('/replicasets/web/status'));
    assert.deepEqual(status?.body?.status, { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 }, 'counted before this sync creates pods, as upstream');
    // Another sync before the informer saw the new pods must not create more.
    await ctl.sync('ns/web');
    assert.equal(t.writes.filter((w) => w.method === 'POST' && w.path.endsWith('/pods')).length, 2);
    // Once observed (and one of them deleted), the next sync replaces exactly one.
    const seen = creates.map((c, i) => ({ ...c.body!, metadata: { ...c.body!.metadata, name: `web-new${i}`, uid: `n${i}`, namespace: 'ns' } }));
    for (const p of seen) t.emit('/api/v1/pods', 'ADDED', p);
    t.emit('/api/v1/pods', 'DELETED', seen[0]!);
    await settle();
    assert.equal(t.writes.filter((w) => w.method === 'POST' && w.path.endsWith('/pods')).length, 3);
    await ctl.stop();
  });

  it('stop() returns even when the informers never synced', async () => {
    const ctl = new ReplicaSetController({ client: new ApiClient(new FakeTransport({}, true)), clock: new FakeClock() });
    ctl.start();
    await ctl.stop();
  });
});
