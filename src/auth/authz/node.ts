/**
 * A simplified Node authorizer (plugin/pkg/auth/authorizer/node): kubelets — users named
 * `system:node:<nodeName>` in group system:nodes — get the rules of the bootstrap system:node
 * ClusterRole (whose binding names nobody since 1.8: upstream grants nodes their rights through
 * this authorizer). Upstream further limits each node to the objects of its own pods (the graph);
 * that restriction is not modelled here.
 */
import type { Authorizer, AuthzAttributes, Decision, ResolvedRules } from './types.js';
import type { UserInfo } from '../../api/user.js';
import { bootstrapClusterRoles } from './rbac/bootstrap-policy.js';
import { ruleAllows } from './rbac/rules.js';
import type { PolicyRule } from './rbac/types.js';

let nodeRules: PolicyRule[] | undefined;
const rules = (): PolicyRule[] => (nodeRules ??= bootstrapClusterRoles().find((r) => r.metadata.name === 'system:node')?.rules ?? []);

function isNode(user: UserInfo): boolean {
  return user.groups.includes('system:nodes') && user.username.startsWith('system:node:');
}

export const nodeAuthorizer: Authorizer = {
  name: 'Node',
  authorize(a: AuthzAttributes): Decision {
    if (!isNode(a.user)) return 'noopinion';
    return rules().some((r) => ruleAllows(a, r)) ? 'allow' : 'noopinion';
  },
  rulesFor(user: UserInfo): ResolvedRules {
    return { rules: isNode(user) ? rules() : [], incomplete: false, errors: [] };
  },
};
