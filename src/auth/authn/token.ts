/**
 * Static bearer tokens (kube-apiserver's --token-auth-file shape): used for the loopback identity
 * of in-process controllers and for benchmarks. Tokens are compared in constant time.
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { unauthorized } from '../../apimachinery/errors.js';
import type { UserInfo } from '../../api/user.js';
import type { Authenticator } from './types.js';

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : null;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * `tokens`: token → user. Unknown bearer tokens are left to the next authenticator (null), so a
 * chain can hold several token kinds; the chain ends in 401 when nobody recognises them.
 */
export function staticTokenAuthenticator(tokens: Map<string, UserInfo>): Authenticator {
  const entries = [...tokens.entries()].map(([t, u]) => ({ d: digest(t), u }));
  return {
    name: 'static-token',
    authenticate(req: IncomingMessage): UserInfo | null {
      const t = bearerToken(req);
      if (!t) return null;
      const d = digest(t);
      for (const e of entries) if (timingSafeEqual(d, e.d)) return e.u;
      return null;
    },
  };
}

/** Last in the chain: a bearer token nobody recognised is a 401, not an anonymous request. */
export const rejectUnknownBearer: Authenticator = {
  name: 'reject-unknown-bearer',
  authenticate(req: IncomingMessage): UserInfo | null {
    if (bearerToken(req)) throw unauthorized();
    return null;
  },
};
