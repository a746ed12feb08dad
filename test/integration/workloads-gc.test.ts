// The garbage collector and the ServiceAccount controller in-process (memory store): background
// cascading deletion, Orphan (ownerReferences removed, `orphan` finalizer), Foreground
// (`foregroundDeletion` finalizer holds the owner until blocking dependents are gone), owners of
// other kinds (a ConfigMap owning ConfigMaps), and a `default` ServiceAccount per namespace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { APPS, eventually, getObj, list, NS, podsOf, rsOf } from './workloads-helpers.js';

function deployment(name: string, replicas: number): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
}

describe('workloads: garbage collector and ServiceAccounts', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  async function deployWithPods(name: string, replicas: number): Promise<{ uid: string; rsName: string; rsUid: string }> {
    const created = await api.post(`${APPS}/deployments`, deployment(name, replicas));
    assert.equal(created.status, 201, created.text);
    const uid = created.json().metadata.uid as string;
    const rs = await eventually(async () => {
      const [r] = await rsOf(api, uid);
      return r && (await podsOf(api, r.metadata.uid)).length === replicas ? r : undefined;
    }, `${name}: RS and pods`);
    return { uid, rsName: rs.metadata.name, rsUid: rs.metadata.uid };
  }

  it('background: deleting a Deployment removes its ReplicaSets and pods', async () => {
    const { rsName, rsUid } = await deployWithPods('bg', 2);
    const del = await api.delete(`${APPS}/deployments/bg`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    assert.equal(del.status, 200, del.text);
    await eventually(async () => (await getObj(api, `${APPS}/replicasets/${rsName}`)) === undefined, 'RS gone');
    await eventually(async () => (await podsOf(api, rsUid)).length === 0, 'pods gone');
  });

  it('orphan: ownerReferences are removed from dependents, then the owner goes', async () => {
    const { rsName, uid } = await deployWithPods('orph', 2);
    const del = await api.delete(`${APPS}/deployments/orph`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    assert.equal(del.status, 200, del.text);
    assert.ok(del.json().metadata.finalizers.includes('orphan'), 'the API server added the orphan finalizer');
    await eventually(async () => (await getObj(api, `${APPS}/deployments/orph`)) === undefined, 'deployment gone');
    const rs = await getObj(api, `${APPS}/replicasets/${rsName}`);
    assert.ok(rs, 'the ReplicaSet stays');
    assert.ok(!rs.metadata.ownerReferences?.some((r) => r.uid === uid), 'its owner reference is gone');
    assert.equal((await podsOf(api, rs.metadata.uid)).length, 2, 'pods stay with their ReplicaSet');
  });

  it('foreground: the owner keeps a foregroundDeletion finalizer until blocking dependents are gone', async () => {
    const { rsName, rsUid } = await deployWithPods('fg', 2);
    const del = await api.delete(`${APPS}/deployments/fg`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    assert.equal(del.status, 200, del.text);
    assert.ok(del.json().metadata.deletionTimestamp);
    assert.deepEqual(del.json().metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => (await getObj(api, `${APPS}/deployments/fg`)) === undefined, 'deployment gone', 15_000);
    assert.equal(await getObj(api, `${APPS}/replicasets/${rsName}`), undefined);
    assert.equal((await podsOf(api, rsUid)).length, 0);
  });

  it('any kind: a ConfigMap owning ConfigMaps; a dependent with a live second owner keeps living', async () => {
    const owner = await api.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const other = await api.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    const ref = (o: { metadata: { name: string; uid: string } }): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid });
    await api.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep1', ownerReferences: [ref(owner.json())] } });
    await api.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep2', ownerReferences: [ref(owner.json()), ref(other.json())] } });
    // A dependent whose owner never existed is collected too.
    await api.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep3', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] } });
    assert.equal((await api.delete(`${NS}/configmaps/owner`)).status, 200);
    await eventually(async () => (await getObj(api, `${NS}/configmaps/dep1`)) === undefined, 'dep1 collected');
    await eventually(async () => (await getObj(api, `${NS}/configmaps/dep3`)) === undefined, 'dep3 collected');
    const dep2 = await eventually(async () => {
      const o = await getObj(api, `${NS}/configmaps/dep2`);
      return o && o.metadata.ownerReferences?.length === 1 ? o : undefined;
    }, 'dep2 loses the dangling reference');
    assert.equal(dep2.metadata.ownerReferences![0]!.uid, other.json().metadata.uid);
  });

  it('every namespace gets a default ServiceAccount, recreated when deleted', async () => {
    assert.equal((await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })).status, 201);
    const sa = await eventually(() => getObj(api, '/api/v1/namespaces/team/serviceaccounts/default'), 'default SA');
    assert.equal((await api.delete('/api/v1/namespaces/team/serviceaccounts/default')).status, 200);
    const again = await eventually(async () => {
      const o = await getObj(api, '/api/v1/namespaces/team/serviceaccounts/default');
      return o && o.metadata.uid !== sa.metadata.uid ? o : undefined;
    }, 'recreated');
    assert.ok(again);
    assert.ok((await list(api, '/api/v1/namespaces/default/serviceaccounts')).some((s) => s.metadata.name === 'default'));
  });
});
