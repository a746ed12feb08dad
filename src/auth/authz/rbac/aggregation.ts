/**
 * ClusterRole aggregation, as k8s.io/kubernetes/pkg/controller/clusterroleaggregation: a
 * ClusterRole with an aggregationRule gets the union of the rules of every other ClusterRole
 * one of its clusterRoleSelectors matches, taken in name order, each distinct rule once.
 */
import { labelSelectorFromMeta, type LabelSelector } from '../../../apimachinery/labels.js';
import type { PolicyRule, RoleObject } from './types.js';

function selectorsOf(role: RoleObject): LabelSelector[] {
  const out: LabelSelector[] = [];
  for (const s of role.aggregationRule?.clusterRoleSelectors ?? []) {
    try { out.push(labelSelectorFromMeta(s)); } catch { /* an invalid selector selects nothing (the controller logs and skips it) */ }
  }
  return out;
}

/** Semantic equality of two rules (field by field, order-sensitive, absent = empty). */
export function ruleEquals(a: PolicyRule, b: PolicyRule): boolean {
  const eq = (x: readonly string[] | undefined, y: readonly string[] | undefined) => {
    const xs = x ?? [];
    const ys = y ?? [];
    return xs.length === ys.length && xs.every((v, i) => v === ys[i]);
  };
  return eq(a.verbs, b.verbs) && eq(a.apiGroups, b.apiGroups) && eq(a.resources, b.resources)
    && eq(a.resourceNames, b.resourceNames) && eq(a.nonResourceURLs, b.nonResourceURLs);
}

/** The rules an aggregated ClusterRole should hold, given every ClusterRole; undefined if it does not aggregate. */
export function aggregatedRules(role: RoleObject, all: Iterable<RoleObject>): PolicyRule[] | undefined {
  if (!role.aggregationRule) return undefined;
  const selectors = selectorsOf(role);
  const picked = [...all]
    .filter((r) => r.metadata.name !== role.metadata.name && selectors.some((s) => s.matches(r.metadata.labels ?? {})))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: PolicyRule[] = [];
  for (const r of picked) for (const rule of r.rules ?? []) if (!rules.some((x) => ruleEquals(x, rule))) rules.push(rule);
  return rules;
}

/** Whether a role's stored rules already equal `rules`. */
export function rulesEqual(a: readonly PolicyRule[] | null | undefined, b: readonly PolicyRule[]): boolean {
  const xs = a ?? [];
  return xs.length === b.length && xs.every((r, i) => ruleEquals(r, b[i] as PolicyRule));
}

/**
 * Aggregates a set of ClusterRoles to a fixed point (aggregated roles feeding other aggregated
 * roles, as edit feeds admin): what the controller converges to after its repeated syncs.
 * Returns the roles whose rules changed, with their new rules.
 */
export function aggregateAll(roles: RoleObject[]): Map<string, PolicyRule[]> {
  const current = new Map(roles.map((r) => [r.metadata.name ?? '', r]));
  const changed = new Map<string, PolicyRule[]>();
  for (let pass = 0; pass < 10; pass++) {
    let any = false;
    for (const r of current.values()) {
      const want = aggregatedRules(r, current.values());
      if (!want || rulesEqual(r.rules, want)) continue;
      const next = { ...r, rules: want };
      current.set(r.metadata.name ?? '', next);
      changed.set(r.metadata.name ?? '', want);
      any = true;
    }
    if (!any) break;
  }
  return changed;
}
