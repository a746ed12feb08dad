// The impersonation filter: who may impersonate what, and the user that results
// (k8s.io/apiserver/pkg/endpoints/filters/impersonation_test.go cases, condensed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { impersonatedUser } from './impersonation.js';
import type { Authorizer } from '../../auth/authz/types.js';
import type { UserInfo } from '../../api/user.js';

function req(headers: Record<string, string | string[]>): IncomingMessage {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const distinct = Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  return { headers: lower, headersDistinct: distinct, url: '/api/v1/pods' } as unknown as IncomingMessage;
}

/** May impersonate users named dev-*, group "devs", service accounts in ns "ci", and extra "scopes". */
const policy: Authorizer = {
  name: 'test',
  authorize(a) {
    if (a.verb !== 'impersonate') return 'noopinion';
    if (a.resource === 'users' && a.name.startsWith('dev-')) return 'allow';
    if (a.resource === 'groups' && a.name === 'devs') return 'allow';
    if (a.resource === 'serviceaccounts' && a.namespace === 'ci') return 'allow';
    if (a.resource === 'userextras' && a.apiGroup === 'authentication.k8s.io' && a.subresource === 'scopes') return 'allow';
    return 'noopinion';
  },
};
const me: UserInfo = { username: 'me', groups: ['system:authenticated'] };

describe('impersonation', () => {
  it('no headers: the requester', async () => {
    assert.equal(await impersonatedUser(req({}), me, [policy]), me);
  });

  it('a user with groups and extras, system:authenticated added', async () => {
    const u = await impersonatedUser(req({ 'Impersonate-User': 'dev-1', 'Impersonate-Group': ['devs'], 'Impersonate-Extra-Scopes': ['a', 'b'] }), me, [policy]);
    assert.deepEqual(u, { username: 'dev-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a', 'b'] } });
  });

  it('a service account gets its groups unless groups are given', async () => {
    assert.deepEqual(await impersonatedUser(req({ 'Impersonate-User': 'system:serviceaccount:ci:builder' }), me, [policy]),
      { username: 'system:serviceaccount:ci:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] });
    await assert.rejects(impersonatedUser(req({ 'Impersonate-User': 'system:serviceaccount:prod:builder' }), me, [policy]), {
      code: 403, message: 'serviceaccounts "builder" is forbidden: User "me" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "prod"',
    });
  });

  it('each part is authorized', async () => {
    await assert.rejects(impersonatedUser(req({ 'Impersonate-User': 'admin' }), me, [policy]), {
      code: 403, message: 'users "admin" is forbidden: User "me" cannot impersonate resource "users" in API group "" at the cluster scope',
    });
    await assert.rejects(impersonatedUser(req({ 'Impersonate-User': 'dev-1', 'Impersonate-Group': 'system:masters' }), me, [policy]), {
      code: 403, message: 'groups "system:masters" is forbidden: User "me" cannot impersonate resource "groups" in API group "" at the cluster scope',
    });
    await assert.rejects(impersonatedUser(req({ 'Impersonate-User': 'dev-1', 'Impersonate-Uid': '42' }), me, [policy]), {
      code: 403, message: 'uids.authentication.k8s.io "42" is forbidden: User "me" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    });
  });

  it('groups without a user is an error', async () => {
    await assert.rejects(impersonatedUser(req({ 'Impersonate-Group': 'devs' }), me, [policy]), { code: 500 });
  });
});
