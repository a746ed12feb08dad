// What keks serves beside objects (in-process, memory store, HTTPS with a token): server-side
// Tables (columns, rows with PartialObjectMetadata, includeObject), aggregated and legacy
// discovery (content types, ETag/304), and /metrics (apiserver_request_total with verb/resource/
// code labels as kube-apiserver's CleanVerb names them, apiserver_storage_objects).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const CM = '/api/v1/namespaces/default/configmaps';

/** Value of one sample line of a Prometheus text exposition whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const m = /^[^{]+\{(.*)\}\s+(\S+)$/.exec(line);
    if (!m) continue;
    const have = Object.fromEntries([...m[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[2]);
  }
  return undefined;
}

describe('tables, discovery and metrics', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
    for (const n of ['t1', 't2']) {
      const r = await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { row: n } }, data: { a: '1', b: '2' } });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('Table lists: columns, cells, rows with PartialObjectMetadata; includeObject=Object|None', async () => {
    const r = await api.get(`${CM}?limit=500`, { headers: { Accept: TABLE } });
    assert.equal(r.status, 200, r.text);
    const t = r.json();
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.match(t.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(t.columnDefinitions.map((c: { name: string; type: string; format: string; priority: number }) => [c.name, c.type, c.format, c.priority]),
      [['Name', 'string', 'name', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]]);
    assert.ok(t.columnDefinitions.every((c: { description: string }) => typeof c.description === 'string' && c.description.length > 0));
    const rows = t.rows.filter((x: { cells: unknown[] }) => String(x.cells[0]).startsWith('t'));
    assert.equal(rows.length, 2);
    assert.equal(rows[0].cells[0], 't1');
    assert.equal(rows[0].cells[1], 2);
    assert.match(rows[0].cells[2], /^\d+s$/);
    assert.equal(rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(rows[0].object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(rows[0].object.metadata.name, 't1');
    assert.equal(rows[0].object.metadata.namespace, 'default');
    assert.deepEqual(rows[0].object.metadata.labels, { row: 't1' });
    assert.equal(rows[0].object.data, undefined);

    const full = (await api.get(`${CM}?includeObject=Object`, { headers: { Accept: TABLE } })).json();
    const fr = full.rows.find((x: { cells: unknown[] }) => x.cells[0] === 't2');
    assert.equal(fr.object.kind, 'ConfigMap');
    assert.deepEqual(fr.object.data, { a: '1', b: '2' });
    const none = (await api.get(`${CM}?includeObject=None`, { headers: { Accept: TABLE } })).json();
    assert.ok(none.rows.every((x: { object?: unknown }) => x.object === undefined));
    assert.equal((await api.get(`${CM}?includeObject=Everything`, { headers: { Accept: TABLE } })).status, 400);

    const one = (await api.get(`${CM}/t1`, { headers: { Accept: TABLE } })).json();
    assert.equal(one.kind, 'Table');
    assert.deepEqual(one.rows.map((x: { cells: unknown[] }) => x.cells.slice(0, 2)), [['t1', 2]]);
    const beta = (await api.get(CM, { headers: { Accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } })).json();
    assert.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');

    // Chunked Tables carry continue.
    const page = (await api.get(`${CM}?limit=1`, { headers: { Accept: TABLE } })).json();
    assert.equal(page.rows.length, 1);
    assert.ok(page.metadata.continue);
    // Namespaces print STATUS; deployments print READY/UP-TO-DATE/AVAILABLE.
    const ns = (await api.get('/api/v1/namespaces/default', { headers: { Accept: TABLE } })).json();
    assert.deepEqual(ns.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Status', 'Age']);
    assert.deepEqual(ns.rows[0].cells.slice(0, 2), ['default', 'Active']);
    const deps = (await api.get('/apis/apps/v1/namespaces/default/deployments', { headers: { Accept: TABLE } })).json();
    assert.deepEqual(deps.columnDefinitions.map((c: { name: string; priority: number }) => [c.name, c.priority]),
      [['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]]);
  });

  it('aggregated discovery: content type, Vary, ETag and 304; legacy documents', async () => {
    const apis = await api.get('/apis', { headers: { Accept: AGG } });
    assert.equal(apis.status, 200);
    assert.equal(apis.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(apis.headers.vary, 'Accept');
    const etag = apis.headers.etag as string;
    assert.match(etag, /^"[0-9A-F]+"$/);
    const doc = apis.json();
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    const apps = doc.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((x: { resource: string }) => x.resource === 'deployments');
    assert.deepEqual(deploy.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(deploy.scope, 'Namespaced');
    assert.equal(deploy.singularResource, 'deployment');
    assert.deepEqual(deploy.shortNames, ['deploy']);
    assert.deepEqual(deploy.categories, ['all']);
    assert.deepEqual(deploy.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    const scale = deploy.subresources.find((s: { subresource: string }) => s.subresource === 'scale');
    assert.deepEqual(scale.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const autoscaling = doc.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'autoscaling');
    assert.deepEqual(autoscaling.versions.map((v: { version: string }) => v.version), ['v2', 'v1'], 'preferred version first');

    const cached = await api.get('/apis', { headers: { Accept: AGG, 'If-None-Match': etag } });
    assert.equal(cached.status, 304);
    assert.equal(cached.text, '');
    const v2beta1 = await api.get('/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' } });
    assert.equal(v2beta1.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.notEqual(v2beta1.headers.etag, etag);

    const core = (await api.get('/api', { headers: { Accept: AGG } })).json();
    assert.equal(core.items.length, 1);
    const cm = core.items[0].versions[0].resources.find((x: { resource: string }) => x.resource === 'configmaps');
    assert.deepEqual(cm.shortNames, ['cm']);

    const legacy = await api.get('/api');
    assert.equal(legacy.headers['content-type'], 'application/json');
    assert.equal(legacy.json().kind, 'APIVersions');
    assert.deepEqual(legacy.json().versions, ['v1']);
    const groups = (await api.get('/apis')).json();
    assert.equal(groups.kind, 'APIGroupList');
    assert.ok(groups.groups.some((g: { name: string; preferredVersion: { groupVersion: string } }) => g.name === 'apps' && g.preferredVersion.groupVersion === 'apps/v1'));
    const rl = (await api.get('/apis/apps/v1')).json();
    assert.equal(rl.kind, 'APIResourceList');
    assert.equal(rl.groupVersion, 'apps/v1');
    assert.ok(rl.resources.some((x: { name: string; kind: string }) => x.name === 'deployments/scale' && x.kind === 'Scale'));
    const rlTag = (await api.get('/api/v1')).headers.etag as string;
    assert.equal((await api.get('/api/v1', { headers: { 'If-None-Match': rlTag } })).status, 304);
    assert.equal((await api.get('/apis/nope.example.com/v1')).status, 404);
  });

  it('/metrics: apiserver_request_total by verb/resource/code and apiserver_storage_objects', async () => {
    await api.get(`${CM}/t1`);
    await api.get(`${CM}/missing`);
    await api.get(CM);
    await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metric' } });
    await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metric' } });
    await api.patch(`${CM}/metric`, { data: { x: 'y' } }, 'application/merge-patch+json');
    await api.delete(`${CM}/metric`);
    const r = await api.get('/metrics');
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    const m = r.text;
    assert.match(m, /^# TYPE apiserver_request_total counter$/m);
    const count = (verb: string, code: string): number | undefined => sample(m, 'apiserver_request_total', { verb, resource: 'configmaps', code, group: '', version: 'v1' });
    assert.ok((count('GET', '200') ?? 0) >= 1, 'GET 200');
    assert.ok((count('GET', '404') ?? 0) >= 1, 'GET 404');
    assert.ok((count('LIST', '200') ?? 0) >= 1, 'LIST 200');
    assert.ok((count('POST', '201') ?? 0) >= 3, 'POST 201');
    assert.ok((count('POST', '409') ?? 0) >= 1, 'POST 409');
    assert.ok((count('PATCH', '200') ?? 0) >= 1, 'PATCH 200');
    assert.ok((count('DELETE', '200') ?? 0) >= 1, 'DELETE 200');
    assert.equal(sample(m, 'apiserver_request_total', { verb: 'GET', resource: 'configmaps', scope: 'resource', code: '200' }) !== undefined, true);
    assert.match(m, /^# TYPE apiserver_request_duration_seconds histogram$/m);
    assert.ok((sample(m, 'apiserver_request_duration_seconds_count', { verb: 'LIST', resource: 'configmaps' }) ?? 0) >= 1);

    assert.match(m, /^# TYPE apiserver_storage_objects gauge$/m);
    assert.equal(sample(m, 'apiserver_storage_objects', { resource: 'configmaps' }), 2, 't1 and t2 are stored');
    assert.ok((sample(m, 'apiserver_storage_objects', { resource: 'namespaces' }) ?? 0) >= 4);
    assert.notEqual(sample(m, 'apiserver_storage_objects', { resource: 'deployments.apps' }), undefined);
    assert.ok((sample(m, 'apiserver_storage_size_bytes', {}) ?? -1) >= 0);

    assert.equal((await api.get('/metrics', { auth: { kind: 'none' } })).status, 401, 'metrics need credentials');
  });
});
