/**
 * IAM's durable documents (one state table each, see iam-state.ts) and their XML shapes as
 * botocore's IAM model names them (User, Role, Policy, AccessKey, InstanceProfile…).
 *
 * Names are unique per account case-insensitively, as on AWS ("bob" and "Bob" cannot both
 * exist, and either spelling finds the entity); documents keep the spelling they were created
 * with. Timestamps are ISO 8601 strings.
 */
import type { AwsPrincipal, XmlObject } from '../../core/types.js';

export interface Tag { Key: string; Value: string }

export interface UserDoc {
  accountId: string;
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  tags: Tag[];
  /** Managed policy ARN set as the permissions boundary (stored and reported, not enforced). */
  permissionsBoundary?: string;
  /** Managed policy ARNs attached (AttachUserPolicy). */
  attachedPolicies: string[];
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyDoc {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** The owning IAM user; absent for root access keys (CreateAccessKey by the root without UserName). */
  userName?: string;
  status: AccessKeyStatus;
  createDate: string;
}

export interface RoleDoc {
  accountId: string;
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  /** The trust policy as given (JSON text); answered URL-encoded. */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  /** Managed policy ARN set as the permissions boundary (stored and reported, not enforced). */
  permissionsBoundary?: string;
  attachedPolicies: string[];
  /** Inline policies: name → JSON text (PutRolePolicy). */
  inlinePolicies: Record<string, string>;
}

export interface PolicyDoc {
  accountId: string;
  policyName: string;
  policyId: string;
  path: string;
  arn: string;
  description?: string;
  /** The default (only) version's document, JSON text. */
  document: string;
  createDate: string;
  updateDate: string;
  tags: Tag[];
}

export interface OidcProviderDoc {
  accountId: string;
  /** host + path, without the scheme (what GetOpenIDConnectProvider answers as Url). */
  url: string;
  arn: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

export interface InstanceProfileDoc {
  accountId: string;
  instanceProfileName: string;
  instanceProfileId: string;
  path: string;
  arn: string;
  createDate: string;
  /** Role names (at most one, IAM's InstanceSessionsPerInstanceProfile quota). */
  roles: string[];
  tags: Tag[];
}

/** STS temporary credentials (AssumeRole, GetSessionToken, AssumeRoleWithWebIdentity). */
export interface SessionDoc {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
  principal: AwsPrincipal;
}

/** Table id of a named entity: account + lower-cased name. */
export function entityKey(accountId: string, name: string): string {
  return `${accountId}:${name.toLowerCase()}`;
}

function tagsXml(tags: Tag[]): XmlObject[] | undefined {
  return tags.length ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;
}

function boundaryXml(arn: string | undefined): XmlObject | undefined {
  return arn === undefined ? undefined : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };
}

/** The IAM `User` structure. */
export function userXml(u: UserDoc): XmlObject {
  return {
    Path: u.path, UserName: u.userName, UserId: u.userId, Arn: u.arn, CreateDate: new Date(u.createDate),
    PermissionsBoundary: boundaryXml(u.permissionsBoundary), Tags: tagsXml(u.tags),
  };
}

/**
 * The IAM `Role` structure. AssumeRolePolicyDocument is URL-encoded JSON, as IAM answers every
 * policyDocumentType (botocore's json_decode_policies handler unquotes and parses it).
 */
export function roleXml(r: RoleDoc, opts: { withTags?: boolean } = {}): XmlObject {
  return {
    Path: r.path, RoleName: r.roleName, RoleId: r.roleId, Arn: r.arn, CreateDate: new Date(r.createDate),
    AssumeRolePolicyDocument: encodeURIComponent(r.assumeRolePolicyDocument),
    Description: r.description, MaxSessionDuration: r.maxSessionDuration, PermissionsBoundary: boundaryXml(r.permissionsBoundary),
    Tags: opts.withTags === false ? undefined : tagsXml(r.tags),
  };
}

export function instanceProfileXml(p: InstanceProfileDoc, roles: RoleDoc[]): XmlObject {
  return {
    Path: p.path, InstanceProfileName: p.instanceProfileName, InstanceProfileId: p.instanceProfileId, Arn: p.arn,
    CreateDate: new Date(p.createDate), Roles: roles.map((r) => roleXml(r)), Tags: tagsXml(p.tags),
  };
}

export { tagsXml };
