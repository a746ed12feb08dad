/**
 * The RBAC authorizer (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/rbac.go): allow when
 * any rule bound to the user allows the request, otherwise no opinion (RBAC never denies).
 * The no-opinion reason carries rule resolution errors (`RBAC: clusterrole… not found`), which
 * kube-apiserver appends to the 403 message.
 */
import type { UserInfo } from '../../../api/user.js';
import type { Authorizer, AuthzAttributes, AuthzResult, ResolvedRules } from '../types.js';
import { ruleAllows } from './rules.js';
import { describeSource, rulesFor, visitRulesFor } from './resolver.js';
import type { RbacReader, RuleSource } from './types.js';

export interface RbacAuthorizerOptions {
  /** The RBAC objects (an RbacIndex kept current from the registry). */
  reader: RbacReader;
}

export function rbacAuthorizer(opts: RbacAuthorizerOptions): Authorizer {
  const explain = (a: AuthzAttributes): AuthzResult => {
    let allowedBy: RuleSource | undefined;
    const errors: string[] = [];
    visitRulesFor(opts.reader, a.user, a.namespace, (source, rule, err) => {
      if (err) { errors.push(err); return true; }
      if (rule && ruleAllows(a, rule)) { allowedBy = source; return false; }
      return true;
    });
    if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${describeSource(allowedBy)}` };
    // utilerrors.NewAggregate: one error alone, several as "[a, b]".
    const agg = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return { decision: 'noopinion', reason: errors.length ? `RBAC: ${agg}` : '' };
  };
  return {
    name: 'RBAC',
    authorize: (a) => explain(a).decision,
    explain,
    rulesFor(user: UserInfo, namespace: string): ResolvedRules {
      const r = rulesFor(opts.reader, user, namespace);
      // rbac.go RulesFor: never incomplete; resolution errors become the review's evaluationError.
      return { rules: r.rules, errors: r.errors, incomplete: false };
    },
  };
}
