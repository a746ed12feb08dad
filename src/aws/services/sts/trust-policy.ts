/**
 * Role trust-policy evaluation for STS, reduced to what decides who may assume a role:
 * statements' Effect, Action (wildcards, case-insensitive) and Principal (`"*"`, `AWS` account
 * ids / ARNs, `Federated` provider ARNs). Condition blocks are NOT evaluated: an Allow statement
 * with conditions counts as allowing (IRSA's `:sub`/`:aud` conditions are left out), a Deny
 * statement with conditions is skipped — the permissive reading, stated here so nobody relies on
 * conditions being enforced. An explicit matching Deny wins over any Allow, as in IAM's policy
 * evaluation logic.
 *
 * AWS principal matching (IAM "AWS JSON policy elements: Principal"): an account id or
 * `arn:aws:iam::A:root` trusts every principal of account A; a user or role ARN trusts that
 * identity (an assumed-role session matches the ARN of its role); `*` trusts everyone.
 */
import type { AwsPrincipal } from '../../core/types.js';

export type TrustSubject =
  | { kind: 'aws'; principal: AwsPrincipal }
  | { kind: 'federated'; providerArn: string };

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** IAM wildcard match (`*` any run, `?` one character), case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** The IAM ARNs a caller may be named by in a Principal element. */
function callerNames(p: AwsPrincipal): string[] {
  const out = [p.arn];
  if (p.type === 'assumed-role' && p.roleArn) {
    out.push(p.roleArn);
    // Principal elements name roles without their path: arn:aws:iam::A:role/R.
    const name = p.roleArn.slice(p.roleArn.lastIndexOf('/') + 1);
    out.push(`arn:aws:iam::${p.accountId}:role/${name}`);
  }
  return out;
}

function principalMatches(principal: unknown, subject: TrustSubject): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const block = principal as Record<string, unknown>;
  if (subject.kind === 'federated') return strings(block.Federated).some((f) => f === subject.providerArn);
  const p = subject.principal;
  const names = callerNames(p);
  return strings(block.AWS).some((a) =>
    a === '*' || a === p.accountId || a === `arn:aws:iam::${p.accountId}:root` || names.includes(a));
}

function actionMatches(st: Statement, action: string): boolean {
  if (st.Action !== undefined) return strings(st.Action).some((a) => wildcardMatch(a, action));
  if (st.NotAction !== undefined) return !strings(st.NotAction).some((a) => wildcardMatch(a, action));
  return false;
}

/** Whether `document` (the role's trust policy JSON) lets `subject` perform `action`. */
export function trustAllows(document: string, subject: TrustSubject, action: string): boolean {
  let parsed: unknown;
  try { parsed = JSON.parse(document); } catch { return false; }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter((s): s is Statement => s !== null && typeof s === 'object');
  let allowed = false;
  for (const st of statements) {
    if (!actionMatches(st, action) || !principalMatches(st.Principal, subject)) continue;
    if (st.Effect === 'Deny' && st.Condition === undefined) return false;
    if (st.Effect === 'Allow') allowed = true;
  }
  return allowed;
}
