/**
 * Contracts between the parts of the EKS service: clusters (clusters.ts and friends) and the
 * compute parts (node groups, Fargate profiles) that hang off a cluster. Each part keeps its own
 * state table; these interfaces are how they see each other.
 */
import type { ControlPlaneHandle } from '../../core/backends.js';

export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
export type AuthenticationMode = 'CONFIG_MAP' | 'API' | 'API_AND_CONFIG_MAP';

/** What node groups and Fargate profiles need to know about their cluster. */
export interface EksClusterView {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  status: ClusterStatus;
  /** Kubernetes minor version, e.g. "1.32". */
  version: string;
  platformVersion: string;
  subnetIds: string[];
  vpcId: string;
  clusterSecurityGroupId: string;
  serviceIpv4Cidr: string;
  authenticationMode: AuthenticationMode;
}

export interface ClusterLookup {
  /** The cluster of this account and region, or undefined. */
  find(accountId: string, region: string, name: string): EksClusterView | undefined;
  /** The running control plane of a cluster (undefined while CREATING or after deletion). */
  controlPlane(name: string): ControlPlaneHandle | undefined;
}

export type UpdateStatus = 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';

/** An EKS Update (DescribeUpdate), as returned on the wire (createdAt in epoch seconds). */
export interface EksUpdate {
  id: string;
  status: UpdateStatus;
  type: string;
  params: Array<{ type: string; value: string }>;
  createdAt: number;
  errors: Array<{ errorCode: string; errorMessage: string; resourceIds: string[] }>;
}

/** The cluster part keeps every update; node groups and add-ons record theirs through this. */
export interface UpdateLog {
  /** Records (or replaces, by id) an update of a cluster, node group or add-on. */
  record(clusterKey: { accountId: string; region: string; cluster: string }, owner: { nodegroupName?: string; addonName?: string }, update: EksUpdate): Promise<void>;
}

/** What the cluster part asks the compute parts before and during DeleteCluster. */
export interface ClusterDependents {
  /** Node group names of the cluster (DeleteCluster refuses with "Cluster has nodegroups attached"). */
  nodegroupNames(accountId: string, region: string, cluster: string): string[];
  /** Removes the cluster's Fargate profiles (EKS deletes them with the cluster). */
  deleteFargateProfiles(accountId: string, region: string, cluster: string): Promise<void>;
}

// ---- Sign-in (read by the EKS token authenticator through the composition root) --------------

/** A policy associated with an access entry (AssociateAccessPolicy). */
export interface AccessEntryPolicyView {
  /** arn:aws:eks::aws:cluster-access-policy/<Name> */
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] };
}

/** What sign-in needs to know about one EKS access entry. */
export interface AccessEntryView {
  principalArn: string;
  /** As stored: may hold templates such as {{SessionName}} or {{EC2PrivateDNSName}}. */
  username: string;
  kubernetesGroups: string[];
  /** STANDARD | EC2_LINUX | EC2_WINDOWS | FARGATE_LINUX | EC2 | HYBRID_LINUX | HYPERPOD_LINUX */
  type: string;
  policies: AccessEntryPolicyView[];
}

/**
 * The EKS facts the IAM sign-in authenticator needs, per cluster (by cluster name, as control
 * planes are named). Unknown cluster → undefined.
 *
 * How EKS uses them: in CONFIG_MAP mode the creator is always cluster admin (system:masters,
 * not visible anywhere; bootstrapClusterCreatorAdminPermissions must be true there) and
 * everyone else comes from aws-auth. In API and API_AND_CONFIG_MAP modes the creator's rights
 * are its access entry (created with AmazonEKSClusterAdminPolicy at creation, or when the
 * cluster leaves CONFIG_MAP, if bootstrapClusterCreatorAdminPermissions): deleting that entry
 * takes them away. API_AND_CONFIG_MAP consults access entries first, then aws-auth.
 */
export interface EksIdentitySource {
  authenticationMode(cluster: string): AuthenticationMode | undefined;
  /** The IAM ARN of the cluster's creator (assumed-role ARNs converted to the role ARN), and whether it is admin. */
  creator(cluster: string): { arn: string; bootstrapClusterCreatorAdminPermissions: boolean } | undefined;
  /** The creator's IAM ARN (shorthand for creator(cluster)?.arn). */
  creatorArn(cluster: string): string | undefined;
  /** The access entry of an IAM principal ARN (user or role ARN, not an STS session ARN). */
  accessEntry(cluster: string, principalArn: string): AccessEntryView | undefined;
}

// ---- Tags on resources other parts own ---------------------------------------------------------

/**
 * Lets TagResource / UntagResource / ListTagsForResource reach resources the compute part owns
 * (nodegroup and fargateprofile ARNs). `tags` returns undefined when the ARN names nothing.
 */
export interface EksTaggable {
  /** The ARN resource type it owns, e.g. "nodegroup" or "fargateprofile". */
  resourceType: string;
  tags(arn: string): Record<string, string> | undefined;
  setTags(arn: string, tags: Record<string, string>): Promise<void>;
}
