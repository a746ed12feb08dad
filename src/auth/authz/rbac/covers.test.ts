// Covers / escalation messages after k8s.io/component-helpers/auth/rbac/validation
// policy_comparator_test.go and pkg/registry/rbac/validation/rule_test.go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactRules, compactString, covers } from './covers.js';
import { escalationMessage } from './escalation.js';
import type { PolicyRule } from './types.js';

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });

describe('covers', () => {
  it('exact and wildcard coverage', () => {
    assert.equal(covers([rule(['*'], ['*'], ['*'])], [rule(['get', 'delete'], ['', 'apps'], ['pods', 'deployments'])]).covered, true);
    assert.equal(covers([rule(['get', 'list'], [''], ['pods'])], [rule(['get'], [''], ['pods'])]).covered, true);
    const r = covers([rule(['get'], [''], ['pods'])], [rule(['get', 'delete'], [''], ['pods'])]);
    assert.equal(r.covered, false);
    assert.deepEqual(r.missing, [rule(['delete'], [''], ['pods'])]);
  });

  it('*/subresource covers every resource\'s subresource, not the resource', () => {
    assert.equal(covers([rule(['get'], ['apps'], ['*/scale'])], [rule(['get'], ['apps'], ['deployments/scale'])]).covered, true);
    assert.equal(covers([rule(['get'], ['apps'], ['*/scale'])], [rule(['get'], ['apps'], ['deployments'])]).covered, false);
  });

  it('resource names: an unrestricted owner covers a restricted servant, not the reverse', () => {
    assert.equal(covers([rule(['get'], [''], ['secrets'])], [rule(['get'], [''], ['secrets'], ['a'])]).covered, true);
    assert.equal(covers([rule(['get'], [''], ['secrets'], ['a'])], [rule(['get'], [''], ['secrets'])]).covered, false);
    assert.equal(covers([rule(['get'], [''], ['secrets'], ['a', 'b'])], [rule(['get'], [''], ['secrets'], ['b'])]).covered, true);
  });

  it('non-resource URLs with a trailing star', () => {
    assert.equal(covers([{ verbs: ['get'], nonResourceURLs: ['/api/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/api/v1'] }]).covered, true);
    assert.equal(covers([{ verbs: ['get'], nonResourceURLs: ['/api/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/apis'] }]).covered, false);
    assert.equal(covers([{ verbs: ['*'], nonResourceURLs: ['*'] }], [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]).covered, true);
  });

  it('compacts missing simple rules per target and prints them as CompactString', () => {
    const missing = compactRules([rule(['get'], [''], ['nodes']), rule(['delete'], [''], ['nodes']), rule(['get'], ['apps'], ['deployments'])]);
    assert.deepEqual(missing.map(compactString), ['{APIGroups:[""], Resources:["nodes"], Verbs:["get" "delete"]}', '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}']);
    assert.equal(compactString({ verbs: ['get'], nonResourceURLs: ['/metrics'] }), '{NonResourceURLs:["/metrics"], Verbs:["get"]}');
    assert.equal(compactString(rule(['get'], [''], ['secrets'], ['a'])), '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}');
  });

  it('escalation message: upstream wording, missing rules sorted one per line', () => {
    const user = { username: 'alice', groups: ['dev', 'system:authenticated'] };
    assert.equal(escalationMessage(user, [rule(['*'], ['*'], ['*'])], [rule(['get'], [''], ['pods'])]), undefined);
    assert.equal(
      escalationMessage(user, [rule(['get'], [''], ['pods'])], [rule(['get', 'create'], [''], ['pods', 'secrets'])]),
      'user "alice" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
      + '{APIGroups:[""], Resources:["pods"], Verbs:["create"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "create"]}',
    );
  });
});
