// The chain walk (union.go) and the 403 wording (responsewriters.ForbiddenStatusError).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, decide, forbiddenFor, mastersAuthorizer, publicInfoAuthorizer } from './bootstrap.js';
import type { Authorizer, AuthzAttributes } from './types.js';

const a = (over: Partial<AuthzAttributes> = {}): AuthzAttributes => ({
  user: { username: 'alice', groups: ['system:authenticated'] }, verb: 'list', isResourceRequest: true, path: '/api/v1/namespaces/default/pods',
  apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', subresource: '', name: '', ...over,
});

const withReason = (reason: string): Authorizer => ({ name: 'r', authorize: () => 'noopinion', explain: () => ({ decision: 'noopinion', reason }) });
const denier: Authorizer = { name: 'deny', authorize: () => 'deny', explain: () => ({ decision: 'deny', reason: 'no way' }) };
const allower: Authorizer = { name: 'allow', authorize: () => 'allow' };

describe('authorizer chain', () => {
  it('first allow or deny decides; no-opinion reasons are joined', async () => {
    assert.equal((await decide([withReason('x'), allower], a())).decision, 'allow');
    assert.deepEqual(await decide([denier, allower], a()), { decision: 'deny', reason: 'no way' });
    assert.deepEqual(await decide([withReason('one'), withReason(''), withReason('two')], a()), { decision: 'noopinion', reason: 'one\ntwo', evaluationError: undefined });
  });

  it('system:masters allows everything; public info allows health/version/discovery reads only', async () => {
    assert.equal(await mastersAuthorizer.authorize(a({ user: { username: 'x', groups: ['system:masters'] } })), 'allow');
    assert.equal(await mastersAuthorizer.authorize(a()), 'noopinion');
    const url = (verb: string, path: string) => a({ isResourceRequest: false, verb, path, resource: '', namespace: '' });
    assert.equal(await publicInfoAuthorizer.authorize(url('get', '/version')), 'allow');
    assert.equal(await publicInfoAuthorizer.authorize(url('get', '/apis/apps/v1')), 'allow');
    assert.equal(await publicInfoAuthorizer.authorize(url('get', '/metrics')), 'noopinion');
    assert.equal(await publicInfoAuthorizer.authorize(url('post', '/version')), 'noopinion');
  });

  it('403 wording for resources, subresources, names, cluster scope and URLs, with the reason appended', async () => {
    assert.equal(forbiddenFor(a()).message, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
    assert.equal(forbiddenFor(a({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'p1' })).message,
      'pods/exec "p1" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    assert.equal(forbiddenFor(a({ apiGroup: 'apps', resource: 'deployments', namespace: '' })).message,
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope');
    assert.equal(forbiddenFor(a({ isResourceRequest: false, verb: 'get', path: '/metrics' }), 'RBAC: x').message, 'forbidden: User "alice" cannot get path "/metrics": RBAC: x');
    await assert.rejects(authorize([withReason('RBAC: role.rbac.authorization.k8s.io "r" not found')], a({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } })), {
      code: 403, message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "r" not found',
    });
  });
});
