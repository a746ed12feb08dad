/**
 * STS actions (query protocol, 2011-06-15): GetCallerIdentity, AssumeRole, GetSessionToken,
 * AssumeRoleWithWebIdentity. Temporary credentials are real: ASIA… ids, 40-character secrets
 * and a session token, which sign requests (and EKS tokens) until Expiration.
 *
 * Shapes and rules follow the STS API reference: RoleSessionName 2–64 `[\w+=,.@-]*`;
 * DurationSeconds 900..role MaxSessionDuration (default 3600; role chaining is capped at one hour);
 * an unknown role or a trust policy that does not admit the caller → AccessDenied 403
 * "User: <caller> is not authorized to perform: sts:AssumeRole on resource: <role>". Deviation:
 * the account root may assume roles (AWS refuses root), since keks' default key is the root.
 */
import { AwsError, isAwsError, type AwsPrincipal, type QueryHandler, type XmlObject } from '../../core/types.js';
import { accessKeyId, secretAccessKey, sessionToken } from '../iam/ids.js';
import { ARN, POLICY_DOCUMENT, SESSION_NAME, validate } from '../iam/validate.js';
import type { StsDirectory, StsRole, StsSession, WebIdentityVerifier } from './directory.js';
import { trustAllows } from './trust-policy.js';

export interface StsActionOptions {
  directory: StsDirectory;
  now: () => number;
  verifyWebIdentityToken?: WebIdentityVerifier;
}

const ROLE_DURATION = { minValue: 900, maxValue: 43200 };
const SESSION_TOKEN_DURATION = { minValue: 900, maxValue: 129600 };

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

function credentialsXml(s: StsSession): XmlObject {
  return { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: new Date(s.expiresAt) };
}

function assumedRolePrincipal(role: StsRole, sessionName: string): AwsPrincipal {
  return {
    accountId: role.accountId, arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`, type: 'assumed-role', roleArn: role.arn, sessionName,
  };
}

function checkPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  validate(['policy', policy, POLICY_DOCUMENT]);
  try { JSON.parse(policy); } catch { throw new AwsError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400); }
}

export function stsActions(opts: StsActionOptions): Record<string, QueryHandler> {
  const { directory, now } = opts;

  async function issue(principal: AwsPrincipal, durationSeconds: number): Promise<StsSession> {
    let id = accessKeyId('ASIA');
    while (directory.lookup(id)) id = accessKeyId('ASIA');
    const session: StsSession = {
      accessKeyId: id, secretAccessKey: secretAccessKey(), sessionToken: sessionToken(),
      expiresAt: now() + durationSeconds * 1000, principal,
    };
    await directory.putSession(session);
    return session;
  }

  function roleDuration(role: StsRole, requested: number | undefined, chained: boolean): number {
    const d = requested ?? 3600;
    if (d > role.maxSessionDuration) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    if (chained && d > 3600) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
    return d;
  }

  return {
    GetCallerIdentity(_params, ctx) {
      return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
    },

    async AssumeRole(params, ctx) {
      const roleArn = params.required('RoleArn');
      const sessionName = params.required('RoleSessionName');
      const duration = params.int('DurationSeconds');
      validate(['roleArn', roleArn, ARN], ['roleSessionName', sessionName, SESSION_NAME], ['durationSeconds', duration, ROLE_DURATION],
        ['externalId', params.get('ExternalId'), { pattern: '[\\w+=,.@:\\/-]*', min: 2, max: 1224 }]);
      checkPolicy(params.get('Policy'));
      const role = directory.role(roleArn);
      const denied = accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      if (!role) throw denied;
      if (!trustAllows(role.assumeRolePolicyDocument, { kind: 'aws', principal: ctx.caller }, 'sts:AssumeRole')) throw denied;
      const seconds = roleDuration(role, duration, ctx.caller.type === 'assumed-role');
      const principal = assumedRolePrincipal(role, sessionName);
      const session = await issue(principal, seconds);
      return { Credentials: credentialsXml(session), AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn } };
    },

    async GetSessionToken(params, ctx) {
      const duration = params.int('DurationSeconds');
      validate(['durationSeconds', duration, SESSION_TOKEN_DURATION]);
      if (ctx.caller.type === 'assumed-role' || directory.lookup(ctx.accessKeyId)?.sessionToken !== undefined) {
        throw accessDenied('Cannot call GetSessionToken with session credentials');
      }
      // Root sessions are limited to one hour (STS API reference, GetSessionToken).
      const seconds = ctx.caller.type === 'root' ? Math.min(duration ?? 3600, 3600) : duration ?? 43200;
      const session = await issue(ctx.caller, seconds);
      return { Credentials: credentialsXml(session) };
    },

    async AssumeRoleWithWebIdentity(params, _ctx) {
      const roleArn = params.required('RoleArn');
      const sessionName = params.required('RoleSessionName');
      const token = params.required('WebIdentityToken');
      const duration = params.int('DurationSeconds');
      validate(['roleArn', roleArn, ARN], ['roleSessionName', sessionName, SESSION_NAME], ['durationSeconds', duration, ROLE_DURATION],
        ['webIdentityToken', token, { min: 4, max: 20000 }]);
      checkPolicy(params.get('Policy'));
      if (params.get('ProviderId') !== undefined) {
        throw new AwsError('ValidationError', 'keks supports OpenID Connect web identities only; ProviderId (OAuth 2.0 providers) is not supported.', 400);
      }
      if (!opts.verifyWebIdentityToken) {
        throw new AwsError('InvalidIdentityToken', 'keks has no web identity token verifier configured, so it cannot accept this token.', 400);
      }
      let claims;
      try {
        claims = await opts.verifyWebIdentityToken(token);
      } catch (e) {
        if (isAwsError(e)) throw e;
        throw new AwsError('InvalidIdentityToken', `The web identity token that was passed could not be validated by AWS. ${e instanceof Error ? e.message : ''}`.trim(), 400);
      }
      const roleAccount = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      const provider = roleAccount ? directory.oidcProvider(roleAccount, claims.issuer) : undefined;
      if (!provider) throw new AwsError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${claims.issuer}`, 400);
      if (provider.clientIds.length && !provider.clientIds.includes(claims.audience)) throw new AwsError('InvalidIdentityToken', 'Incorrect token audience', 400);
      const role = directory.role(roleArn);
      if (!role || !trustAllows(role.assumeRolePolicyDocument, { kind: 'federated', providerArn: provider.arn }, 'sts:AssumeRoleWithWebIdentity')) {
        throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
      }
      const seconds = roleDuration(role, duration, false);
      const principal = assumedRolePrincipal(role, sessionName);
      const session = await issue(principal, seconds);
      return {
        Credentials: credentialsXml(session), SubjectFromWebIdentityToken: claims.subject,
        AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
        Provider: provider.arn, Audience: claims.audience,
      };
    },
  };
}
