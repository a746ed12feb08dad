/**
 * Client-certificate identity, as kube-apiserver's x509 authenticator
 * (k8s.io/apiserver/pkg/authentication/request/x509/x509.go, CommonNameUserConversion):
 * user name = subject CommonName, groups = subject Organization values (in order). A certificate
 * with an empty CN authenticates no one. When a subject repeats CN, Go's pkix.Name keeps the
 * last one, so we do too.
 *
 * The authenticator only trusts a certificate that verified against the client CA with the
 * clientAuth usage; with Node that is `socket.authorized` on a server created with
 * `requestCert: true, rejectUnauthorized: false, ca: <cluster CA>` (OpenSSL checks the
 * SSL-client purpose, i.e. the EKU). `identityFromTlsSocket` applies that check.
 */
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { X509Identity } from './types.js';

/** The user a (verified) client certificate names; null when it names none (no subject or empty CN). */
export function identityFromPeerCert(cert: PeerCertificate | X509Certificate): X509Identity | null {
  const subject = cert instanceof X509Certificate ? cert.toLegacyObject().subject : cert.subject;
  if (!subject) return null;
  const cn = asList((subject as unknown as Record<string, unknown>).CN);
  const username = cn[cn.length - 1] ?? '';
  if (username === '') return null;
  return { username, groups: asList((subject as unknown as Record<string, unknown>).O) };
}

/**
 * The identity of the client certificate presented on `socket`, or null when none was
 * presented or it did not verify against the server's client CA.
 */
export function identityFromTlsSocket(socket: TLSSocket): X509Identity | null {
  if (!socket.authorized) return null;
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return null;
  return identityFromPeerCert(peer);
}

/** Node gives a single-valued attribute as a string and a repeated one as an array. */
function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
