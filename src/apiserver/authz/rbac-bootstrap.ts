/**
 * The RBAC post-start hook's bootstrap step (pkg/registry/rbac/rest/storage_rbac.go
 * PostStartHook): every bootstrap ClusterRole and ClusterRoleBinding that does not exist yet is
 * created; existing ones gain what they lack (rules, subjects, labels, annotations) unless
 * annotated rbac.authorization.kubernetes.io/autoupdate=false (reconcile.ts).
 * Aggregated roles (admin, edit, view) are created with their aggregated rules already filled in,
 * so they grant access before the aggregation pass has run.
 */
import type { Registry } from '../../registry/registry.js';
import type { KubeObject } from '../../api/types.js';
import { isStatusError } from '../../apimachinery/errors.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../../auth/authz/rbac/bootstrap-policy.js';
import { aggregateAll } from '../../auth/authz/rbac/aggregation.js';
import { reconcileBinding, reconcileRole } from '../../auth/authz/rbac/reconcile.js';
import type { BindingObject, RoleObject } from '../../auth/authz/rbac/types.js';

const GROUP = 'rbac.authorization.k8s.io';

export async function ensureBootstrapPolicy(registry: Registry): Promise<{ created: number; updated: number }> {
  const roles = bootstrapClusterRoles();
  for (const [name, rules] of aggregateAll(roles)) {
    const role = roles.find((r) => r.metadata.name === name);
    if (role) role.rules = rules;
  }
  let created = 0;
  let updated = 0;
  const ensure = async (resource: string, objs: KubeObject[], reconcile: (have: KubeObject, want: KubeObject) => KubeObject | undefined) => {
    const store = registry.storeOf(GROUP, resource);
    const existing = new Map((await store.list('', { filter: { everything: true, matches: () => true } })).items.map((i) => [i.object().metadata.name, i.object()]));
    // Concurrent writes: the SQLite store commits them in a few group commits instead of one each.
    await Promise.all(objs.map(async (obj) => {
      const name = obj.metadata.name as string;
      const have = existing.get(name);
      try {
        if (!have) {
          await store.create('', obj);
          created++;
        } else if (reconcile(have, obj)) {
          await store.update('', name, (cur) => (cur && reconcile(cur, obj)) || (cur as KubeObject));
          updated++;
        }
      } catch (e) {
        if (!(isStatusError(e) && e.code === 409)) throw e;
      }
    }));
  };
  await Promise.all([
    ensure('clusterroles', roles as unknown as KubeObject[],
      (have, want) => reconcileRole(have as unknown as RoleObject, want as unknown as RoleObject) as unknown as KubeObject | undefined),
    ensure('clusterrolebindings', bootstrapClusterRoleBindings() as unknown as KubeObject[],
      (have, want) => reconcileBinding(have as unknown as BindingObject, want as unknown as BindingObject) as unknown as KubeObject | undefined),
  ]);
  return { created, updated };
}
