/**
 * The stored form of an EKS cluster (table `eks-clusters`, id `<account>/<region>/<name>`) and
 * its wire form (the `Cluster` shape of DescribeCluster). Endpoint and CA come from the running
 * control plane and are absent while CREATING, as on EKS (awscli examples: `certificateAuthority: {}`).
 * `outpostConfig` and `id` are never set: their presence makes update-kubeconfig switch to
 * `--cluster-id` (awscli customizations/eks/update_kubeconfig.py).
 */
import type { AwsPrincipal } from '../../core/types.js';
import type { ControlPlaneHandle } from '../../core/backends.js';
import type { AuthenticationMode, ClusterStatus, EksClusterView } from './model.js';
import { epochSeconds } from './params.js';

export interface ClusterLogging {
  clusterLogging: Array<{ types: string[]; enabled: boolean }>;
}

export interface ClusterRecord {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  /** Epoch ms. */
  createdAt: number;
  version: string;
  platformVersion: string;
  roleArn: string;
  status: ClusterStatus;
  /** The 32 upper-hex id of the OIDC issuer (and of a real cluster's endpoint host). */
  oidcId: string;
  resourcesVpcConfig: {
    subnetIds: string[];
    securityGroupIds: string[];
    clusterSecurityGroupId: string;
    vpcId: string;
    endpointPublicAccess: boolean;
    endpointPrivateAccess: boolean;
    publicAccessCidrs: string[];
  };
  kubernetesNetworkConfig: { serviceIpv4Cidr: string; ipFamily: 'ipv4' | 'ipv6'; elasticLoadBalancing: { enabled: boolean } };
  logging: ClusterLogging;
  accessConfig: { authenticationMode: AuthenticationMode; bootstrapClusterCreatorAdminPermissions: boolean };
  tags: Record<string, string>;
  clientRequestToken?: string;
  upgradePolicy: { supportType: 'STANDARD' | 'EXTENDED' };
  encryptionConfig?: unknown[];
  bootstrapSelfManagedAddons: boolean;
  deletionProtection: boolean;
  /** Who called CreateCluster. */
  creator: AwsPrincipal;
  /** The control plane's API server port once created (restarts reuse it). */
  port?: number;
  /** Epoch ms at which CREATING turns ACTIVE (once the control plane runs). */
  activeAt?: number;
  /** Epoch ms at which a DELETING cluster is torn down. */
  deleteAt?: number;
  /** Why the cluster is FAILED. */
  failure?: string;
}

export const clusterKey = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;
export const keyOf = (r: { accountId: string; region: string; name: string }): string => clusterKey(r.accountId, r.region, r.name);

/** The status a reader sees now: CREATING turns ACTIVE once the control plane runs and activeAt passed. */
export function effectiveStatus(r: ClusterRecord, now: number, running: boolean): ClusterStatus {
  if (r.status === 'CREATING' && running && r.activeAt !== undefined && now >= r.activeAt) return 'ACTIVE';
  return r.status;
}

/** The Cluster shape on the wire. `cp` is the running control plane (undefined while CREATING). */
export function clusterToWire(r: ClusterRecord, status: ClusterStatus, cp: ControlPlaneHandle | undefined): Record<string, unknown> {
  const showEndpoint = cp !== undefined && status !== 'CREATING' && status !== 'FAILED';
  const out: Record<string, unknown> = {
    name: r.name,
    arn: r.arn,
    createdAt: epochSeconds(r.createdAt),
    version: r.version,
    ...(showEndpoint ? { endpoint: cp.endpoint } : {}),
    roleArn: r.roleArn,
    resourcesVpcConfig: { ...r.resourcesVpcConfig, publicAccessCidrs: [...r.resourcesVpcConfig.publicAccessCidrs] },
    kubernetesNetworkConfig: r.kubernetesNetworkConfig,
    logging: r.logging,
    identity: { oidc: { issuer: `https://oidc.eks.${r.region}.amazonaws.com/id/${r.oidcId}` } },
    status,
    certificateAuthority: showEndpoint ? { data: Buffer.from(cp.caPem, 'utf8').toString('base64') } : {},
    platformVersion: r.platformVersion,
    tags: r.tags,
    health: { issues: r.failure ? [{ code: 'ClusterUnreachable', message: r.failure, resourceIds: [r.name] }] : [] },
    accessConfig: r.accessConfig,
    upgradePolicy: r.upgradePolicy,
    deletionProtection: r.deletionProtection,
  };
  if (r.clientRequestToken) out.clientRequestToken = r.clientRequestToken;
  if (r.encryptionConfig) out.encryptionConfig = r.encryptionConfig;
  return out;
}

export function clusterView(r: ClusterRecord, status: ClusterStatus): EksClusterView {
  return {
    name: r.name, arn: r.arn, region: r.region, accountId: r.accountId, status,
    version: r.version, platformVersion: r.platformVersion,
    subnetIds: [...r.resourcesVpcConfig.subnetIds], vpcId: r.resourcesVpcConfig.vpcId,
    clusterSecurityGroupId: r.resourcesVpcConfig.clusterSecurityGroupId,
    serviceIpv4Cidr: r.kubernetesNetworkConfig.serviceIpv4Cidr,
    authenticationMode: r.accessConfig.authenticationMode,
  };
}

/**
 * arn:aws:sts::A:assumed-role/R/S → arn:aws:iam::A:role/R. The role path is lost, as in
 * aws-iam-authenticator's canonicalisation (pkg/arn/arn.go), so the creator's access entry matches
 * what sign-in looks up.
 */
export function iamArnOf(p: AwsPrincipal): string {
  if (p.type === 'assumed-role') {
    const m = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(p.arn);
    if (m) return `arn:aws:iam::${m[1]}:role/${m[2]}`;
    if (p.roleArn) return stripRolePath(p.roleArn);
  }
  return p.arn;
}

/** arn:aws:iam::A:role/some/path/R → arn:aws:iam::A:role/R (other ARNs unchanged). */
export function stripRolePath(arn: string): string {
  const m = /^(arn:aws[\w-]*:iam::\d+:role\/)(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1] + m[2] : arn;
}
