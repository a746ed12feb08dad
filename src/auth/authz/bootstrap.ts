/**
 * The authorizer chain's fixed parts: system:masters may do anything (kube-apiserver's
 * privileged group), the chain walk itself (k8s.io/apiserver/pkg/authorization/union), the
 * 403 wording (endpoints/handlers/responsewriters.ForbiddenStatusError), and a last fallback for
 * the non-resource URLs of system:public-info-viewer and system:discovery, which keeps health,
 * version and discovery reachable for everyone who gets through authentication even before the
 * bootstrap ClusterRoleBindings exist (authentication lets anonymous users reach only these).
 */
import { forbidden, StatusError } from '../../apimachinery/errors.js';
import type { Authorizer, AuthzAttributes, AuthzResult, Decision } from './types.js';

export const mastersAuthorizer: Authorizer = {
  name: 'system:masters',
  authorize: (a) => (a.user.groups.includes('system:masters') ? 'allow' : 'noopinion'),
};

const PUBLIC_INFO = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const DISCOVERY = ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', ...PUBLIC_INFO];

function pathMatches(patterns: string[], path: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p));
}

export const publicInfoAuthorizer: Authorizer = {
  name: 'bootstrap-nonresource',
  authorize(a: AuthzAttributes): Decision {
    if (a.isResourceRequest || a.verb !== 'get' && a.verb !== 'head') return 'noopinion';
    if (pathMatches(PUBLIC_INFO, a.path)) return 'allow';
    if (pathMatches(DISCOVERY, a.path)) return 'allow';
    return 'noopinion';
  },
};

/**
 * The union of the chain: the first allow or deny decides; reasons of the authorizers that had
 * no opinion are joined with newlines (union.go).
 */
export async function decide(chain: Authorizer[], a: AuthzAttributes): Promise<AuthzResult> {
  const reasons: string[] = [];
  const errors: string[] = [];
  for (const z of chain) {
    const r: AuthzResult = z.explain ? await z.explain(a) : { decision: await z.authorize(a), reason: '' };
    if (r.decision !== 'noopinion') return r;
    if (r.reason) reasons.push(r.reason);
    if (r.evaluationError) errors.push(r.evaluationError);
  }
  return { decision: 'noopinion', reason: reasons.join('\n'), evaluationError: errors.length ? errors.join(', ') : undefined };
}

/** The authorization filter: allowed, or a 403 with RBAC's wording and the chain's reasons. */
export async function authorize(chain: Authorizer[], a: AuthzAttributes): Promise<void> {
  const r = await decide(chain, a);
  if (r.decision === 'allow') return;
  throw forbiddenFor(a, r.reason);
}

/**
 * RBAC's wording: `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"`,
 * followed by `: <reason>` when the authorizers gave one.
 */
export function forbiddenFor(a: AuthzAttributes, reason = ''): StatusError {
  const who = `User "${a.user.username}"`;
  const tail = reason ? `: ${reason}` : '';
  if (!a.isResourceRequest) {
    return new StatusError(403, 'Forbidden', `forbidden: ${who} cannot ${a.verb} path "${a.path}"${tail}`, {});
  }
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return forbidden({ group: a.apiGroup, resource: res }, a.name, `${who} cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}"${where}${tail}`);
}
