/**
 * Authorization (k8s.io/apiserver/pkg/authorization/authorizer): attributes of a request and a
 * chain of authorizers, each allowing, denying or having no opinion (with a reason, as
 * authorizer.Authorize returns one). Authorizers that can list a user's rules also implement
 * RuleResolver (SelfSubjectRulesReview), as authorizer.RuleResolver.
 */
import type { UserInfo } from '../../api/user.js';
import type { PolicyRule } from './rbac/types.js';

export interface AuthzAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'noopinion';

/** A decision with upstream's reason text ("RBAC: allowed by …") and evaluation error, if any. */
export interface AuthzResult {
  decision: Decision;
  reason: string;
  evaluationError?: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(a: AuthzAttributes): Decision | Promise<Decision>;
  /** The decision with its reason; authorizers without one answer reason ''. */
  explain?(a: AuthzAttributes): AuthzResult | Promise<AuthzResult>;
  /** RuleResolver: the rules this authorizer grants the user in a namespace. */
  rulesFor?(user: UserInfo, namespace: string): ResolvedRules | Promise<ResolvedRules>;
}

/** What a RuleResolver answers: resource and non-resource rules, whether the list is complete. */
export interface ResolvedRules {
  rules: PolicyRule[];
  incomplete: boolean;
  errors: string[];
}
