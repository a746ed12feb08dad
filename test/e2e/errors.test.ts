// Error answers of keks through raw HTTPS (status code, metav1.Status reason/message/causes) and
// through the real kubectl (its printed error lines), authentication outcomes (anonymous, admin
// client certificate, a certificate from another CA, unknown tokens), and the rule that nothing is
// written when a request fails: the store revision does not move across every failing request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { loadOrCreateClusterPki } from '../../src/pki/cluster-pki.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { ApiClient, type ApiResponse } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { Kubectl, haveKubectl } from '../helpers/kubectl.js';

const CM = '/api/v1/namespaces/default/configmaps';
const NAME_REGEX_MSG = 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')';

function assertStatus(r: ApiResponse, code: number, reason: string, message?: string | RegExp): any {
  assert.equal(r.status, code, `HTTP ${r.status}: ${r.text}`);
  const s = r.json();
  assert.equal(s.kind, 'Status');
  assert.equal(s.apiVersion, 'v1');
  assert.equal(s.status, 'Failure');
  assert.equal(s.code, code);
  assert.equal(s.reason, reason);
  if (typeof message === 'string') assert.equal(s.message, message);
  else if (message) assert.match(s.message, message);
  return s;
}

describe('errors over HTTPS and through kubectl', () => {
  let tk: TestKeks;
  let api: ApiClient;
  let tmp: string;
  let k: Kubectl | undefined;
  let otherCa: { certPem: string; keyPem: string };

  before(async () => {
    // Only the namespace controller: the test asserts that failing requests leave the store
    // revision where it was, so no controller may write meanwhile (e.g. a namespace's default SA).
    tk = await startTestKeks({ store: 'sqlite', controllers: ['namespace'] });
    api = tokenClient(tk);
    tmp = mkdtempSync(join(tmpdir(), 'keks-e2e-errors-'));
    const other = await loadOrCreateClusterPki({ dir: join(tmp, 'other-pki'), clusterName: 'other' });
    otherCa = { certPem: other.admin.certPem, keyPem: other.admin.keyPem };
    if (haveKubectl) k = new Kubectl(tk.kubeconfig);
    const r = await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' }, data: { v: '1' } });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => {
    api?.close();
    k?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await tk?.stop();
  });

  it('failing writes answer with upstream Status bodies and write nothing', async () => {
    const rev0 = await tk.keks.store.currentRevision();
    const names0 = (await api.get(CM)).json().items.map((i: { metadata: { name: string } }) => i.metadata.name);

    // Malformed JSON and YAML → 400.
    assertStatus(await api.post(CM, '{"apiVersion":"v1","kind":'), 400, 'BadRequest', /^couldn't get version\/kind; json parse error: /);
    assertStatus(await api.post(CM, 'apiVersion: v1\nkind: [', { headers: { 'Content-Type': 'application/yaml' } }), 400, 'BadRequest', /^error converting YAML to JSON: yaml: /);
    assertStatus(await api.post(CM, '[1,2]'), 400, 'BadRequest', /^couldn't get version\/kind; json parse error/);
    assertStatus(await api.post(CM, Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff]), { headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } }), 400, 'BadRequest');

    // Body kind/apiVersion not those of the URL → 400.
    assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kind-mismatch' } }), 400, 'BadRequest',
      /Secret in version "v1" cannot be handled as a ConfigMap/);
    assertStatus(await api.post(CM, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'gv-mismatch' } }), 400, 'BadRequest',
      'the API version in the data (apps/v1) does not match the expected API version (v1)');
    assertStatus(await api.put(`${CM}/existing`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-name' } }), 400, 'BadRequest',
      'the name of the object (other-name) does not match the name on the URL (existing)');

    // Over 3 MiB → 413 (declared length, and a chunked body without one).
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { x: 'a'.repeat(3 * 1024 * 1024) } });
    assertStatus(await api.post(CM, big), 413, 'RequestEntityTooLarge', `Request entity too large: limit is ${3 * 1024 * 1024}`);
    assertStatus(await api.post(CM, big, { headers: { 'Transfer-Encoding': 'chunked' } }), 413, 'RequestEntityTooLarge');

    // Unknown resource / group → 404.
    assertStatus(await api.get('/api/v1/namespaces/default/widgets'), 404, 'NotFound', 'the server could not find the requested resource');
    assertStatus(await api.post('/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }), 404, 'NotFound');
    // A cluster-scoped resource under a namespace → 404.
    assertStatus(await api.get('/api/v1/namespaces/default/nodes'), 404, 'NotFound');

    // Missing object → 404 naming the resource.
    const nf = assertStatus(await api.get(`${CM}/x`), 404, 'NotFound', 'configmaps "x" not found');
    assert.deepEqual(nf.details, { name: 'x', kind: 'configmaps' });
    assertStatus(await api.get('/apis/apps/v1/namespaces/default/deployments/x'), 404, 'NotFound', 'deployments.apps "x" not found');
    assertStatus(await api.delete(`${CM}/x`), 404, 'NotFound', 'configmaps "x" not found');

    // Create of an existing name → 409 AlreadyExists.
    const ae = assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' }, data: { v: 'other' } }), 409, 'AlreadyExists', 'configmaps "existing" already exists');
    assert.deepEqual(ae.details, { name: 'existing', kind: 'configmaps' });

    // Update with a stale resourceVersion → 409 Conflict.
    const cur = (await api.get(`${CM}/existing`)).json();
    assertStatus(await api.put(`${CM}/existing`, { ...cur, metadata: { ...cur.metadata, resourceVersion: String(Number(cur.metadata.resourceVersion) - 1) }, data: { v: 'stale' } }), 409, 'Conflict',
      'Operation cannot be fulfilled on configmaps "existing": the object has been modified; please apply your changes to the latest version and try again');

    // Invalid name → 422 with a metadata.name cause.
    const inv = assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }), 422, 'Invalid',
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${NAME_REGEX_MSG}`);
    assert.deepEqual(inv.details.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${NAME_REGEX_MSG}`, field: 'metadata.name' }]);
    assert.equal(inv.details.kind, 'ConfigMap');
    assert.equal(inv.details.name, 'Bad_Name');
    const noName = assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), 422, 'Invalid');
    assert.match(noName.message, /metadata\.name: Required value: name or generateName is required/);
    const badLabel = assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { 'bad key': 'v' } } }), 422, 'Invalid');
    assert.ok(badLabel.details.causes.some((c: { field: string }) => c.field === 'metadata.labels'), JSON.stringify(badLabel.details));

    // Bad query parameters → 400.
    assertStatus(await api.post(`${CM}?dryRun=Some`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } }), 400, 'BadRequest', 'Invalid dryRun value: "Some": supported values: "All"');
    assertStatus(await api.get(`${CM}?labelSelector=a%20%3D%3D%3D%20b`), 400, 'BadRequest');
    assertStatus(await api.get(`${CM}?limit=abc`), 400, 'BadRequest');

    // dryRun=All: a full answer, nothing stored.
    const dry = await api.post(`${CM}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { d: '1' } });
    assert.equal(dry.status, 201, dry.text);
    assert.equal(dry.json().metadata.name, 'dry');
    assert.deepEqual(dry.json().data, { d: '1' });
    assertStatus(await api.get(`${CM}/dry`), 404, 'NotFound');
    const dryPut = await api.put(`${CM}/existing?dryRun=All`, { ...cur, data: { v: 'dry' } });
    assert.equal(dryPut.status, 200, dryPut.text);
    assert.equal(dryPut.json().data.v, 'dry');
    const dryDel = await api.delete(`${CM}/existing?dryRun=All`);
    assert.equal(dryDel.status, 200, dryDel.text);

    // Nothing was written by any of the above.
    assert.equal(await tk.keks.store.currentRevision(), rev0, 'the store revision did not move');
    const names1 = (await api.get(CM)).json().items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(names1, names0);
    const still = (await api.get(`${CM}/existing`)).json();
    assert.deepEqual(still.data, { v: '1' });
    assert.equal(still.metadata.resourceVersion, cur.metadata.resourceVersion);
    // And the process is still healthy.
    assert.equal((await api.get('/healthz')).text, 'ok');
  });

  it('authentication: anonymous, admin client certificate, another CA, unknown token', async () => {
    const anon = { kind: 'none' } as const;
    assertStatus(await api.get('/api/v1/pods', { auth: anon }), 401, 'Unauthorized', 'Unauthorized');
    assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'anon' } }, { auth: anon }), 401, 'Unauthorized');
    const hz = await api.get('/healthz', { auth: anon });
    assert.equal(hz.status, 200);
    assert.equal(hz.text, 'ok');
    assert.equal((await api.get('/livez', { auth: anon })).status, 200);
    assert.equal((await api.get('/readyz', { auth: anon })).status, 200);
    const v = await api.get('/version', { auth: anon });
    assert.equal(v.status, 200);
    assert.equal(v.json().gitVersion, 'v1.32.4');
    // Discovery is open to anonymous users (system:discovery); resources under it are not.
    assert.equal((await api.get('/api', { auth: anon })).status, 200);
    assert.equal((await api.get('/api/v1', { auth: anon })).json().kind, 'APIResourceList');
    assert.equal((await api.get('/apis/apps/v1', { auth: anon })).status, 200);
    assert.equal((await api.get('/openapi/v3', { auth: anon })).status, 200);
    assertStatus(await api.get('/apis/apps/v1/deployments', { auth: anon }), 401, 'Unauthorized');
    assertStatus(await api.get('/api/v1/namespaces/default/configmaps', { auth: anon }), 401, 'Unauthorized');
    assertStatus(await api.get('/metrics', { auth: anon }), 401, 'Unauthorized');

    const admin = { kind: 'cert', certPem: tk.cluster.pki.admin.certPem, keyPem: tk.cluster.pki.admin.keyPem } as const;
    const pods = await api.get('/api/v1/pods', { auth: admin });
    assert.equal(pods.status, 200, pods.text);
    assert.equal(pods.json().kind, 'PodList');
    assert.equal((await api.get('/api', { auth: admin })).status, 200);

    assertStatus(await api.get('/api/v1/pods', { auth: { kind: 'cert', ...otherCa } }), 401, 'Unauthorized');
    assertStatus(await api.get('/api/v1/pods', { auth: { kind: 'token', token: 'not-a-token' } }), 401, 'Unauthorized');
    assertStatus(await api.get('/version', { auth: { kind: 'token', token: 'not-a-token' } }), 401, 'Unauthorized');
    assertStatus((await api.get(`${CM}/anon`)), 404, 'NotFound');
  });

  it('kubectl prints the server\'s errors', { skip: haveKubectl ? false : 'kubectl not on PATH' }, async () => {
    const kc = k as Kubectl;
    const rev0 = await tk.keks.store.currentRevision();
    const unknown = await kc.fails(['get', 'widgets']);
    assert.equal(unknown.stderr.trim(), 'error: the server doesn\'t have a resource type "widgets"');
    assert.equal((await kc.fails(['get', 'cm', 'nope'])).stderr.trim(), 'Error from server (NotFound): configmaps "nope" not found');
    assert.equal((await kc.fails(['get', 'deploy', 'nope'])).stderr.trim(), 'Error from server (NotFound): deployments.apps "nope" not found');
    assert.equal((await kc.fails(['create', 'configmap', 'existing'])).stderr.trim(), 'error: failed to create configmap: configmaps "existing" already exists');
    assert.equal((await kc.fails(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: existing}\n' })).stderr.trim(),
      'Error from server (AlreadyExists): error when creating "STDIN": configmaps "existing" already exists');
    assert.equal((await kc.fails(['create', 'configmap', 'Bad_Name'])).stderr.trim(),
      `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${NAME_REGEX_MSG}`);
    assert.equal((await kc.fails(['-n', 'nowhere', 'create', 'configmap', 'x'])).stderr.trim(), 'error: failed to create configmap: namespaces "nowhere" not found');
    const dry = await kc.ok(['create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server']);
    assert.equal(dry.trim(), 'configmap/dry created (server dry run)');
    assert.equal(await tk.keks.store.currentRevision(), rev0, 'nothing written');

    // A kubeconfig whose client certificate comes from another CA.
    const bad = join(tmp, 'bad-kubeconfig');
    writeFileSync(bad, renderKubeconfig({ clusterName: 'keks', contextName: 'keks', userName: 'intruder', server: tk.endpoint, caPem: tk.caPem, clientCertPem: otherCa.certPem, clientKeyPem: otherCa.keyPem }));
    const intruder = new Kubectl(bad);
    try {
      const r = await intruder.fails(['get', 'cm']);
      // The 401 arrives on discovery, whose client reports the generic credentials message (as
      // against kube-apiserver, e.g. with an expired EKS token).
      assert.match(r.stderr, /^error: You must be logged in to the server \(the server has asked for the client to provide credentials\)$/m);
    } finally {
      intruder.dispose();
    }
  });
});
