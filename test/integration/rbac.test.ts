// RBAC through the API (in-process keks, memory store, HTTPS): bootstrap policy, a user bound to
// `view` in one namespace, 403 wording, SelfSubjectAccessReview / SelfSubjectRulesReview /
// SubjectAccessReview / LocalSubjectAccessReview / SelfSubjectReview answers, impersonation,
// aggregation of a new aggregate-to-view role, and escalation refusals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { issueClientCert } from '../../src/pki/index.js';
import { eventually, type ApiClient, type Auth } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { ensureBootstrapPolicy } from '../../src/apiserver/authz/rbac-bootstrap.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const AUTHZ = '/apis/authorization.k8s.io/v1';

/** Retries assertions until they pass (bounded). */
async function until(fn: () => Promise<void>, what: string, timeoutMs = 1000): Promise<void> {
  await eventually(async () => { await fn(); return true; }, what, timeoutMs, 5);
}

describe('RBAC authorization', () => {
  let tk: TestKeks;
  let admin: ApiClient;
  let alice: Auth;
  let bob: Auth;

  async function certFor(cn: string, orgs: string[] = []): Promise<Auth> {
    const c = await issueClientCert(tk.cluster.pki.ca, { commonName: cn, organizations: orgs });
    return { kind: 'cert', certPem: c.certPem, keyPem: c.keyPem };
  }

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    admin = tokenClient(tk);
    alice = await certFor('alice', ['dev']);
    bob = await certFor('bob');
    for (const ns of ['a', 'b']) assert.equal((await admin.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    const rb = await admin.post(`${RBAC}/namespaces/a/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
    });
    assert.equal(rb.status, 201, rb.text);
  });
  after(async () => {
    admin?.close();
    await tk?.stop();
  });

  it('creates the bootstrap ClusterRoles and bindings, with aggregated admin/edit/view', async () => {
    const list = (await admin.get(`${RBAC}/clusterroles`)).json();
    const names = list.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer',
      'system:node', 'system:node-proxier', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:monitoring',
      'system:auth-delegator', 'system:controller:replicaset-controller', 'system:controller:namespace-controller']) {
      assert.ok(names.includes(n), `missing ClusterRole ${n}`);
    }
    const view = (await admin.get(`${RBAC}/clusterroles/view`)).json();
    assert.equal(view.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.equal(view.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
    assert.deepEqual(view.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    assert.ok(view.rules.some((r: { resources?: string[] }) => r.resources?.includes('pods')), 'view aggregated the pods rule');
    const adminRole = (await admin.get(`${RBAC}/clusterroles/admin`)).json();
    assert.ok(adminRole.rules.some((r: { resources?: string[]; verbs: string[] }) => r.resources?.includes('rolebindings') && r.verbs.includes('create')));
    assert.ok(adminRole.rules.some((r: { resources?: string[]; verbs: string[] }) => r.resources?.includes('pods') && r.verbs.includes('create')), 'admin includes edit');
    const crb = (await admin.get(`${RBAC}/clusterrolebindings/cluster-admin`)).json();
    assert.deepEqual(crb.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    const piv = (await admin.get(`${RBAC}/clusterrolebindings/system:public-info-viewer`)).json();
    assert.deepEqual(piv.subjects.map((s: { name: string }) => s.name), ['system:authenticated', 'system:unauthenticated']);
  });

  it('restores trimmed bootstrap roles on (re)start unless autoupdate=false', async () => {
    const path = `${RBAC}/clusterroles/system:basic-user`;
    const cur = (await admin.get(path)).json();
    assert.equal((await admin.put(path, { ...cur, rules: cur.rules.slice(1) })).status, 200);
    assert.deepEqual(await ensureBootstrapPolicy(tk.cluster.registry), { created: 0, updated: 1 });
    assert.deepEqual((await admin.get(path)).json().rules.map((r: { resources: string[] }) => r.resources).flat().sort(),
      ['selfsubjectaccessreviews', 'selfsubjectreviews', 'selfsubjectrulesreviews']);
    const again = (await admin.get(path)).json();
    again.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
    assert.equal((await admin.put(path, { ...again, rules: [] })).status, 200);
    assert.deepEqual(await ensureBootstrapPolicy(tk.cluster.registry), { created: 0, updated: 0 });
    assert.deepEqual((await admin.get(path)).json().rules ?? [], []);
    const last = (await admin.get(path)).json();
    last.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'true';
    assert.equal((await admin.put(path, last)).status, 200);
    assert.deepEqual(await ensureBootstrapPolicy(tk.cluster.registry), { created: 0, updated: 1 });
  });

  it('a view binding in namespace a: list there, not in b, no create; upstream 403 wording', async () => {
    assert.equal((await admin.get('/api/v1/namespaces/a/pods', { auth: alice })).status, 200);
    const inB = await admin.get('/api/v1/namespaces/b/pods', { auth: alice });
    assert.equal(inB.status, 403);
    assert.equal(inB.json().message, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "b"');
    assert.deepEqual(inB.json().details, { kind: 'pods' });
    const create = await admin.post('/api/v1/namespaces/a/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, { auth: alice });
    assert.equal(create.status, 403);
    assert.equal(create.json().message, 'configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "a"');
    const secret = await admin.get('/api/v1/namespaces/a/secrets/s1', { auth: alice });
    assert.equal(secret.json().message, 'secrets "s1" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "a"');
    const nodes = await admin.get('/api/v1/nodes', { auth: alice });
    assert.equal(nodes.json().message, 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
    // Discovery and health stay open to every authenticated user (system:discovery, system:public-info-viewer).
    assert.equal((await admin.get('/apis', { auth: bob })).status, 200);
    assert.equal((await admin.get('/version', { auth: bob })).status, 200);
    const metrics = await admin.get('/metrics', { auth: bob });
    assert.equal(metrics.status, 403);
    assert.equal(metrics.json().message, 'forbidden: User "bob" cannot get path "/metrics"');
  });

  it('a new binding counts at once, a deleted one stops counting', async () => {
    const path = `${RBAC}/namespaces/b/rolebindings`;
    const t0 = Date.now();
    assert.equal((await admin.post(path, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bob-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }],
    })).status, 201);
    await until(async () => assert.equal((await admin.get('/api/v1/namespaces/b/pods', { auth: bob })).status, 200), 'rbac', 1000);
    assert.ok(Date.now() - t0 < 500, `binding took ${Date.now() - t0} ms to count`);
    assert.equal((await admin.delete(`${path}/bob-edit`)).status, 200);
    await until(async () => assert.equal((await admin.get('/api/v1/namespaces/b/pods', { auth: bob })).status, 403), 'rbac', 1000);
  });

  it('a missing role in a binding shows in the 403 reason', async () => {
    assert.equal((await admin.post(`${RBAC}/namespaces/b/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'dangling' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nope' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }],
    })).status, 201);
    await until(async () => {
      const r = await admin.get('/api/v1/namespaces/b/pods', { auth: bob });
      assert.equal(r.json().message, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "b": RBAC: role.rbac.authorization.k8s.io "nope" not found');
    }, 'rbac', 1000);
    assert.equal((await admin.delete(`${RBAC}/namespaces/b/rolebindings/dangling`)).status, 200);
  });

  it('SelfSubjectAccessReview and SubjectAccessReview answer as RBAC decides', async () => {
    const ssar = (attrs: object, auth: Auth) => admin.post(`${AUTHZ}/selfsubjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs } }, { auth });
    const yes = await ssar({ namespace: 'a', verb: 'list', resource: 'pods' }, alice);
    assert.equal(yes.status, 201, yes.text);
    assert.deepEqual(yes.json().status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-view/a" of ClusterRole "view" to User "alice"' });
    assert.equal(yes.json().kind, 'SelfSubjectAccessReview');
    assert.deepEqual(yes.json().spec, { resourceAttributes: { namespace: 'a', verb: 'list', resource: 'pods' } });
    assert.deepEqual((await ssar({ namespace: 'a', verb: 'create', resource: 'pods' }, alice)).json().status, { allowed: false });
    // Not stored: GET is not a verb of the resource.
    assert.equal((await admin.get(`${AUTHZ}/selfsubjectaccessreviews`)).status, 405);
    const bad = await admin.post(`${AUTHZ}/selfsubjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }, { auth: alice });
    assert.equal(bad.status, 422);
    assert.match(bad.json().message, /exactly one of nonResourceAttributes or resourceAttributes must be specified/);

    const sar = await admin.post(`${AUTHZ}/subjectaccessreviews`, {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
      spec: { user: 'alice', groups: ['system:authenticated'], resourceAttributes: { namespace: 'a', verb: 'watch', resource: 'deployments', group: 'apps' } },
    });
    assert.equal(sar.status, 201, sar.text);
    assert.equal(sar.json().status.allowed, true);
    // alice may not ask about others.
    assert.equal((await admin.post(`${AUTHZ}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'x', resourceAttributes: { verb: 'get', resource: 'pods' } } }, { auth: alice })).status, 403);
    const lsar = await admin.post(`${AUTHZ}/namespaces/a/localsubjectaccessreviews`, {
      apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview',
      spec: { user: 'alice', resourceAttributes: { namespace: 'a', verb: 'get', resource: 'secrets' } },
    });
    assert.equal(lsar.status, 201, lsar.text);
    assert.equal(lsar.json().metadata.namespace, 'a');
    assert.deepEqual(lsar.json().status, { allowed: false });
    const lsarBad = await admin.post(`${AUTHZ}/namespaces/a/localsubjectaccessreviews`, {
      apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec: { user: 'alice', resourceAttributes: { namespace: 'b', verb: 'get', resource: 'pods' } },
    });
    assert.equal(lsarBad.status, 422);
    assert.match(lsarBad.json().message, /spec\.resourceAttributes\.namespace: Invalid value: "b": must match metadata\.namespace/);
  });

  it('SelfSubjectRulesReview lists the rules; SelfSubjectReview names the user', async () => {
    const r = await admin.post(`${AUTHZ}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'a' } }, { auth: alice });
    assert.equal(r.status, 201, r.text);
    const st = r.json().status;
    assert.equal(st.incomplete, false);
    assert.ok(st.resourceRules.some((x: { verbs: string[]; resources: string[] }) => x.resources.includes('pods') && x.verbs.includes('list')));
    assert.ok(st.resourceRules.some((x: { resources: string[] }) => x.resources.includes('selfsubjectaccessreviews')), 'system:basic-user');
    assert.ok(st.nonResourceRules.some((x: { nonResourceURLs: string[] }) => x.nonResourceURLs.includes('/api/*')), 'system:discovery');
    const inB = (await admin.post(`${AUTHZ}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'b' } }, { auth: alice })).json().status;
    assert.ok(!inB.resourceRules.some((x: { resources: string[] }) => x.resources.includes('pods')));

    const who = await admin.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, { auth: alice });
    assert.equal(who.status, 201, who.text);
    assert.deepEqual(who.json().status, { userInfo: { username: 'alice', groups: ['dev', 'system:authenticated'] } });

    const tr = (token: string) => admin.post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const good = await tr(tk.token);
    assert.equal(good.status, 201, good.text);
    assert.deepEqual(good.json().status, { authenticated: true, user: { username: 'test-admin', groups: ['system:masters', 'system:authenticated'] } });
    assert.equal((await tr('nope')).json().status.authenticated, undefined);
    // Only those allowed tokenreviews (system:auth-delegator) may ask.
    assert.equal((await admin.post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'x' } }, { auth: alice })).status, 403);
  });

  it('impersonation needs the impersonate verb and then acts as the user', async () => {
    const asAlice = await admin.get('/api/v1/namespaces/b/pods', { headers: { 'Impersonate-User': 'alice' } });
    assert.equal(asAlice.status, 403);
    assert.equal(asAlice.json().message, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "b"');
    assert.equal((await admin.get('/api/v1/namespaces/a/pods', { headers: { 'Impersonate-User': 'alice' } })).status, 200);
    const who = await admin.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      { headers: { 'Impersonate-User': 'system:serviceaccount:a:builder' } });
    assert.deepEqual(who.json().status.userInfo, { username: 'system:serviceaccount:a:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated'] });
    const denied = await admin.get('/api/v1/namespaces/a/pods', { auth: alice, headers: { 'Impersonate-User': 'bob' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().message, 'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('a new aggregate-to-view ClusterRole joins view (and so edit and admin)', async () => {
    assert.equal((await admin.post(`${RBAC}/clusterroles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    })).status, 201);
    await until(async () => {
      for (const n of ['view', 'edit', 'admin']) {
        const role = (await admin.get(`${RBAC}/clusterroles/${n}`)).json();
        assert.ok(role.rules.some((r: { resources?: string[] }) => r.resources?.includes('widgets')), `${n} lacks widgets`);
      }
    }, 'rbac', 2000);
    await until(async () => assert.equal((await admin.get('/apis/example.com/v1/namespaces/a/widgets', { auth: alice })).status, 404), 'rbac', 1000);
  });

  it('refuses to grant rights the writer does not hold', async () => {
    // carol administers namespace a (admin: may write roles and rolebindings there).
    const carol = await certFor('carol');
    assert.equal((await admin.post(`${RBAC}/namespaces/a/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'carol-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', name: 'carol', apiGroup: 'rbac.authorization.k8s.io' }],
    })).status, 201);
    await until(async () => assert.equal((await admin.get(`${RBAC}/namespaces/a/roles`, { auth: carol })).status, 200), 'rbac', 1000);
    const role = (name: string, rules: object[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules });
    assert.equal((await admin.post(`${RBAC}/namespaces/a/roles`, role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), { auth: carol })).status, 201);
    const esc = await admin.post(`${RBAC}/namespaces/a/roles`, role('node-admin', [{ apiGroups: [''], resources: ['nodes'], verbs: ['delete', 'get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), { auth: carol });
    assert.equal(esc.status, 403);
    assert.equal(esc.json().message, 'roles.rbac.authorization.k8s.io "node-admin" is forbidden: user "carol" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["delete" "get"]}');
    // Binding cluster-admin in her namespace: she holds neither `bind` on it nor its rules.
    const rb = await admin.post(`${RBAC}/namespaces/a/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'sneaky' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'carol', apiGroup: 'rbac.authorization.k8s.io' }],
    }, { auth: carol });
    assert.equal(rb.status, 403);
    assert.match(rb.json().message, /^rolebindings\.rbac\.authorization\.k8s\.io "sneaky" is forbidden: user "carol" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    // Binding view (which admin covers) is fine.
    assert.equal((await admin.post(`${RBAC}/namespaces/a/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bob-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }],
    }, { auth: carol })).status, 201);
    // system:masters bypasses the check.
    assert.equal((await admin.post(`${RBAC}/namespaces/a/roles`, role('node-admin', [{ apiGroups: [''], resources: ['nodes'], verbs: ['delete'] }]))).status, 201);
  });
});
