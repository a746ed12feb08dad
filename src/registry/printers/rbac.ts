/**
 * rbac.authorization.k8s.io printers: rolebindings and clusterrolebindings (NAME ROLE AGE; wide
 * USERS GROUPS SERVICEACCOUNTS), as printRoleBinding / printClusterRoleBinding with
 * rbac.SubjectsStrings (Kubernetes 1.32). Roles and clusterroles have no handler: their stores
 * use the default table convertor (NAME CREATED AT).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import type { DocKey } from './descriptions.js';

interface BindingLike extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: Array<{ kind?: string; name?: string; namespace?: string }>;
}

function bindingCells(obj: KubeObject, ctx: { now: Date }): Array<string> {
  const b = obj as BindingLike;
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of b.subjects ?? []) {
    switch (s.kind) {
      case 'ServiceAccount': sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`); break;
      case 'User': users.push(s.name ?? ''); break;
      case 'Group': groups.push(s.name ?? ''); break;
    }
  }
  return [
    nameOf(b), `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, ageOf(b, ctx),
    users.join(', '), groups.join(', '), sas.join(', '),
  ];
}

function bindingPrinter(roleRefDoc: DocKey, what: string): TablePrinter {
  return {
    columns: columns(
      NAME,
      docCol('Role', 'string', roleRefDoc),
      AGE,
      col('Users', 'string', `Users in the ${what}`, { priority: 1 }),
      col('Groups', 'string', `Groups in the ${what}`, { priority: 1 }),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, { priority: 1 }),
    ),
    cells: bindingCells,
  };
}

export const roleBindingPrinter = bindingPrinter('rbac/v1beta1 RoleBinding.roleRef', 'roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('rbac/v1beta1 ClusterRoleBinding.roleRef', 'clusterRoleBinding');
