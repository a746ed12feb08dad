/**
 * The impersonation filter (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): a request
 * carrying Impersonate-User (and optionally Impersonate-Group, Impersonate-Uid,
 * Impersonate-Extra-<key>) acts as that user once the authenticated requester is allowed the
 * `impersonate` verb on each of them — users, groups, serviceaccounts (a
 * system:serviceaccount:<ns>:<name> user), authentication.k8s.io userextras/<key> and uids.
 * A refusal is the usual 403 naming the impersonated object.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../../api/user.js';
import { internalError } from '../../apimachinery/errors.js';
import { authorize } from '../../auth/authz/bootstrap.js';
import type { Authorizer, AuthzAttributes } from '../../auth/authz/types.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const SA_PREFIX = 'system:serviceaccount:';

function headerValues(req: IncomingMessage, name: string): string[] {
  const distinct = (req as IncomingMessage & { headersDistinct?: Record<string, string[] | undefined> }).headersDistinct;
  if (distinct) return distinct[name] ?? [];
  const v = req.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** serviceaccount.SplitUsername: `system:serviceaccount:<ns>:<name>` → [ns, name]. */
function splitServiceAccount(username: string): [string, string] | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return [parts[0], parts[1]];
}

/** Whether the request asks to impersonate anybody. */
export function wantsImpersonation(req: IncomingMessage): boolean {
  return Object.keys(req.headers).some((h) => h === USER || h === GROUP || h === UID || h.startsWith(EXTRA_PREFIX));
}

/** The user the request acts as: the requester, or the impersonated user once every part is authorized. */
export async function impersonatedUser(req: IncomingMessage, requester: UserInfo, chain: Authorizer[]): Promise<UserInfo> {
  if (!wantsImpersonation(req)) return requester;
  const username = headerValues(req, USER)[0] ?? '';
  const groupsRequested = headerValues(req, GROUP);
  const uid = headerValues(req, UID)[0] ?? '';
  const extras: Array<[string, string]> = [];
  for (const h of Object.keys(req.headers)) {
    if (!h.startsWith(EXTRA_PREFIX)) continue;
    let key = h.slice(EXTRA_PREFIX.length);
    try { key = decodeURIComponent(key); } catch { /* kept as sent */ }
    for (const v of headerValues(req, h)) extras.push([key, v]);
  }
  if (!username) {
    const what = [...groupsRequested.map((g) => `Group ${g}`), ...extras.map(([k, v]) => `UserExtra ${k}=${v}`), ...(uid ? [`UID ${uid}`] : [])];
    throw internalError(new Error(`requested [${what.join(' ')}] without impersonating a user`));
  }
  const base = { user: requester, verb: 'impersonate', isResourceRequest: true, path: req.url ?? '', apiVersion: '', subresource: '', namespace: '', apiGroup: '' };
  const checks: AuthzAttributes[] = [];
  let groups: string[] = [];
  const sa = splitServiceAccount(username);
  if (sa) {
    checks.push({ ...base, resource: 'serviceaccounts', namespace: sa[0], name: sa[1] });
    if (groupsRequested.length === 0) groups = ['system:serviceaccounts', `system:serviceaccounts:${sa[0]}`];
  } else {
    checks.push({ ...base, resource: 'users', name: username });
  }
  for (const g of groupsRequested) {
    checks.push({ ...base, resource: 'groups', name: g });
    groups.push(g);
  }
  const extra: Record<string, string[]> = {};
  for (const [k, v] of extras) {
    checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v });
    (extra[k] ??= []).push(v);
  }
  if (uid) checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  for (const a of checks) await authorize(chain, a);

  if (username !== 'system:anonymous') {
    if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated');
  } else if (!groups.includes('system:unauthenticated')) {
    groups.push('system:unauthenticated');
  }
  const out: UserInfo = { username, groups };
  if (uid) out.uid = uid;
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}
