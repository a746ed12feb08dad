/**
 * Rule evaluation, as k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go: a rule allows a
 * request when its verb, API group, resource (`*`, exact `resource/subresource`, or
 * `*\/subresource`) and resource name match — or, for non-resource requests, its verb and URL
 * (exact, `*`, or a prefix ending in `*`). Upstream has no `resource/*` wildcard: such an entry
 * matches only the literal string, and so it does here.
 */
import type { PolicyRule } from './types.js';

/** The request facts a rule is checked against (a subset of authorizer.Attributes). */
export interface RuleRequest {
  isResourceRequest: boolean;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
}

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/** `combined` is `resource` or `resource/subresource`. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** rbacv1helpers.RuleAllows. */
export function ruleAllows(req: RuleRequest, rule: PolicyRule): boolean {
  if (req.isResourceRequest) {
    const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
    return verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup)
      && resourceMatches(rule, combined, req.subresource) && resourceNameMatches(rule, req.name);
  }
  return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path);
}

export function rulesAllow(req: RuleRequest, rules: readonly PolicyRule[]): boolean {
  return rules.some((r) => ruleAllows(req, r));
}
