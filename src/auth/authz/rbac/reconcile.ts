/**
 * Reconciling a stored bootstrap object with its bootstrap definition, as
 * pkg/registry/rbac/reconciliation (computeReconciledRole / computeReconciledRoleBinding) does
 * for the RBAC post-start hook: unless annotated rbac.authorization.kubernetes.io/autoupdate=false,
 * missing labels and annotations are added, missing rules (and aggregation selectors) are
 * appended, and missing subjects are added. Nothing is ever removed. Returns the object to
 * write, or undefined when the stored one already holds everything.
 */
import { covers } from './covers.js';
import type { BindingObject, PolicyRule, RoleObject, Subject } from './types.js';

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

function autoupdateDisabled(o: { metadata: { annotations?: Record<string, string> } }): boolean {
  return o.metadata.annotations?.[AUTOUPDATE] === 'false';
}

function mergedMaps(have: Record<string, string> | undefined, want: Record<string, string> | undefined): Record<string, string> | undefined {
  const missing = Object.entries(want ?? {}).filter(([k]) => !(have && k in have));
  return missing.length ? { ...(have ?? {}), ...Object.fromEntries(missing) } : undefined;
}

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);

/** Whether `have` begins with rules identical to `want` (field by field, in order): then it covers them. */
function startsWithRules(have: readonly PolicyRule[], want: readonly PolicyRule[]): boolean {
  return want.length <= have.length && want.every((w, i) => {
    const h = have[i];
    return sameStrings(h.verbs, w.verbs) && sameStrings(h.apiGroups, w.apiGroups) && sameStrings(h.resources, w.resources)
      && sameStrings(h.resourceNames, w.resourceNames) && sameStrings(h.nonResourceURLs, w.nonResourceURLs);
  });
}

export function reconcileRole<T extends RoleObject>(existing: T, expected: RoleObject): T | undefined {
  if (autoupdateDisabled(existing)) return undefined;
  // Cloned only when something changes (a restart usually changes nothing).
  let out: T | undefined;
  const edit = (): T => (out ??= structuredClone(existing));
  const labels = mergedMaps(existing.metadata.labels, expected.metadata.labels);
  if (labels) edit().metadata.labels = labels;
  const annotations = mergedMaps(existing.metadata.annotations, expected.metadata.annotations);
  if (annotations) edit().metadata.annotations = annotations;
  const wantSelectors = expected.aggregationRule?.clusterRoleSelectors ?? [];
  if (wantSelectors.length) {
    const have = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const add = wantSelectors.filter((w) => !have.some((h) => JSON.stringify(h) === JSON.stringify(w)));
    if (add.length) edit().aggregationRule = { clusterRoleSelectors: [...have, ...add] };
  } else {
    // Rules of aggregated roles belong to the aggregation controller; others gain what they lack.
    // A stored role that starts with exactly the expected rules covers them: every restart finds
    // the bootstrap roles so, and skips the rule breakdown (≈ 10 ms for the whole policy).
    const have = existing.rules ?? [];
    const want = expected.rules ?? [];
    if (!startsWithRules(have, want)) {
      const { covered, missing } = covers(have, want);
      if (!covered) edit().rules = [...have, ...missing];
    }
  }
  return out;
}

const sameSubject = (a: Subject, b: Subject) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

export function reconcileBinding<T extends BindingObject>(existing: T, expected: BindingObject): T | undefined {
  if (autoupdateDisabled(existing)) return undefined;
  // A binding whose roleRef differs is left alone (upstream deletes and recreates it; keks does not yet).
  if (existing.roleRef?.name !== expected.roleRef.name || existing.roleRef?.kind !== expected.roleRef.kind) return undefined;
  let changed = false;
  const out: T = structuredClone(existing);
  const labels = mergedMaps(existing.metadata.labels, expected.metadata.labels);
  if (labels) { out.metadata.labels = labels; changed = true; }
  const annotations = mergedMaps(existing.metadata.annotations, expected.metadata.annotations);
  if (annotations) { out.metadata.annotations = annotations; changed = true; }
  const add = (expected.subjects ?? []).filter((w) => !(existing.subjects ?? []).some((h) => sameSubject(h, w)));
  if (add.length) { out.subjects = [...(existing.subjects ?? []), ...add]; changed = true; }
  return changed ? out : undefined;
}
