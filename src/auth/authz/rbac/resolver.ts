/**
 * Which rules apply to a user, as k8s.io/kubernetes/pkg/registry/rbac/validation/rule.go
 * DefaultRuleResolver: every ClusterRoleBinding naming the user, then (for a namespaced request)
 * every RoleBinding of that namespace naming the user; each binding contributes the rules of the
 * Role or ClusterRole it references. A binding to a missing role contributes an error, not rules.
 */
import type { UserInfo } from '../../../api/user.js';
import type { BindingObject, PolicyRule, RbacReader, RoleRef, RuleSource, Subject } from './types.js';

const SA_PREFIX = 'system:serviceaccount:';

/** appliesToUser (rule.go): User by name, Group by membership, ServiceAccount by its user name. */
export function subjectAppliesTo(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User': return user.username === s.name;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      if (!ns) return false;
      return user.username === `${SA_PREFIX}${ns}:${s.name}`;
    }
    default: return false;
  }
}

function appliesTo(user: UserInfo, b: BindingObject, namespace: string): Subject | undefined {
  for (const s of b.subjects ?? []) if (subjectAppliesTo(user, s, namespace)) return s;
  return undefined;
}

/** GetRoleReferenceRules; the error text is the lister's NotFound (singular resource, as upstream). */
export function roleReferenceRules(reader: RbacReader, ref: RoleRef, namespace: string): { rules: PolicyRule[] } | { error: string } {
  if (ref.kind === 'ClusterRole') {
    const r = reader.getClusterRole(ref.name);
    return r ? { rules: r.rules ?? [] } : { error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` };
  }
  if (ref.kind === 'Role') {
    const r = reader.getRole(namespace, ref.name);
    return r ? { rules: r.rules ?? [] } : { error: `role.rbac.authorization.k8s.io "${ref.name}" not found` };
  }
  return { error: `unsupported role reference kind: "${ref.kind}"` };
}

/**
 * VisitRulesFor: calls `visit` with each applicable rule (or an error); stops when it returns false.
 */
export function visitRulesFor(
  reader: RbacReader, user: UserInfo, namespace: string,
  visit: (source: RuleSource | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean,
): void {
  for (const b of reader.clusterRoleBindings()) {
    const subject = appliesTo(user, b, '');
    if (!subject) continue;
    const got = roleReferenceRules(reader, b.roleRef, '');
    if ('error' in got) { if (!visit(undefined, undefined, got.error)) return; continue; }
    const source: RuleSource = { bindingKind: 'ClusterRoleBinding', bindingName: b.metadata.name ?? '', bindingNamespace: '', roleKind: b.roleRef.kind, roleName: b.roleRef.name, subject };
    for (const rule of got.rules) if (!visit(source, rule, undefined)) return;
  }
  if (!namespace) return;
  for (const b of reader.roleBindings(namespace)) {
    const subject = appliesTo(user, b, namespace);
    if (!subject) continue;
    const got = roleReferenceRules(reader, b.roleRef, namespace);
    if ('error' in got) { if (!visit(undefined, undefined, got.error)) return; continue; }
    const source: RuleSource = { bindingKind: 'RoleBinding', bindingName: b.metadata.name ?? '', bindingNamespace: namespace, roleKind: b.roleRef.kind, roleName: b.roleRef.name, subject };
    for (const rule of got.rules) if (!visit(source, rule, undefined)) return;
  }
}

/** RulesFor: every rule that applies, plus the resolution errors met on the way. */
export function rulesFor(reader: RbacReader, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(reader, user, namespace, (_s, rule, err) => {
    if (rule) rules.push(rule);
    if (err) errors.push(err);
    return true;
  });
  return { rules, errors };
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

/** The allow reason's binding description (rbac.go clusterRoleBindingDescriber / roleBindingDescriber). */
export function describeSource(s: RuleSource): string {
  const name = s.bindingKind === 'RoleBinding' ? `${s.bindingName}/${s.bindingNamespace}` : s.bindingName;
  return `${s.bindingKind} "${name}" of ${s.roleKind} "${s.roleName}" to ${describeSubject(s.subject, s.bindingNamespace)}`;
}
