/**
 * The authentication filter: the first authenticator that recognises credentials decides.
 * Requests without credentials are anonymous only where anonymous users get anything: health,
 * version (system:public-info-viewer) and discovery (system:discovery: /api, /apis and their
 * group/version documents, /openapi) — the anonymous endpoints of an AuthenticationConfiguration
 * that lists exactly those. Everything else, every resource request included, is 401.
 */
import type { IncomingMessage } from 'node:http';
import { unauthorized } from '../../apimachinery/errors.js';
import { ANONYMOUS, type UserInfo } from '../../api/user.js';
import type { Authenticator } from './types.js';

const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

/** `isResourceRequest` separates /api/v1 (discovery) from /api/v1/pods (a resource). */
export function anonymousAllowed(path: string, isResourceRequest: boolean): boolean {
  if (ANONYMOUS_PATHS.has(path)) return true;
  if (path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) return true;
  if (isResourceRequest) return false;
  return path === '/api' || path === '/apis' || path.startsWith('/api/') || path.startsWith('/apis/') || path === '/openapi' || path.startsWith('/openapi/');
}

export async function authenticate(chain: Authenticator[], req: IncomingMessage, path: string, isResourceRequest: boolean): Promise<UserInfo> {
  for (const a of chain) {
    const u = await a.authenticate(req);
    if (u) return u;
  }
  if (anonymousAllowed(path, isResourceRequest)) return ANONYMOUS;
  throw unauthorized();
}
