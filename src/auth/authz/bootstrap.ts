/**
 * The authorizers every cluster starts with: system:masters may do anything (kube-apiserver's
 * privileged group), and the non-resource URLs of the bootstrap ClusterRoles
 * system:public-info-viewer and system:discovery, both granted to everyone who reaches them
 * (anonymous users included: authentication lets them reach exactly these paths).
 */
import { forbidden, StatusError } from '../../apimachinery/errors.js';
import type { Authorizer, AuthzAttributes, Decision } from './types.js';

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

export async function authorize(chain: Authorizer[], a: AuthzAttributes): Promise<void> {
  for (const z of chain) {
    const d = await z.authorize(a);
    if (d === 'allow') return;
    if (d === 'deny') break;
  }
  throw forbiddenFor(a);
}

/** RBAC's wording: `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenFor(a: AuthzAttributes): StatusError {
  const who = `User "${a.user.username}"`;
  if (!a.isResourceRequest) {
    return new StatusError(403, 'Forbidden', `forbidden: ${who} cannot ${a.verb} path "${a.path}"`, {});
  }
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return forbidden({ group: a.apiGroup, resource: res }, a.name, `${who} cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}"${where}`);
}
