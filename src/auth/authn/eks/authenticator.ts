/**
 * The EKS IAM sign-in authenticator: `Authorization: Bearer k8s-aws-v1.…` from `aws eks
 * get-token`. Other bearer tokens are not ours (null, the chain goes on). Ours are verified
 * offline (verify.ts) and mapped as EKS maps them (mapping.ts); any failure is a plain 401
 * `Unauthorized` Status, as kube-apiserver answers when its webhook denies a token, with the
 * reason logged at debug (never the token).
 *
 * The user is what aws-iam-authenticator's server.go hands kube-apiserver, plus the
 * `system:authenticated` group the apiserver adds:
 *   uid   aws-iam-authenticator:<account>:<UserId without session>
 *   extra arn, canonicalArn, sessionName, accessKeyId, principalId,
 *         sigs.k8s.io/aws-iam-authenticator/principalId
 * so `kubectl auth whoami` shows what it shows on EKS.
 */
import type { IncomingMessage } from 'node:http';
import { unauthorized } from '../../../apimachinery/errors.js';
import type { UserInfo } from '../../../api/user.js';
import type { Clock } from '../../../util/clock.js';
import type { Logger } from '../../../util/log.js';
import type { Authenticator } from '../types.js';
import type { AwsAuthCache } from './aws-auth.js';
import type { MappedUser } from './mapping.js';
import { TOKEN_PREFIX } from './presigned-url.js';
import type { AwsAuthSource, AwsCredentialLookup, EksCallerIdentity, EksClusterIdentity, PrivateDnsNameLookup } from './types.js';

export interface EksTokenAuthenticatorOptions {
  cluster: EksClusterIdentity;
  credentials: AwsCredentialLookup;
  /** Reads kube-system/aws-auth (parsed once per resourceVersion). */
  awsAuth: AwsAuthSource;
  clock: Clock;
  logger?: Logger;
  /** Hosts (host[:port]) of the local AWS endpoint besides loopback ones, accepted over http too. */
  emulatorHosts?: () => readonly string[];
  /** Instance id → private DNS name for {{EC2PrivateDNSName}}; without it the placeholder stays as written. */
  privateDnsName?: PrivateDnsNameLookup;
}

export const EXTRA_PRINCIPAL_ID = 'sigs.k8s.io/aws-iam-authenticator/principalId';

/** server.go: the TokenReview user for a mapped identity, with system:authenticated added. */
export function eksUserInfo(id: EksCallerIdentity, m: Pick<MappedUser, 'username' | 'groups'>): UserInfo {
  const groups = [...m.groups];
  if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  return {
    username: m.username,
    uid: `aws-iam-authenticator:${id.accountId}:${id.userId}`,
    groups,
    extra: {
      accessKeyId: [id.accessKeyId],
      arn: [id.arn],
      canonicalArn: [id.canonicalArn],
      principalId: [id.userId],
      sessionName: [id.sessionName],
      [EXTRA_PRINCIPAL_ID]: [id.userId],
    },
  };
}

/**
 * The IAM principal (canonical ARN) behind a user this authenticator produced, for an EKS
 * access-policy authorizer (AccessEntry.policies of that ARN); undefined for any other user.
 */
export function eksPrincipalArnOf(user: UserInfo): string | undefined {
  if (!user.uid?.startsWith('aws-iam-authenticator:')) return undefined;
  const arn = user.extra?.canonicalArn;
  return arn && arn.length === 1 ? arn[0] : undefined;
}

function eksBearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h.trim());
  return m && m[1].startsWith(TOKEN_PREFIX) ? m[1] : null;
}

/**
 * The verification and mapping modules, imported on the first EKS token a cluster sees: every
 * cluster builds this authenticator at start, most never get such a token (and not before its
 * first 200 on /readyz).
 */
let verifying: Promise<[typeof import('./verify.js'), typeof import('./mapping.js'), typeof import('./aws-auth.js')]> | undefined;
function verifiers(): Promise<[typeof import('./verify.js'), typeof import('./mapping.js'), typeof import('./aws-auth.js')]> {
  return (verifying ??= Promise.all([import('./verify.js'), import('./mapping.js'), import('./aws-auth.js')]));
}

export function eksTokenAuthenticator(o: EksTokenAuthenticatorOptions): Authenticator {
  let awsAuth: AwsAuthCache | undefined;
  const deny = (reason: string, fields: Record<string, unknown> = {}): never => {
    o.logger?.debug({ authenticator: 'eks-token', cluster: o.cluster.clusterName, reason, ...fields }, 'eks token rejected');
    throw unauthorized();
  };
  return {
    name: 'eks-token',
    async authenticate(req: IncomingMessage): Promise<UserInfo | null> {
      const token = eksBearer(req);
      if (!token) return null;
      const [{ verifyEksToken }, { mapEksIdentity }, { AwsAuthCache }] = await verifiers();
      const cache = (awsAuth ??= new AwsAuthCache(o.awsAuth));
      let id: EksCallerIdentity;
      try {
        id = verifyEksToken(token, {
          clusterName: o.cluster.clusterName, credentials: o.credentials, now: o.clock.now(), emulatorHosts: o.emulatorHosts?.(),
        });
      } catch (e) {
        return deny((e as Error).message);
      }
      let m: MappedUser | undefined;
      try {
        m = await mapEksIdentity(id, {
          cluster: o.cluster,
          privateDnsName: o.privateDnsName,
          awsAuth: async () => {
            const a = await cache.get();
            if (a.errors.length > 0) o.logger?.debug({ cluster: o.cluster.clusterName, errors: a.errors }, 'aws-auth ConfigMap has invalid entries');
            return a;
          },
        });
      } catch (e) {
        return deny(`mapping failed: ${(e as Error).message}`, { arn: id.canonicalArn });
      }
      if (!m) return deny('identity is not mapped', { arn: id.canonicalArn, accessKeyId: id.accessKeyId });
      if (!m.username) return deny('mapped username is empty', { arn: id.canonicalArn });
      return eksUserInfo(id, m);
    },
  };
}
