/** rbac.authorization.k8s.io/v1 defaults (pkg/apis/rbac/v1/defaults.go). */
import { itemsOf, struct, isEmptyString, type Obj } from './util.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** SetDefaults_Subject: User and Group subjects are RBAC's; a ServiceAccount is core (""). */
function defaultSubjects(binding: Obj): void {
  for (const s of itemsOf(binding.subjects)) {
    if (!isEmptyString(s.apiGroup)) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding: roleRef.apiGroup, then each subject. */
export function defaultRoleBinding(binding: Obj): void {
  const roleRef = struct(binding, 'roleRef');
  if (isEmptyString(roleRef.apiGroup)) roleRef.apiGroup = RBAC_GROUP;
  defaultSubjects(binding);
}
