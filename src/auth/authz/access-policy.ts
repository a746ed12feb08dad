/**
 * The EKS access-policy authorizer: EKS evaluates the access policies associated with an access
 * entry in a webhook authorizer that runs before RBAC (docs.aws.amazon.com/eks, "Associate
 * access policies with access entries"). A policy allows what its Kubernetes counterpart
 * allows — AmazonEKSClusterAdminPolicy ≈ cluster-admin, AmazonEKSAdminPolicy ≈ admin (plus
 * reading namespaces), AmazonEKSEditPolicy ≈ edit, AmazonEKSViewPolicy ≈ view,
 * AmazonEKSAdminViewPolicy ≈ reading everything, Secrets included — within its access scope:
 * the whole cluster, or the listed namespaces (a trailing `*` matches a prefix, as EKS allows).
 * No matching policy → no opinion (RBAC decides next). The rules come from the bootstrap
 * policy, not from the cluster's objects: editing ClusterRole admin does not change a policy.
 */
import type { UserInfo } from '../../api/user.js';
import type { Authorizer, AuthzAttributes, AuthzResult, ResolvedRules } from './types.js';
import { aggregateAll } from './rbac/aggregation.js';
import { bootstrapClusterRoles } from './rbac/bootstrap-policy.js';
import { ruleAllows } from './rbac/rules.js';
import type { PolicyRule } from './rbac/types.js';

export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces: string[];
}

export interface AccessPolicyAssociation {
  /** e.g. arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy */
  policyArn: string;
  accessScope: AccessScope;
}

export interface AccessPolicyAuthorizerOptions {
  /**
   * The policies associated with the access entry of this user. The EKS token authenticator puts
   * the canonical principal ARN in `user.extra.canonicalArn[0]` (see principalArnOf); the
   * composition root looks the access entry up by it.
   */
  policiesFor(user: UserInfo): AccessPolicyAssociation[] | Promise<AccessPolicyAssociation[]>;
}

/**
 * The canonical principal ARN the EKS authenticator recorded, if any: for an assumed role the
 * role's IAM ARN (`extra.arn` holds the STS session ARN, which no access entry names).
 */
export function principalArnOf(user: UserInfo): string | undefined {
  return user.extra?.canonicalArn?.[0];
}

const POLICY_ARN_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

let tables: Map<string, PolicyRule[]> | undefined;

/** Policy name → rules, built once from the bootstrap roles (admin/edit/view aggregated). */
function policyTables(): Map<string, PolicyRule[]> {
  if (tables) return tables;
  const roles = bootstrapClusterRoles();
  const aggregated = aggregateAll(roles);
  const rulesOf = (name: string): PolicyRule[] => aggregated.get(name) ?? roles.find((r) => r.metadata.name === name)?.rules ?? [];
  const readNamespaces: PolicyRule = { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] };
  tables = new Map<string, PolicyRule[]>([
    ['AmazonEKSClusterAdminPolicy', rulesOf('cluster-admin')],
    ['AmazonEKSAdminPolicy', [...rulesOf('admin'), readNamespaces]],
    ['AmazonEKSEditPolicy', rulesOf('edit')],
    ['AmazonEKSViewPolicy', rulesOf('view')],
    ['AmazonEKSAdminViewPolicy', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]],
  ]);
  return tables;
}

/** The rules of an AWS-managed access policy, by ARN or bare name; undefined when unknown. */
export function accessPolicyRules(policyArnOrName: string): PolicyRule[] | undefined {
  const name = policyArnOrName.startsWith(POLICY_ARN_PREFIX) ? policyArnOrName.slice(POLICY_ARN_PREFIX.length) : policyArnOrName;
  return policyTables().get(name);
}

/** Whether a namespace-scoped association covers `namespace` (exact, or prefix before a trailing `*`). */
export function scopeCoversNamespace(scope: AccessScope, namespace: string): boolean {
  if (scope.type === 'cluster') return true;
  if (!namespace) return false;
  return scope.namespaces.some((n) => (n.endsWith('*') ? namespace.startsWith(n.slice(0, -1)) : n === namespace));
}

/** Which rules of an association apply to a request in `namespace` ('' = cluster scope). */
function applicableRules(assoc: AccessPolicyAssociation, namespace: string, a?: AuthzAttributes): PolicyRule[] {
  const rules = accessPolicyRules(assoc.policyArn);
  if (!rules) return [];
  if (scopeCoversNamespace(assoc.accessScope, namespace)) return rules;
  // AmazonEKSAdminPolicy lets namespace-scoped admins list the namespaces (cluster-scoped).
  if (a && a.isResourceRequest && a.apiGroup === '' && a.resource === 'namespaces' && !a.subresource && assoc.policyArn.endsWith('/AmazonEKSAdminPolicy')) {
    return rules.filter((r) => r.resources?.includes('namespaces'));
  }
  return [];
}

export function accessPolicyAuthorizer(opts: AccessPolicyAuthorizerOptions): Authorizer {
  const explain = async (a: AuthzAttributes): Promise<AuthzResult> => {
    const assocs = await opts.policiesFor(a.user);
    for (const assoc of assocs) {
      // A namespace-scoped request is in scope through its namespace; requests without one only under cluster scope.
      const rules = applicableRules(assoc, a.isResourceRequest ? a.namespace : '', a);
      if (rules.some((r) => ruleAllows(a, r))) {
        return { decision: 'allow', reason: `EKS access policy: allowed by ${assoc.policyArn}` };
      }
    }
    return { decision: 'noopinion', reason: '' };
  };
  return {
    name: 'EKS access policies',
    authorize: async (a) => (await explain(a)).decision,
    explain,
    async rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules> {
      const rules: PolicyRule[] = [];
      for (const assoc of await opts.policiesFor(user)) rules.push(...applicableRules(assoc, namespace));
      return { rules, incomplete: false, errors: [] };
    },
  };
}
