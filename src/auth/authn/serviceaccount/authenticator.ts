/**
 * Bearer service-account tokens (pkg/serviceaccount/jwt.go + legacy.go validators): a JWT this
 * cluster signed, for the API audience, not expired, whose service account (and bound pod or
 * secret) still exists with the same uid. The user is system:serviceaccount:<ns>:<name> with the
 * groups system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated, and the
 * credential id / bound pod in `extra`, as kube-apiserver reports them in `kubectl auth whoami`.
 */
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../../apimachinery/errors.js';
import type { UserInfo } from '../../../api/user.js';
import type { Authenticator } from '../types.js';
import type { ServiceAccountTokens } from './tokens.js';

export interface ServiceAccountLookup {
  /** The uid of an existing object, or undefined when it is gone. */
  uid(kind: 'ServiceAccount' | 'Pod' | 'Secret', namespace: string, name: string): Promise<string | undefined>;
}

function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized', {});
}

export function serviceAccountAuthenticator(o: { tokens: ServiceAccountTokens; lookup: ServiceAccountLookup; audience?: string }): Authenticator {
  const audience = o.audience ?? o.tokens.apiAudience;
  return {
    name: 'serviceaccount-token',
    async authenticate(req: IncomingMessage): Promise<UserInfo | null> {
      const h = req.headers.authorization;
      if (!h || !/^bearer /i.test(h)) return null;
      const token = h.slice(7).trim();
      // A JWT has three dot-separated parts and starts with a base64url JSON header ("eyJ").
      if (!token.startsWith('eyJ') || token.split('.').length !== 3) return null;
      const v = await o.tokens.verify(token, audience);
      if (!v) {
        // Not one of ours (another issuer's JWT): let other authenticators try.
        return null;
      }
      const { namespace, serviceaccount, pod, secret } = v.k8s;
      if ((await o.lookup.uid('ServiceAccount', namespace, serviceaccount.name)) !== serviceaccount.uid) throw unauthorized();
      if (pod && (await o.lookup.uid('Pod', namespace, pod.name)) !== pod.uid) throw unauthorized();
      if (secret && (await o.lookup.uid('Secret', namespace, secret.name)) !== secret.uid) throw unauthorized();
      const extra: Record<string, string[]> = {};
      if (v.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${v.jti}`];
      if (pod) {
        extra['authentication.kubernetes.io/pod-name'] = [pod.name];
        extra['authentication.kubernetes.io/pod-uid'] = [pod.uid];
      }
      if (v.k8s.node) {
        extra['authentication.kubernetes.io/node-name'] = [v.k8s.node.name];
        extra['authentication.kubernetes.io/node-uid'] = [v.k8s.node.uid];
      }
      return {
        username: `system:serviceaccount:${namespace}:${serviceaccount.name}`,
        uid: serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        extra,
      };
    },
  };
}
