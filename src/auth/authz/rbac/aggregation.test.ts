// ClusterRole aggregation (pkg/controller/clusterroleaggregation) and the bootstrap policy's
// aggregated admin/edit/view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateAll, aggregatedRules } from './aggregation.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { covers } from './covers.js';
import type { RoleObject } from './types.js';

describe('aggregation', () => {
  const agg: RoleObject = { metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] } };
  const a: RoleObject = { metadata: { name: 'b-role', labels: { 'example.com/aggregate-to-monitoring': 'true' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['services'] }] };
  const b: RoleObject = { metadata: { name: 'a-role', labels: { 'example.com/aggregate-to-monitoring': 'true' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['services'] }] };
  const other: RoleObject = { metadata: { name: 'other' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };

  it('unions the matching roles\' rules in name order, each rule once', () => {
    assert.deepEqual(aggregatedRules(agg, [agg, a, b, other]), [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['services'] },
    ]);
    assert.equal(aggregatedRules(other, [agg, a, b, other]), undefined);
    assert.deepEqual(aggregatedRules(agg, [agg, other]), []);
  });

  it('matchExpressions select too', () => {
    const expr: RoleObject = { metadata: { name: 'x' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/aggregate-to-monitoring', operator: 'Exists' }] }] } };
    assert.equal(aggregatedRules(expr, [expr, a])?.length, 1);
  });

  it('bootstrap admin ⊇ edit ⊇ view, converged through chained aggregation', () => {
    const roles = bootstrapClusterRoles();
    const out = aggregateAll(roles);
    const view = out.get('view')!;
    const edit = out.get('edit')!;
    const admin = out.get('admin')!;
    assert.ok(view.length > 5 && edit.length > view.length && admin.length > edit.length);
    assert.equal(covers(edit, view).covered, true);
    assert.equal(covers(admin, edit).covered, true);
    assert.equal(covers(view, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).covered, false, 'view does not read secrets');
    assert.equal(covers(edit, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).covered, true);
    assert.equal(covers(admin, [{ verbs: ['create'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'] }]).covered, true);
    assert.equal(covers(edit, [{ verbs: ['create'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'] }]).covered, false);
  });

  it('every bootstrap object is labelled and annotated; every binding names an existing role', () => {
    const roles = bootstrapClusterRoles();
    const names = new Set(roles.map((r) => r.metadata.name));
    for (const o of [...roles, ...bootstrapClusterRoleBindings()]) {
      assert.equal(o.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name);
      assert.equal(o.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', o.metadata.name);
    }
    for (const b of bootstrapClusterRoleBindings()) assert.ok(names.has(b.roleRef.name), `binding ${b.metadata.name} → ${b.roleRef.name}`);
    const byName = new Map(bootstrapClusterRoleBindings().map((b) => [b.metadata.name, b]));
    assert.deepEqual(byName.get('system:discovery')?.subjects?.map((s) => s.name), ['system:authenticated']);
    assert.deepEqual(byName.get('system:public-info-viewer')?.subjects?.map((s) => s.name), ['system:authenticated', 'system:unauthenticated']);
    assert.deepEqual(byName.get('system:controller:replicaset-controller')?.subjects, [{ kind: 'ServiceAccount', name: 'replicaset-controller', namespace: 'kube-system' }]);
  });
});
