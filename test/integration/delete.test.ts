// DELETE semantics over HTTPS (in-process, memory store): finalizers keep an object with a
// deletionTimestamp until the last one is removed (then a DELETED event), delete preconditions
// (uid, resourceVersion) answer 409, and deletecollection honours a label selector.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSONPATCH = 'application/json-patch+json';

describe('delete: finalizers, preconditions, deletecollection', () => {
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

  it('finalizers keep the object with a deletionTimestamp until removed; then it is DELETED', async () => {
    const created = await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['example.com/a', 'example.com/b'] }, data: { k: 'v' } });
    assert.equal(created.status, 201, created.text);
    const rv0 = created.json().metadata.resourceVersion;
    const w = api.watch(`${CM}?watch=true&resourceVersion=${rv0}&fieldSelector=metadata.name%3Dfin`);
    try {
      const del = await api.delete(`${CM}/fin`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
      assert.equal(del.status, 200, del.text);
      const marked = del.json();
      assert.equal(marked.kind, 'ConfigMap', 'a marked object is returned, not a Status');
      assert.ok(marked.metadata.deletionTimestamp);
      assert.equal(marked.metadata.deletionGracePeriodSeconds, 0);
      const got = await api.get(`${CM}/fin`);
      assert.equal(got.status, 200);
      assert.equal(got.json().metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
      await w.waitEvents(1);
      assert.equal(w.events[0].type, 'MODIFIED');
      assert.ok(w.events[0].object.metadata.deletionTimestamp);

      // Deleting again changes nothing; data updates are still allowed, new finalizers are not.
      const again = await api.delete(`${CM}/fin`);
      assert.equal(again.status, 200);
      assert.equal(again.json().metadata.resourceVersion, marked.metadata.resourceVersion);
      const upd = await api.patch(`${CM}/fin`, [{ op: 'replace', path: '/data/k', value: 'v2' }], JSONPATCH);
      assert.equal(upd.status, 200, upd.text);
      const addFin = await api.patch(`${CM}/fin`, [{ op: 'add', path: '/metadata/finalizers/-', value: 'example.com/c' }], JSONPATCH);
      assert.equal(addFin.status, 422, addFin.text);
      assert.match(addFin.json().message, /metadata\.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \[\]string\{"example\.com\/c"\}/);

      const one = await api.patch(`${CM}/fin`, [{ op: 'remove', path: '/metadata/finalizers/0' }], JSONPATCH);
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.json().metadata.finalizers, ['example.com/b']);
      assert.equal((await api.get(`${CM}/fin`)).status, 200, 'one finalizer left: still there');

      const last = await api.patch(`${CM}/fin`, [{ op: 'remove', path: '/metadata/finalizers' }], JSONPATCH);
      assert.equal(last.status, 200, last.text);
      assert.equal((await api.get(`${CM}/fin`)).status, 404, 'gone once the last finalizer is removed');
      await w.until((s) => s.events.some((e) => e.type === 'DELETED'), 'DELETED event');
      const types = w.events.map((e) => e.type);
      assert.deepEqual(types, ['MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
      const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b), 'events in resourceVersion order');
      assert.equal(w.events.at(-1)?.object.metadata.name, 'fin');
    } finally {
      w.stop();
    }
  });

  it('delete preconditions: a wrong uid or resourceVersion is a 409 and deletes nothing', async () => {
    const c = (await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } })).json();
    const { uid, resourceVersion } = c.metadata;
    const wrongUid = await api.delete(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    assert.equal(wrongUid.status, 409, wrongUid.text);
    assert.equal(wrongUid.json().reason, 'Conflict');
    assert.equal(wrongUid.json().message, `Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${uid}`);
    const wrongRv = await api.delete(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    assert.equal(wrongRv.status, 409, wrongRv.text);
    assert.equal(wrongRv.json().message, `Operation cannot be fulfilled on configmaps "pre": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${resourceVersion}`);
    assert.equal((await api.get(`${CM}/pre`)).status, 200);
    const ok = await api.delete(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid, resourceVersion } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'pre', kind: 'configmaps', uid } });
    assert.equal((await api.get(`${CM}/pre`)).status, 404);
  });

  it('invalid DeleteOptions are refused', async () => {
    await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opts' } });
    const bad = await api.delete(`${CM}/opts`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Sideways' });
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json().message, /propagationPolicy: Unsupported value: "Sideways": supported values: "Orphan", "Background", "Foreground"/);
    assert.equal((await api.get(`${CM}/opts`)).status, 200);
  });

  it('deletecollection with a label selector deletes exactly the matching objects', async () => {
    await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dc' } });
    const grp = { a: ['a1', 'a2', 'a3'], b: ['b1', 'b2'] };
    for (const [g, names] of Object.entries(grp)) {
      for (const n of names) assert.equal((await api.post('/api/v1/namespaces/dc/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { grp: g } } })).status, 201);
    }
    await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-ns', labels: { grp: 'a' } } });
    const r = await api.delete('/api/v1/namespaces/dc/configmaps?labelSelector=grp%3Da');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().kind, 'ConfigMapList');
    assert.deepEqual(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['a1', 'a2', 'a3']);
    const left = (await api.get('/api/v1/namespaces/dc/configmaps')).json().items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();
    assert.deepEqual(left, ['b1', 'b2']);
    assert.equal((await api.get(`${CM}/other-ns`)).status, 200, 'other namespaces are untouched');
    const dry = await api.delete('/api/v1/namespaces/dc/configmaps?dryRun=All');
    assert.equal(dry.status, 200);
    assert.equal((await api.get('/api/v1/namespaces/dc/configmaps')).json().items.length, 2, 'dry run deleted nothing');
  });
});
