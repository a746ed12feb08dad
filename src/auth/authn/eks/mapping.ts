/**
 * IAM caller → Kubernetes username and groups, as EKS decides it (EKS user guide "Grant IAM users
 * access to Kubernetes with EKS access entries" / "aws-auth ConfigMap"; aws-iam-authenticator
 * server.go doMapping for the ConfigMap side):
 *
 * 1. API and API_AND_CONFIG_MAP: the access entry of the canonical ARN wins. Its username defaults
 *    to the principal ARN for users and root, `arn:aws:sts::A:assumed-role/R/{{SessionName}}` for
 *    roles, and the node forms for EC2_LINUX, FARGATE_LINUX… entries; groups = kubernetesGroups.
 * 2. CONFIG_MAP and API_AND_CONFIG_MAP: the cluster creator (bootstrap admin permissions) is
 *    `kubernetes-admin` in `system:masters`, a mapping that appears nowhere (EKS's mounted file
 *    mapper, ahead of the ConfigMap). In the API modes EKS instead gives the creator an access
 *    entry with AmazonEKSClusterAdminPolicy, found in step 1.
 * 3. CONFIG_MAP and API_AND_CONFIG_MAP: aws-auth mapRoles, mapUsers, then mapAccounts.
 *
 * Nothing found → undefined (the authenticator answers 401). Templates are rendered last.
 */
import { canonicalizeArn, roleNameOf } from './arn.js';
import { mapWithAwsAuth, type ParsedAwsAuth } from './aws-auth.js';
import { INSTANCE_ID_RE, renderTemplate, TemplateError, usesEc2PrivateDnsName } from './templates.js';
import type { EksAccessEntryInfo, EksAuthenticationMode, EksCallerIdentity, EksClusterIdentity, PrivateDnsNameLookup } from './types.js';

export type MappingSource = 'access-entry' | 'cluster-creator' | 'mapRoles' | 'mapUsers' | 'mapAccounts';

export interface MappedUser {
  source: MappingSource;
  username: string;
  groups: string[];
}

/** The user the legacy creator mapping produces (what `kubectl auth whoami` shows on EKS). */
export const CLUSTER_CREATOR_USERNAME = 'kubernetes-admin';
export const CLUSTER_CREATOR_GROUPS: readonly string[] = ['system:masters'];

/** Fixed usernames and groups of node-type access entries (EKS user guide, access entry types). */
const NODE_ENTRY_DEFAULTS: Record<string, { username: string; groups: string[] }> = {
  EC2_LINUX: { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes'] },
  EC2_WINDOWS: { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'eks:kube-proxy-windows'] },
  FARGATE_LINUX: { username: 'system:node:{{SessionName}}', groups: ['system:nodes', 'system:node-proxier'] },
  HYBRID_LINUX: { username: 'system:node:{{SessionName}}', groups: ['system:nodes'] },
  HYPERPOD_LINUX: { username: 'system:node:hyperpod-{{SessionName}}', groups: ['system:nodes'] },
  EC2: { username: 'system:node:{{EC2PrivateDNSName}}', groups: [] },
};

/** EKS's default access-entry username for a principal of this type. */
export function defaultAccessEntryUsername(principalArn: string, type = 'STANDARD'): string {
  const node = NODE_ENTRY_DEFAULTS[type];
  if (node) return node.username;
  const c = canonicalizeArn(principalArn);
  if (c?.type === 'role') {
    const [, partition, , , account] = principalArn.split(':');
    return `arn:${partition}:sts::${account}:assumed-role/${roleNameOf(principalArn)}/{{SessionName}}`;
  }
  return principalArn;
}

function fromAccessEntry(e: EksAccessEntryInfo, principalArn: string): MappedUser {
  const node = NODE_ENTRY_DEFAULTS[e.type];
  return {
    source: 'access-entry',
    username: e.username || defaultAccessEntryUsername(principalArn, e.type),
    groups: e.kubernetesGroups.length > 0 || !node ? [...e.kubernetesGroups] : [...node.groups],
  };
}

/** arn:aws:iam::A:role/p/R → arn:aws:iam::A:role/R, lower-cased: how ARNs compare after canonicalisation. */
function comparable(arn: string): string {
  return arn.replace(/^(arn:[^:]+:iam::[^:]*:role\/)(?:.*\/)?([^/]+)$/, '$1$2').toLowerCase();
}

export interface MappingInputs {
  mode: EksAuthenticationMode;
  /** The access entry of the caller's canonical ARN (ignored in CONFIG_MAP mode). */
  accessEntry?: EksAccessEntryInfo;
  creator?: { arn: string; adminPermissions: boolean };
  /** Parsed aws-auth (ignored in API mode). */
  awsAuth?: ParsedAwsAuth;
}

/** Pure: which mapping applies, with its templates unrendered. */
export function selectMapping(id: EksCallerIdentity, i: MappingInputs): MappedUser | undefined {
  const api = i.mode === 'API' || i.mode === 'API_AND_CONFIG_MAP';
  const configMap = i.mode === 'CONFIG_MAP' || i.mode === 'API_AND_CONFIG_MAP';
  if (api && i.accessEntry) return fromAccessEntry(i.accessEntry, id.canonicalArn);
  if (configMap && i.creator?.adminPermissions && comparable(i.creator.arn) === comparable(id.canonicalArn)) {
    return { source: 'cluster-creator', username: CLUSTER_CREATOR_USERNAME, groups: [...CLUSTER_CREATOR_GROUPS] };
  }
  if (configMap && i.awsAuth) {
    const m = mapWithAwsAuth(i.awsAuth, id.canonicalArn, id.accountId);
    if (m) return { source: m.source, username: m.username, groups: m.groups };
  }
  return undefined;
}

/** Renders a selected mapping's templates; throws TemplateError when they cannot be rendered. */
export async function renderMapping(m: MappedUser, id: EksCallerIdentity, privateDnsName?: PrivateDnsNameLookup): Promise<MappedUser> {
  let dns: string | undefined;
  if (privateDnsName && usesEc2PrivateDnsName([m.username, ...m.groups]) && INSTANCE_ID_RE.test(id.sessionName)) {
    dns = await privateDnsName(id.sessionName);
    if (dns === undefined) throw new TemplateError(`no private DNS name for instance ${id.sessionName}`);
  }
  const ctx = { identity: id, ec2PrivateDnsName: dns };
  return { source: m.source, username: renderTemplate(m.username, ctx), groups: m.groups.map((g) => renderTemplate(g, ctx)) };
}

export interface MapIdentityOptions {
  cluster: EksClusterIdentity;
  /** Read only in the ConfigMap modes. */
  awsAuth: () => Promise<ParsedAwsAuth>;
  privateDnsName?: PrivateDnsNameLookup;
}

/** The mapped, rendered user for a verified caller, or undefined when nothing maps it. */
export async function mapEksIdentity(id: EksCallerIdentity, o: MapIdentityOptions): Promise<MappedUser | undefined> {
  const mode = o.cluster.authenticationMode();
  const api = mode !== 'CONFIG_MAP';
  const inputs: MappingInputs = {
    mode,
    accessEntry: api ? o.cluster.accessEntry(id.canonicalArn) : undefined,
    creator: o.cluster.creator(),
  };
  let m = selectMapping(id, inputs);
  if (!m && mode !== 'API') m = selectMapping(id, { ...inputs, awsAuth: await o.awsAuth() });
  return m ? renderMapping(m, id, o.privateDnsName) : undefined;
}
