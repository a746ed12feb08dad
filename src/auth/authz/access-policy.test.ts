// The EKS access-policy authorizer: policy → rules, cluster and namespace scopes (with the
// trailing-* prefix form), no opinion otherwise, and its RuleResolver.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessPolicyAuthorizer, principalArnOf, scopeCoversNamespace, type AccessPolicyAssociation } from './access-policy.js';
import type { AuthzAttributes } from './types.js';
import type { UserInfo } from '../../api/user.js';

const P = 'arn:aws:eks::aws:cluster-access-policy/';
const ARN = 'arn:aws:iam::000000000000:user/dev';
const user: UserInfo = { username: 'dev', groups: ['system:authenticated'], extra: { arn: [ARN], canonicalArn: [ARN] } };

function attrs(verb: string, resource: string, namespace = '', extra: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return { user, verb, resource, namespace, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', subresource: '', name: '', ...extra };
}

function authorizerWith(assocs: AccessPolicyAssociation[]) {
  return accessPolicyAuthorizer({ policiesFor: (u) => (principalArnOf(u) === ARN ? assocs : []) });
}

describe('access policies', () => {
  it('cluster admin allows everything, URLs included', async () => {
    const z = authorizerWith([{ policyArn: `${P}AmazonEKSClusterAdminPolicy`, accessScope: { type: 'cluster', namespaces: [] } }]);
    assert.equal(await z.authorize(attrs('delete', 'nodes')), 'allow');
    assert.equal(await z.authorize({ ...attrs('get', ''), isResourceRequest: false, path: '/metrics' }), 'allow');
    assert.equal(await z.authorize({ ...attrs('delete', 'nodes'), user: { username: 'other', groups: [] } }), 'noopinion');
  });

  it('view in listed namespaces (prefix form too): reads there, no secrets, no writes, nothing elsewhere', async () => {
    const z = authorizerWith([{ policyArn: `${P}AmazonEKSViewPolicy`, accessScope: { type: 'namespace', namespaces: ['team-a', 'dev-*'] } }]);
    assert.equal(await z.authorize(attrs('list', 'pods', 'team-a')), 'allow');
    assert.equal(await z.authorize(attrs('list', 'pods', 'dev-42')), 'allow');
    assert.equal(await z.authorize(attrs('list', 'pods', 'team-b')), 'noopinion');
    assert.equal(await z.authorize(attrs('get', 'secrets', 'team-a')), 'noopinion');
    assert.equal(await z.authorize(attrs('create', 'pods', 'team-a')), 'noopinion');
    assert.equal(await z.authorize(attrs('list', 'nodes')), 'noopinion');
  });

  it('edit writes; admin view reads secrets everywhere; admin may list namespaces', async () => {
    const edit = authorizerWith([{ policyArn: `${P}AmazonEKSEditPolicy`, accessScope: { type: 'cluster', namespaces: [] } }]);
    assert.equal(await edit.authorize(attrs('create', 'deployments', 'x', { apiGroup: 'apps' })), 'allow');
    assert.equal(await edit.authorize(attrs('create', 'rolebindings', 'x', { apiGroup: 'rbac.authorization.k8s.io' })), 'noopinion');
    const adminView = authorizerWith([{ policyArn: `${P}AmazonEKSAdminViewPolicy`, accessScope: { type: 'cluster', namespaces: [] } }]);
    assert.equal(await adminView.authorize(attrs('get', 'secrets', 'kube-system')), 'allow');
    assert.equal(await adminView.authorize(attrs('list', 'nodes')), 'allow');
    assert.equal(await adminView.authorize(attrs('delete', 'pods', 'x')), 'noopinion');
    const admin = authorizerWith([{ policyArn: `${P}AmazonEKSAdminPolicy`, accessScope: { type: 'namespace', namespaces: ['app'] } }]);
    assert.equal(await admin.authorize(attrs('create', 'rolebindings', 'app', { apiGroup: 'rbac.authorization.k8s.io' })), 'allow');
    assert.equal(await admin.authorize(attrs('list', 'namespaces')), 'allow');
    assert.equal(await admin.authorize(attrs('create', 'rolebindings', 'other', { apiGroup: 'rbac.authorization.k8s.io' })), 'noopinion');
  });

  it('rulesFor answers per namespace scope', async () => {
    const z = authorizerWith([{ policyArn: `${P}AmazonEKSViewPolicy`, accessScope: { type: 'namespace', namespaces: ['team-a'] } }]);
    assert.ok((await z.rulesFor!(user, 'team-a')).rules.length > 5);
    assert.equal((await z.rulesFor!(user, 'team-b')).rules.length, 0);
  });

  it('scope matching', () => {
    assert.equal(scopeCoversNamespace({ type: 'cluster', namespaces: [] }, ''), true);
    assert.equal(scopeCoversNamespace({ type: 'namespace', namespaces: ['a*'] }, 'abc'), true);
    assert.equal(scopeCoversNamespace({ type: 'namespace', namespaces: ['a*'] }, ''), false);
    assert.equal(scopeCoversNamespace({ type: 'namespace', namespaces: ['a'] }, 'ab'), false);
  });
});

describe('node authorizer', async () => {
  const { nodeAuthorizer } = await import('./node.js');
  const node: UserInfo = { username: 'system:node:ip-192-168-1-2.ec2.internal', groups: ['system:nodes', 'system:authenticated'] };
  it('kubelets get system:node\'s rules, others nothing', async () => {
    assert.equal(await nodeAuthorizer.authorize({ ...attrs('patch', 'nodes', '', { subresource: 'status' }), user: node }), 'allow');
    assert.equal(await nodeAuthorizer.authorize({ ...attrs('get', 'secrets', 'default'), user: node }), 'allow');
    assert.equal(await nodeAuthorizer.authorize({ ...attrs('delete', 'namespaces'), user: node }), 'noopinion');
    assert.equal(await nodeAuthorizer.authorize(attrs('patch', 'nodes', '', { subresource: 'status' })), 'noopinion');
  });
});
