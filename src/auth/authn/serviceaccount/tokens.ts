/**
 * Service account tokens: the JWTs kube-apiserver issues through TokenRequest
 * (`kubectl create token`, projected volumes) and verifies on every request that carries one
 * (pkg/serviceaccount/jwt.go, claims.go). Signed with the cluster's service-account key; the
 * issuer is the cluster's OIDC issuer (on EKS https://oidc.eks.<region>.amazonaws.com/id/<ID>,
 * which is what IRSA's AssumeRoleWithWebIdentity trusts).
 *
 * Uses `jose` (a maintained JOSE implementation) for signing, verification and the JWK export,
 * loaded on the first token issued or verified: its ~45 module files (≈ 45 ms of import) would
 * otherwise sit in front of every cluster's first /readyz, and no token is needed to serve it.
 * The key is ES256 (P-256): generating it takes ~1 ms, so a new cluster is not slowed down the
 * way a 2048-bit RSA key (≈ 100 ms) would; EKS itself signs with RS256, and clients read the
 * algorithm from the JWKS, so nothing downstream depends on the difference.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { Clock } from '../../../util/clock.js';

/** The issuer of a cluster that has no OIDC issuer of its own (kubeadm's default). */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc';
/**
 * Audience of tokens meant for the API server itself (--api-audiences). EKS sets it to
 * https://kubernetes.default.svc while its issuer is the cluster's OIDC URL; `kubectl create
 * token` without --audience gets it.
 */
export const DEFAULT_API_AUDIENCE = 'https://kubernetes.default.svc';

export interface TokenRequestInput {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  audiences: string[];
  expirationSeconds: number;
  /** boundObjectRef to a Pod (or Secret): the token dies with it. */
  bound?: { kind: 'Pod' | 'Secret'; name: string; uid: string };
  /** Pod-bound tokens carry the pod's node too (1.32 ServiceAccountTokenPodNodeInfo). */
  node?: { name: string; uid: string };
}

/** The `kubernetes.io` private claim (pkg/serviceaccount/claims.go). */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid: string };
}

export interface VerifiedToken {
  issuer: string;
  subject: string;
  audiences: string[];
  jti: string;
  k8s: KubernetesClaim;
}

export interface ServiceAccountTokensOptions {
  /** PKCS#8 PEM of the EC P-256 signing key. */
  keyPem: string;
  issuer: string;
  /** Default DEFAULT_API_AUDIENCE. */
  apiAudience?: string;
  clock: Clock;
}

let joseModule: Promise<typeof import('jose')> | undefined;
/** The `jose` module, imported once, on first use. */
function jose(): Promise<typeof import('jose')> {
  return (joseModule ??= import('jose'));
}

export class ServiceAccountTokens {
  readonly issuer: string;
  /** The audience the API server accepts tokens for (and gives tokens requested without one). */
  readonly apiAudience: string;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;
  private readonly clock: Clock;
  private jwk: JWK | undefined;

  constructor(o: ServiceAccountTokensOptions) {
    this.issuer = o.issuer;
    this.apiAudience = o.apiAudience ?? DEFAULT_API_AUDIENCE;
    this.clock = o.clock;
    this.key = createPrivateKey(o.keyPem);
    this.publicKey = createPublicKey(this.key);
    // kube-apiserver's keyIDFromPublicKey: base64url(sha256(DER of the public key)).
    this.kid = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  }

  /** Issues a token; returns it and its expiry (seconds since the epoch). */
  async issue(t: TokenRequestInput): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const expiresAt = now + t.expirationSeconds;
    const k8s: KubernetesClaim = { namespace: t.namespace, serviceaccount: { name: t.serviceAccountName, uid: t.serviceAccountUid } };
    if (t.bound?.kind === 'Pod') k8s.pod = { name: t.bound.name, uid: t.bound.uid };
    if (t.bound?.kind === 'Secret') k8s.secret = { name: t.bound.name, uid: t.bound.uid };
    if (t.node) k8s.node = t.node;
    const { SignJWT } = await jose();
    const token = await new SignJWT({ 'kubernetes.io': k8s as unknown as Record<string, unknown> })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid })
      .setIssuer(this.issuer)
      .setSubject(`system:serviceaccount:${t.namespace}:${t.serviceAccountName}`)
      .setAudience(t.audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The claims of a token this cluster signed for `audience`, or null (bad signature, expired, other issuer/audience). */
  async verify(token: string, audience: string): Promise<VerifiedToken | null> {
    try {
      const { jwtVerify } = await jose();
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: this.issuer, audience, algorithms: ['ES256'], currentDate: new Date(this.clock.now()),
      });
      const k8s = payload['kubernetes.io'] as KubernetesClaim | undefined;
      if (!k8s?.serviceaccount?.name || !k8s.namespace || typeof payload.sub !== 'string') return null;
      const aud = payload.aud;
      return { issuer: this.issuer, subject: payload.sub, audiences: Array.isArray(aud) ? aud : aud ? [aud] : [], jti: String(payload.jti ?? ''), k8s };
    } catch {
      return null;
    }
  }

  /** The public keys (JWKS) relying parties verify with: /openid/v1/jwks and the EKS OIDC issuer's keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { exportJWK } = await jose();
    this.jwk ??= { ...(await exportJWK(this.publicKey)), kid: this.kid, use: 'sig', alg: 'ES256' };
    return { keys: [this.jwk] };
  }

  /** The OIDC discovery document (pkg/serviceaccount/openidmetadata.go). */
  openidConfiguration(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
  }
}
