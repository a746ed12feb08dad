/**
 * Client certificates (k8s.io/apiserver/pkg/authentication/request/x509): a certificate that
 * the TLS layer verified against the cluster CA names the user (CN) and groups (O). A
 * certificate that does not verify is a 401, not an anonymous request.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { unauthorized } from '../../apimachinery/errors.js';
import type { UserInfo } from '../../api/user.js';
import { identityFromPeerCert } from '../../pki/index.js';
import type { Authenticator } from './types.js';

export function x509Authenticator(): Authenticator {
  return {
    name: 'x509',
    authenticate(req: IncomingMessage): UserInfo | null {
      const sock = req.socket as TLSSocket;
      if (typeof sock.getPeerCertificate !== 'function') return null;
      const cert = sock.getPeerCertificate(false);
      if (!cert || Object.keys(cert).length === 0) return null;
      if (!sock.authorized) throw unauthorized();
      const id = identityFromPeerCert(cert);
      if (!id) throw unauthorized();
      return { username: id.username, groups: [...id.groups, 'system:authenticated'] };
    },
  };
}
