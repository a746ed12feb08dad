/**
 * The RBAC objects as the authorizer reads them (k8s.io/api/rbac/v1): only the fields that
 * decide access. Objects from the registry are structurally compatible (extra fields ignored).
 */

/** rbacv1.PolicyRule. Absent lists are empty lists. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** rbacv1.Subject: kind User | Group | ServiceAccount. */
export interface Subject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

/** rbacv1.RoleRef: kind Role | ClusterRole. */
export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface RbacMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** metav1.LabelSelector as the aggregation rule writes it. */
export interface RbacLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Role or ClusterRole. */
export interface RoleObject {
  metadata: RbacMeta;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: RbacLabelSelector[] } | null;
}

/** RoleBinding or ClusterRoleBinding. */
export interface BindingObject {
  metadata: RbacMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

/** Where a rule came from, for review reasons ("RBAC: allowed by …"). */
export interface RuleSource {
  bindingKind: 'ClusterRoleBinding' | 'RoleBinding';
  bindingName: string;
  bindingNamespace: string;
  roleKind: string;
  roleName: string;
  subject: Subject;
}

/**
 * What a rule resolver reads (rbac.go's RoleGetter, RoleBindingLister, ClusterRoleGetter,
 * ClusterRoleBindingLister). Implemented by the in-memory RbacIndex.
 */
export interface RbacReader {
  getRole(namespace: string, name: string): RoleObject | undefined;
  getClusterRole(name: string): RoleObject | undefined;
  roleBindings(namespace: string): Iterable<BindingObject>;
  clusterRoleBindings(): Iterable<BindingObject>;
}
