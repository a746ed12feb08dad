/**
 * The answers of the authorization review APIs (k8s.io/kubernetes/pkg/registry/authorization:
 * subjectaccessreview, selfsubjectaccessreview, localsubjectaccessreview,
 * selfsubjectrulesreview) and their spec validation (pkg/apis/authorization/validation), apart
 * from HTTP: a spec and a user in, a status out. The chain is the server's whole authorizer.
 */
import type { UserInfo } from '../../api/user.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { decide } from './bootstrap.js';
import type { Authorizer, AuthzAttributes } from './types.js';
import type { PolicyRule } from './rbac/types.js';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** ValidateSubjectAccessReviewSpec (`self` skips the user/group requirement, as the self review has none). */
export function validateAccessReviewSpec(spec: AccessReviewSpec, self: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(field.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errs.push(field.invalid('spec.resourceAttributes', spec.nonResourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (!self && !spec.user && !(spec.groups ?? []).length) {
    errs.push(field.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFromSpec(user: UserInfo, spec: AccessReviewSpec): AuthzAttributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user, isResourceRequest: true, path: '', verb: ra.verb ?? '', apiGroup: ra.group ?? '', apiVersion: ra.version ?? '',
      namespace: ra.namespace ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', name: ra.name ?? '',
    };
  }
  const nr = spec.nonResourceAttributes ?? {};
  return { user, isResourceRequest: false, path: nr.path ?? '', verb: nr.verb ?? '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

/** The user a SubjectAccessReview asks about (spec.user, groups, uid, extra). */
export function userFromSpec(spec: AccessReviewSpec): UserInfo {
  const u: UserInfo = { username: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) u.uid = spec.uid;
  if (spec.extra) u.extra = spec.extra;
  return u;
}

/** The review's status: allowed / denied / reason / evaluationError from the whole chain. */
export async function accessReviewStatus(chain: Authorizer[], a: AuthzAttributes): Promise<AccessReviewStatus> {
  const r = await decide(chain, a);
  const status: AccessReviewStatus = { allowed: r.decision === 'allow' };
  if (r.decision === 'deny') status.denied = true;
  if (r.reason) status.reason = r.reason;
  if (r.evaluationError) status.evaluationError = r.evaluationError;
  return status;
}

export interface ResourceRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }
export interface NonResourceRule { verbs: string[]; nonResourceURLs?: string[] }
export interface RulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

const nonEmpty = (xs: string[] | undefined): string[] | undefined => (xs && xs.length ? [...xs] : undefined);

/** A rule split into its resource and non-resource halves (rbac.go RulesFor), empty lists left out. */
function splitRule(rule: PolicyRule, res: ResourceRule[], nonRes: NonResourceRule[]): void {
  if (rule.resources?.length) {
    const r: ResourceRule = { verbs: [...rule.verbs] };
    const g = nonEmpty(rule.apiGroups); if (g) r.apiGroups = g;
    r.resources = [...rule.resources];
    const n = nonEmpty(rule.resourceNames); if (n) r.resourceNames = n;
    res.push(r);
  }
  if (rule.nonResourceURLs?.length) nonRes.push({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs] });
}

/** SelfSubjectRulesReview: the union of every RuleResolver in the chain (authorizer union.go RulesFor). */
export async function rulesReviewStatus(chain: Authorizer[], user: UserInfo, namespace: string): Promise<RulesReviewStatus> {
  const status: RulesReviewStatus = { resourceRules: [], nonResourceRules: [], incomplete: false };
  const errors: string[] = [];
  for (const z of chain) {
    if (!z.rulesFor) continue;
    const got = await z.rulesFor(user, namespace);
    for (const rule of got.rules) splitRule(rule, status.resourceRules, status.nonResourceRules);
    if (got.incomplete) status.incomplete = true;
    errors.push(...got.errors);
  }
  if (errors.length) status.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return status;
}
