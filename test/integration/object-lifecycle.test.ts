// Object metadata and subresource semantics of keks over HTTPS (in-process, memory store):
// generateName, metadata.generation (spec changes only), the status and scale subresources,
// and pods/binding — each as kube-apiserver 1.32 behaves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';
const MERGE = 'application/merge-patch+json';

function deployment(name: string, replicas = 1): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

describe('object lifecycle: generateName, generation, status/scale subresources, binding', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    // No workload controllers: these tests write Deployment status and spec themselves.
    tk = await startTestKeks({ store: 'memory', controllers: ['namespace'] });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('generateName draws a 5-character suffix; dryRun draws one without storing', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } };
    const a = await api.post(`${NS}/configmaps`, body);
    const b = await api.post(`${NS}/configmaps`, body);
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201, b.text);
    const an = a.json().metadata.name as string;
    const bn = b.json().metadata.name as string;
    assert.match(an, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(an, bn);
    assert.equal(a.json().metadata.generateName, 'gen-');
    assert.equal((await api.get(`${NS}/configmaps/${an}`)).status, 200);
    const dry = await api.post(`${NS}/configmaps?dryRun=All`, body);
    assert.equal(dry.status, 201);
    assert.match(dry.json().metadata.name, /^gen-.{5}$/);
    assert.equal((await api.get(`${NS}/configmaps/${dry.json().metadata.name}`)).status, 404);
    const bad = await api.post(`${NS}/configmaps`, { ...body, metadata: { generateName: 'Bad_' } });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(bad.json().details.causes.some((c: { field: string }) => c.field === 'metadata.generateName'), bad.text);
  });

  it('metadata.generation: 1 on create, bumped by spec changes only', async () => {
    const created = await api.post(`${APPS}/deployments`, deployment('gen'));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().metadata.generation, 1);
    const labeled = await api.patch(`${APPS}/deployments/gen`, { metadata: { labels: { extra: 'x' }, annotations: { a: 'b' } } }, MERGE);
    assert.equal(labeled.status, 200, labeled.text);
    assert.equal(labeled.json().metadata.generation, 1, 'metadata changes keep the generation');
    assert.ok(Number(labeled.json().metadata.resourceVersion) > Number(created.json().metadata.resourceVersion));
    const scaled = await api.patch(`${APPS}/deployments/gen`, { spec: { replicas: 3 } }, MERGE);
    assert.equal(scaled.json().metadata.generation, 2);
    const image = await api.patch(`${APPS}/deployments/gen`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, MERGE);
    assert.equal(image.json().metadata.generation, 3);
    // A client-sent generation is ignored.
    const cur = image.json();
    const put = await api.put(`${APPS}/deployments/gen`, { ...cur, metadata: { ...cur.metadata, generation: 42 } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json().metadata.generation, 3);
    // A no-op update writes nothing.
    const same = await api.put(`${APPS}/deployments/gen`, put.json());
    assert.equal(same.json().metadata.resourceVersion, put.json().metadata.resourceVersion);
  });

  it('the status subresource ignores spec; the main resource ignores status', async () => {
    const created = (await api.post(`${APPS}/deployments`, deployment('st', 2))).json();
    const withStatus = { ...created, spec: { ...created.spec, replicas: 9 }, status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 } };
    const st = await api.put(`${APPS}/deployments/st/status`, withStatus);
    assert.equal(st.status, 200, st.text);
    assert.equal(st.json().spec.replicas, 2, 'spec unchanged through /status');
    assert.deepEqual(st.json().status, { replicas: 2, readyReplicas: 1, observedGeneration: 1 });
    assert.equal(st.json().metadata.generation, 1);
    const got = (await api.get(`${APPS}/deployments/st/status`)).json();
    assert.equal(got.kind, 'Deployment');
    assert.equal(got.status.readyReplicas, 1);

    const mainPut = await api.put(`${APPS}/deployments/st`, { ...got, status: { replicas: 100 }, spec: { ...got.spec, replicas: 4 } });
    assert.equal(mainPut.status, 200, mainPut.text);
    assert.equal(mainPut.json().spec.replicas, 4);
    assert.deepEqual(mainPut.json().status, { replicas: 2, readyReplicas: 1, observedGeneration: 1 }, 'status unchanged through the main resource');
    assert.equal(mainPut.json().metadata.generation, 2);

    const patched = await api.patch(`${APPS}/deployments/st/status`, { status: { availableReplicas: 2 }, spec: { replicas: 1 } }, MERGE);
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json().status.availableReplicas, 2);
    assert.equal(patched.json().spec.replicas, 4);
    // Status on create is dropped too.
    const withInitial = await api.post(`${APPS}/deployments`, { ...deployment('st2'), status: { replicas: 7 } });
    assert.equal(withInitial.json().status?.replicas, undefined);
  });

  it('scale subresource: GET, PUT without Content-Type, PATCH, stale resourceVersion', async () => {
    await api.post(`${APPS}/deployments`, deployment('sc', 1));
    const scale = await api.get(`${APPS}/deployments/sc/scale`);
    assert.equal(scale.status, 200, scale.text);
    const s = scale.json();
    assert.equal(s.kind, 'Scale');
    assert.equal(s.apiVersion, 'autoscaling/v1');
    assert.equal(s.metadata.name, 'sc');
    assert.equal(s.metadata.namespace, 'default');
    assert.deepEqual(s.spec, { replicas: 1 });
    assert.equal(s.status.selector, 'app=sc');

    const put = await api.request(`${APPS}/deployments/sc/scale`, { method: 'PUT', body: JSON.stringify({ ...s, spec: { replicas: 3 } }), omitContentType: true });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json().kind, 'Scale');
    assert.equal(put.json().spec.replicas, 3);
    const dep = (await api.get(`${APPS}/deployments/sc`)).json();
    assert.equal(dep.spec.replicas, 3);
    assert.equal(dep.metadata.generation, 2);

    const patched = await api.patch(`${APPS}/deployments/sc/scale`, { spec: { replicas: 5 } }, MERGE);
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json().spec.replicas, 5);
    assert.equal((await api.get(`${APPS}/deployments/sc`)).json().spec.replicas, 5);

    const stale = await api.put(`${APPS}/deployments/sc/scale`, { ...s, spec: { replicas: 8 } });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json().reason, 'Conflict');
    assert.equal((await api.get(`${APPS}/deployments/sc`)).json().spec.replicas, 5);
    assert.equal((await api.get(`${NS}/configmaps/x/scale`)).status, 404);
    assert.equal((await api.get(`${APPS}/deployments/missing/scale`)).json().message, 'deployments.apps "missing" not found');
  });

  it('pods/binding sets spec.nodeName once; a second binding is a 409', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bind-me' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await api.post(`${NS}/pods`, pod)).status, 201);
    const binding = (node: string, name = 'bind-me'): object => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    const r = await api.post(`${NS}/pods/bind-me/binding`, binding('node-1'));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = (await api.get(`${NS}/pods/bind-me`)).json();
    assert.equal(bound.spec.nodeName, 'node-1');
    assert.ok(bound.status.conditions.some((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'True'));

    const again = await api.post(`${NS}/pods/bind-me/binding`, binding('node-2'));
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json().reason, 'Conflict');
    assert.equal(again.json().message, 'Operation cannot be fulfilled on pods/binding "bind-me": pod bind-me is already assigned to node "node-1"');
    assert.equal((await api.get(`${NS}/pods/bind-me`)).json().spec.nodeName, 'node-1');
    const mismatch = await api.post(`${NS}/pods/bind-me/binding`, binding('node-2', 'other'));
    assert.equal(mismatch.status, 400, mismatch.text);
    assert.equal((await api.post(`${NS}/pods/nope/binding`, binding('node-1', 'nope'))).status, 404);
  });
});
