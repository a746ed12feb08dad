// The RBAC authorizer over an RbacIndex: subjects (User, Group, ServiceAccount with and without
// a namespace), ClusterRoleBindings vs RoleBindings, allow reasons and resolution errors — as
// plugin/pkg/auth/authorizer/rbac/rbac_test.go and subject_locator_test.go exercise them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rbacAuthorizer } from './authorizer.js';
import { RbacIndex } from './rbac-index.js';
import { subjectAppliesTo } from './resolver.js';
import type { AuthzAttributes } from '../types.js';
import type { UserInfo } from '../../../api/user.js';

const RBAC = 'rbac.authorization.k8s.io';

function attrs(user: UserInfo, verb: string, resource: string, namespace = '', extra: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return { user, verb, resource, namespace, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', subresource: '', name: '', ...extra };
}

function fixture(): RbacIndex {
  const idx = new RbacIndex();
  idx.put('ClusterRole', { metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
  idx.put('ClusterRole', { metadata: { name: 'health' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }] });
  idx.put('Role', { metadata: { name: 'cm-writer', namespace: 'ns1' }, rules: [{ verbs: ['create'], apiGroups: [''], resources: ['configmaps'] }] });
  idx.put('ClusterRoleBinding', { metadata: { name: 'ops-health' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'Group', name: 'ops' }] });
  idx.put('RoleBinding', { metadata: { name: 'alice-pods', namespace: 'ns1' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'alice' }] });
  idx.put('RoleBinding', { metadata: { name: 'sa-cm', namespace: 'ns1' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm-writer' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] });
  return idx;
}

describe('subjects', () => {
  const sa: UserInfo = { username: 'system:serviceaccount:ns1:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1'] };
  it('ServiceAccount subjects default their namespace to the binding\'s', () => {
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder' }, 'ns1'), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder' }, 'ns2'), false);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'ns1' }, 'ns2'), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder' }, ''), false);
    assert.equal(subjectAppliesTo(sa, { kind: 'Group', name: 'system:serviceaccounts:ns1' }, ''), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'User', name: 'builder' }, 'ns1'), false);
  });
});

describe('rbacAuthorizer', () => {
  const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
  const op: UserInfo = { username: 'olga', groups: ['ops', 'system:authenticated'] };

  it('a RoleBinding grants its role in its namespace only', async () => {
    const z = rbacAuthorizer({ reader: fixture() });
    const ok = await z.explain!(attrs(alice, 'list', 'pods', 'ns1'));
    assert.deepEqual(ok, { decision: 'allow', reason: 'RBAC: allowed by RoleBinding "alice-pods/ns1" of ClusterRole "pod-reader" to User "alice"' });
    assert.equal(await z.authorize(attrs(alice, 'list', 'pods', 'ns2')), 'noopinion');
    assert.equal(await z.authorize(attrs(alice, 'list', 'pods', '')), 'noopinion');
    assert.equal(await z.authorize(attrs(alice, 'delete', 'pods', 'ns1')), 'noopinion');
  });

  it('ClusterRoleBindings grant everywhere, non-resource URLs included', async () => {
    const z = rbacAuthorizer({ reader: fixture() });
    assert.equal(await z.authorize({ ...attrs(op, 'get', ''), isResourceRequest: false, path: '/healthz/etcd' }), 'allow');
    assert.equal(await z.authorize({ ...attrs(alice, 'get', ''), isResourceRequest: false, path: '/healthz/etcd' }), 'noopinion');
  });

  it('service accounts and Roles', async () => {
    const z = rbacAuthorizer({ reader: fixture() });
    const sa: UserInfo = { username: 'system:serviceaccount:ns1:builder', groups: [] };
    assert.equal(await z.authorize(attrs(sa, 'create', 'configmaps', 'ns1')), 'allow');
    assert.equal(await z.authorize(attrs({ ...sa, username: 'system:serviceaccount:ns2:builder' }, 'create', 'configmaps', 'ns1')), 'noopinion');
  });

  it('a binding to a missing role is a reason, and changes apply at once', async () => {
    const idx = fixture();
    const z = rbacAuthorizer({ reader: idx });
    idx.put('RoleBinding', { metadata: { name: 'ghost', namespace: 'ns2' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] });
    assert.deepEqual(await z.explain!(attrs(alice, 'get', 'pods', 'ns2')), { decision: 'noopinion', reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
    idx.put('Role', { metadata: { name: 'gone', namespace: 'ns2' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
    assert.equal(await z.authorize(attrs(alice, 'get', 'pods', 'ns2')), 'allow');
    idx.remove('RoleBinding', { metadata: { name: 'ghost', namespace: 'ns2' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'gone' } });
    assert.equal(await z.authorize(attrs(alice, 'get', 'pods', 'ns2')), 'noopinion');
  });

  it('rulesFor lists the cluster-wide and namespace rules', async () => {
    const z = rbacAuthorizer({ reader: fixture() });
    const r = await z.rulesFor!(alice, 'ns1');
    assert.deepEqual(r, { rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], errors: [], incomplete: false });
    assert.deepEqual((await z.rulesFor!(alice, 'ns2')).rules, []);
  });
});
