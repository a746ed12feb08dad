// Rule matching cases after k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/rbac_test.go
// (TestRuleMatches) and pkg/apis/rbac/v1/evaluation_helpers_test.go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ruleAllows, type RuleRequest } from './rules.js';
import type { PolicyRule } from './types.js';

const res = (verb: string, apiGroup: string, resource: string, subresource = '', name = ''): RuleRequest =>
  ({ isResourceRequest: true, verb, apiGroup, resource, subresource, name, path: '' });
const url = (verb: string, path: string): RuleRequest =>
  ({ isResourceRequest: false, verb, apiGroup: '', resource: '', subresource: '', name: '', path });

const CASES: Array<{ name: string; rule: PolicyRule; allowed: RuleRequest[]; denied: RuleRequest[] }> = [
  {
    name: 'star verb, exact match other',
    rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
    allowed: [res('get', 'group1', 'resource1'), res('update', 'group1', 'resource1')],
    denied: [res('get', 'group2', 'resource1'), res('get', 'group1', 'resource2'), res('get', 'group1', 'resource1', 'sub')],
  },
  {
    name: 'star group, exact match other',
    rule: { verbs: ['get'], apiGroups: ['*'], resources: ['resource1'] },
    allowed: [res('get', 'group1', 'resource1'), res('get', 'group2', 'resource1'), res('get', '', 'resource1')],
    denied: [res('update', 'group1', 'resource1'), res('get', 'group1', 'resource2')],
  },
  {
    name: 'star resource, exact match other',
    rule: { verbs: ['get'], apiGroups: ['group1'], resources: ['*'] },
    allowed: [res('get', 'group1', 'resource1'), res('get', 'group1', 'resource2'), res('get', 'group1', 'resource1', 'sub')],
    denied: [res('get', 'group2', 'resource1'), res('update', 'group1', 'resource1')],
  },
  {
    name: 'tuple expansion',
    rule: { verbs: ['get', 'update'], apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] },
    allowed: [res('get', 'group1', 'resource1'), res('update', 'group2', 'resource2'), res('get', 'group2', 'resource1')],
    denied: [res('delete', 'group1', 'resource1'), res('get', 'group3', 'resource1')],
  },
  {
    name: 'subresource expansion',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
    allowed: [res('get', 'group1', 'resource1', 'subresource1'), res('update', 'group2', 'resource1', 'subresource1')],
    denied: [res('get', 'group1', 'resource1'), res('get', 'group1', 'resource1', 'subresource2'), res('get', 'group1', 'resource2', 'subresource1')],
  },
  {
    name: '*/subresource matches that subresource of every resource, not the resources',
    rule: { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] },
    allowed: [res('get', 'apps', 'deployments', 'scale'), res('get', '', 'replicationcontrollers', 'scale')],
    denied: [res('get', 'apps', 'deployments'), res('get', 'apps', 'deployments', 'status')],
  },
  {
    name: 'resource/* is no wildcard upstream: it matches only the literal string',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] },
    allowed: [res('get', '', 'pods', '*')],
    denied: [res('get', '', 'pods', 'log'), res('get', '', 'pods')],
  },
  {
    name: 'resourceNames limit requests with a name; a list has none',
    rule: { verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['foo', 'bar'] },
    allowed: [res('get', '', 'configmaps', '', 'foo'), res('get', '', 'configmaps', '', 'bar')],
    denied: [res('get', '', 'configmaps', '', 'baz'), res('list', '', 'configmaps')],
  },
  {
    name: 'a resource rule never matches a URL, nor a URL rule a resource',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    allowed: [res('get', 'x', 'y')],
    denied: [url('get', '/api'), url('get', '/healthz')],
  },
  {
    name: 'non-resource URLs: exact, and prefix before a trailing *',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] },
    allowed: [url('get', '/healthz'), url('get', '/api/'), url('get', '/api/v1'), url('get', '/api/v1/x/y')],
    denied: [url('get', '/healthz/ping'), url('get', '/api'), url('post', '/healthz'), res('get', '', 'healthz')],
  },
  {
    name: 'non-resource URL star',
    rule: { verbs: ['*'], nonResourceURLs: ['*'] },
    allowed: [url('get', '/metrics'), url('post', '/anything')],
    denied: [res('get', '', 'pods')],
  },
  {
    name: 'empty groups match nothing',
    rule: { verbs: ['get'], resources: ['pods'] },
    allowed: [],
    denied: [res('get', '', 'pods')],
  },
];

describe('RBAC rule matching', () => {
  for (const c of CASES) {
    it(c.name, () => {
      for (const r of c.allowed) assert.equal(ruleAllows(r, c.rule), true, `expected allow: ${JSON.stringify(r)}`);
      for (const r of c.denied) assert.equal(ruleAllows(r, c.rule), false, `expected deny: ${JSON.stringify(r)}`);
    });
  }
});
