// Reconciliation of bootstrap objects (pkg/registry/rbac/reconciliation, reconcile_role_test.go cases, condensed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileBinding, reconcileRole } from './reconcile.js';
import type { BindingObject, RoleObject } from './types.js';

const AU = 'rbac.authorization.kubernetes.io/autoupdate';
const want: RoleObject = { metadata: { name: 'r', labels: { l: '1' }, annotations: { [AU]: 'true' } }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };

describe('reconcile', () => {
  it('adds missing rules, labels and annotations; keeps extras', () => {
    const have: RoleObject = { metadata: { name: 'r', labels: { mine: 'x' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['nodes'] }] };
    const out = reconcileRole(have, want);
    assert.deepEqual(out?.metadata.labels, { mine: 'x', l: '1' });
    assert.deepEqual(out?.metadata.annotations, { [AU]: 'true' });
    assert.deepEqual(out?.rules, [...have.rules!, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
  });

  it('leaves complete objects and autoupdate=false alone', () => {
    assert.equal(reconcileRole(structuredClone(want), want), undefined);
    assert.equal(reconcileRole({ metadata: { name: 'r', annotations: { [AU]: 'false' } }, rules: [] }, want), undefined);
  });

  it('a stored role whose rules differ only in order or split is still complete; the input is never modified', () => {
    const split: RoleObject = { metadata: { name: 'r', labels: { l: '1' }, annotations: { [AU]: 'true' } }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
    const before = structuredClone(split);
    assert.equal(reconcileRole(split, want), undefined);
    const missingVerb: RoleObject = { ...structuredClone(want), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
    assert.deepEqual(reconcileRole(missingVerb, want)?.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
    assert.deepEqual(missingVerb.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    assert.deepEqual(split, before);
  });

  it('aggregated roles gain selectors, not rules', () => {
    const agg: RoleObject = { metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }] } };
    assert.equal(reconcileRole({ ...structuredClone(agg), rules: [] }, agg), undefined);
    const out = reconcileRole({ metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { b: 'true' } }] }, rules: [] }, agg);
    assert.deepEqual(out?.aggregationRule?.clusterRoleSelectors, [{ matchLabels: { b: 'true' } }, { matchLabels: { a: 'true' } }]);
  });

  it('bindings gain missing subjects', () => {
    const wantB: BindingObject = { metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'Group', name: 'g1' }, { kind: 'Group', name: 'g2' }] };
    const out = reconcileBinding({ ...structuredClone(wantB), subjects: [{ kind: 'Group', name: 'g2' }, { kind: 'User', name: 'u' }] }, wantB);
    assert.deepEqual(out?.subjects, [{ kind: 'Group', name: 'g2' }, { kind: 'User', name: 'u' }, { kind: 'Group', name: 'g1' }]);
    assert.equal(reconcileBinding(structuredClone(wantB), wantB), undefined);
  });
});
