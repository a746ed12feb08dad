/**
 * The authentication filter: the first authenticator that recognises credentials decides.
 * Requests without credentials are anonymous only on the paths kube-apiserver 1.32 leaves open
 * to anonymous users by default (the anonymous endpoints of AuthenticationConfiguration, which
 * system:public-info-viewer covers); elsewhere they get 401.
 */
import type { IncomingMessage } from 'node:http';
import { unauthorized } from '../../apimachinery/errors.js';
import { ANONYMOUS, type UserInfo } from '../../api/user.js';
import type { Authenticator } from './types.js';

const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export function anonymousAllowed(path: string): boolean {
  if (ANONYMOUS_PATHS.has(path)) return true;
  return path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/');
}

export async function authenticate(chain: Authenticator[], req: IncomingMessage, path: string): Promise<UserInfo> {
  for (const a of chain) {
    const u = await a.authenticate(req);
    if (u) return u;
  }
  if (anonymousAllowed(path)) return ANONYMOUS;
  throw unauthorized();
}
