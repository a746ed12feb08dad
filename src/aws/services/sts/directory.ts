/**
 * What STS needs from IAM, as a small interface (IAM implements it; tests can fake it): roles by
 * ARN with their trust policy and session limit, OIDC providers, and the credential index that
 * temporary credentials join.
 */
import type { AccessKeyRecord, AwsPrincipal } from '../../core/types.js';

export interface StsRole {
  arn: string;
  roleName: string;
  roleId: string;
  accountId: string;
  /** The trust policy (JSON text). */
  assumeRolePolicyDocument: string;
  /** Seconds (3600–43200). */
  maxSessionDuration: number;
}

export interface StsOidcProvider {
  arn: string;
  /** host + path (no scheme). */
  url: string;
  clientIds: string[];
}

export interface StsSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
  principal: AwsPrincipal;
}

export interface StsDirectory {
  role(arn: string): StsRole | undefined;
  /** The IAM OIDC provider of `accountId` for a token issuer (https://host/path). */
  oidcProvider(accountId: string, issuer: string): StsOidcProvider | undefined;
  /** The credentials a request was signed with (to tell session credentials apart). */
  lookup(accessKeyId: string): AccessKeyRecord | undefined;
  /** Stores temporary credentials; they sign requests once this resolves. */
  putSession(session: StsSession): Promise<void>;
}

/** Claims of a verified web identity token (OIDC JWT). */
export interface WebIdentityClaims {
  /** `iss`, e.g. https://oidc.eks.ap-northeast-2.amazonaws.com/id/ABC… */
  issuer: string;
  /** `sub`, e.g. system:serviceaccount:default:my-sa */
  subject: string;
  /** `aud`, e.g. sts.amazonaws.com */
  audience: string;
}

/** Verifies a web identity token's signature and expiry; throws (an AwsError or anything) when invalid. */
export type WebIdentityVerifier = (token: string) => Promise<WebIdentityClaims>;
