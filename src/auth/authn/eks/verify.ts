/**
 * Token → caller identity, offline: the URL checks of presigned-url.ts, then the SigV4 check with
 * the secret of the signing key, then what STS itself would refuse (unknown, Inactive or deleted
 * key; temporary credentials without their matching X-Amz-Security-Token, or expired; a session
 * token sent with a long-term key), then the identity GetCallerIdentity would have answered,
 * shaped as aws-iam-authenticator's getIdentityFromSTSResponse (assumed roles: UserId split into
 * `AROA…` and the session name; canonical ARN without the role path).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { canonicalizeArn } from './arn.js';
import { EksTokenError, parsePresignedToken } from './presigned-url.js';
import { verifyPresignedSignature } from './sigv4-presign.js';
import type { AwsCredentialLookup, EksCallerIdentity } from './types.js';

export interface VerifyOptions {
  clusterName: string;
  credentials: AwsCredentialLookup;
  now: number;
  emulatorHosts?: readonly string[];
}

function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export function verifyEksToken(token: string, o: VerifyOptions): EksCallerIdentity {
  const u = parsePresignedToken(token, { now: o.now, emulatorHosts: o.emulatorHosts });
  const key = o.credentials.lookup(u.accessKeyId);
  if (!key) throw new EksTokenError('unknown access key');
  // Check the signature before anything that depends on the key's state, so a forger learns nothing.
  verifyPresignedSignature(u, o.clusterName, key.secretAccessKey);
  if (key.status !== 'Active') throw new EksTokenError('access key is not active');
  if (key.sessionToken !== undefined) {
    if (u.securityToken === undefined || !sameSecret(u.securityToken, key.sessionToken)) throw new EksTokenError('security token does not match');
    if (key.expiresAt !== undefined && o.now >= key.expiresAt) throw new EksTokenError('temporary credentials have expired');
  } else if (u.securityToken !== undefined) {
    throw new EksTokenError('security token sent with a long-term access key');
  }

  const p = key.principal;
  const canonical = canonicalizeArn(p.arn);
  if (!canonical) throw new EksTokenError('principal ARN is not an identity ARN');
  let userId = p.userId;
  let sessionName = '';
  if (canonical.type === 'role') {
    const parts = p.userId.split(':');
    if (parts.length === 2) [userId, sessionName] = parts;
    else if (p.sessionName !== undefined && parts.length === 1) sessionName = p.sessionName;
    else throw new EksTokenError('malformed UserId');
  }
  return {
    arn: p.arn, canonicalArn: canonical.arn, principalType: canonical.type, accountId: p.accountId,
    userId, sessionName, accessKeyId: u.accessKeyId, stsHost: u.host,
  };
}
