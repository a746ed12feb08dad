/**
 * RBAC escalation prevention, as k8s.io/kubernetes/pkg/registry/rbac/validation
 * (ConfirmNoEscalation) and pkg/registry/rbac/escalation_check.go: a user may write a role (or
 * a binding to it) only with rules the user already holds — unless in system:masters, or
 * allowed the `escalate` verb on the role (`bind` on the referenced role, for bindings).
 */
import type { UserInfo } from '../../../api/user.js';
import { compactRules, compactString, covers, goQuotedList } from './covers.js';
import type { PolicyRule } from './types.js';

export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';

/** EscalationAllowed: system:masters is the API server's own privileged loopback group. */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_PRIVILEGED_GROUP);
}

/** The full authority an aggregationRule requires (`*` on `*.*` and on every URL). */
export const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/**
 * ConfirmNoEscalation: undefined when `owner` (the user's rules in the request's namespace)
 * covers `requested`; otherwise upstream's message naming the missing rules, compacted and
 * sorted, one per line, with resolution errors appended.
 */
export function escalationMessage(user: UserInfo, owner: readonly PolicyRule[], requested: readonly PolicyRule[], resolutionErrors: readonly string[] = []): string | undefined {
  const { covered, missing } = covers(owner, requested);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user "${user.username}" (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (resolutionErrors.length) msg += `; resolution errors: [${resolutionErrors.join(' ')}]`;
  return msg;
}
