/**
 * What EKS IAM sign-in needs from the rest of keks, as small interfaces (auth/ may not import
 * aws/; the composition root adapts the AWS side's objects to these).
 *
 * `AwsCredentialLookup` / `AwsKeyInfo` / `AwsPrincipalInfo` are structurally compatible with
 * `CredentialStore` / `AccessKeyRecord` / `AwsPrincipal` in src/aws/core/types.ts, so the AWS
 * credential store can be passed as is. `EksClusterIdentity` is one cluster's view of the EKS
 * facts (authentication mode, creator, access entries); the composition root binds the AWS side's
 * per-account `EksIdentitySource` to a cluster name.
 */

/** The identity behind an access key (what STS GetCallerIdentity reports). */
export interface AwsPrincipalInfo {
  accountId: string;
  /** arn:aws:iam::A:root | arn:aws:iam::A:user/<path>N | arn:aws:sts::A:assumed-role/R/S */
  arn: string;
  /** GetCallerIdentity's UserId: the account id (root), AIDA… (user), AROA…:<session> (assumed role). */
  userId: string;
  type: 'root' | 'user' | 'assumed-role';
  /** Assumed roles: the role's IAM ARN (may carry a path) and the session name. */
  roleArn?: string;
  sessionName?: string;
}

/** An access key keks knows, with the secret the token's signature is checked against. */
export interface AwsKeyInfo {
  secretAccessKey: string;
  /** Temporary (STS) credentials: the token must carry this as X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch ms after which temporary credentials stop working. */
  expiresAt?: number;
  status: 'Active' | 'Inactive';
  principal: AwsPrincipalInfo;
}

export interface AwsCredentialLookup {
  lookup(accessKeyId: string): AwsKeyInfo | undefined;
}

export type EksAuthenticationMode = 'CONFIG_MAP' | 'API' | 'API_AND_CONFIG_MAP';

/** One EKS access entry as sign-in sees it (AccessEntryView on the AWS side). */
export interface EksAccessEntryInfo {
  /** As stored; may hold templates ({{SessionName}}, {{EC2PrivateDNSName}}…). Absent → EKS's default. */
  username?: string;
  kubernetesGroups: string[];
  /** STANDARD | EC2_LINUX | EC2_WINDOWS | FARGATE_LINUX | EC2 | HYBRID_LINUX | HYPERPOD_LINUX */
  type: string;
}

/** The EKS facts of one cluster, read on every sign-in (so changes apply at once). */
export interface EksClusterIdentity {
  clusterName: string;
  authenticationMode(): EksAuthenticationMode;
  /** The creator's IAM ARN (assumed roles as their role ARN) and bootstrapClusterCreatorAdminPermissions. */
  creator(): { arn: string; adminPermissions: boolean } | undefined;
  /** The access entry of an IAM principal ARN (user, role or root ARN; never an STS session ARN). */
  accessEntry(principalArn: string): EksAccessEntryInfo | undefined;
}

/** The kube-system/aws-auth ConfigMap, or the parts of it sign-in reads. */
export interface AwsAuthConfigMap {
  /** When present, the parsed mapping is cached per resourceVersion. */
  resourceVersion?: string;
  /** mapRoles, mapUsers, mapAccounts (YAML strings; top-level keys are case-sensitive). */
  data?: Record<string, string>;
}

/** Reads the current aws-auth ConfigMap (undefined when it does not exist). */
export type AwsAuthSource = () => AwsAuthConfigMap | undefined | Promise<AwsAuthConfigMap | undefined>;

/** Resolves an EC2 instance id (an assumed-role session name) to its private DNS name. */
export type PrivateDnsNameLookup = (instanceId: string) => string | undefined | Promise<string | undefined>;

/** The caller a verified token identifies (aws-iam-authenticator's token.Identity). */
export interface EksCallerIdentity {
  /** The raw ARN (STS session ARN for assumed roles). */
  arn: string;
  /** Assumed roles as arn:aws:iam::A:role/R (path lost); other ARNs unchanged. */
  canonicalArn: string;
  principalType: 'root' | 'user' | 'role';
  accountId: string;
  /** UserId without the session part (AROA… for roles, AIDA… for users, the account for root). */
  userId: string;
  /** '' unless an assumed role. */
  sessionName: string;
  accessKeyId: string;
  /** The presigned URL's host (the STS endpoint the client would have called). */
  stsHost: string;
}
