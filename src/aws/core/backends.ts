/**
 * The contracts AWS services use to reach each other and the Kubernetes side. Each service
 * implements its own backend; the composition root (src/main.ts, src/cluster/) wires them.
 * A service depends on these interfaces, never on another service's files, so each can be
 * tested alone with a small fake.
 *
 * Ownership, as on AWS: an EKS cluster owns its control plane (ControlPlanes); a node group
 * owns an Auto Scaling group (AutoScalingBackend), which owns EC2 instances (Ec2Backend);
 * instances register Nodes in their cluster through InstanceLifecycleListener.
 */
import type { ApiClient } from '../../client/client.js';
import type { Clock } from '../../util/clock.js';
import type { AwsState } from './state.js';
import type { AwsPrincipal, CredentialStore } from './types.js';

/** Everything a service is constructed with. */
export interface AwsServiceDeps {
  clock: Clock;
  state: AwsState;
  /** The account of the configured root key (default 000000000000). */
  defaultAccountId: string;
  /** The region of the default cluster (config.region). */
  defaultRegion: string;
}

// ---- IAM / STS -------------------------------------------------------------------------------

export interface IamRoleInfo {
  arn: string;
  roleName: string;
  roleId: string;
  accountId: string;
  path: string;
  assumeRolePolicyDocument: string;
}

/** Implemented by the IAM service (keys of IAM users, STS sessions and the root key). */
export interface IamBackend extends CredentialStore {
  /** A role by ARN (arn:aws:iam::A:role/<path>R), or undefined. */
  roleByArn(arn: string): IamRoleInfo | undefined;
  /** The principal an IAM ARN names (user or role), when it exists; used by EKS access entries. */
  principalExists(arn: string): boolean;
  /** IAM OIDC providers of an account (for AssumeRoleWithWebIdentity / IRSA). */
  oidcProviderUrls(accountId: string): string[];
}

// ---- EC2 -------------------------------------------------------------------------------------

export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  /** Public subnets map public IPs on launch (eksctl's public subnets). */
  mapPublicIpOnLaunch: boolean;
}

export interface VpcInfo {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
}

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceInfo {
  instanceId: string;
  region: string;
  accountId: string;
  instanceType: string;
  imageId: string;
  state: InstanceState;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  /** ip-a-b-c-d.<region>.compute.internal (ec2.internal in us-east-1). */
  privateDnsName: string;
  publicIpAddress?: string;
  launchTime: string;
  tags: Record<string, string>;
  securityGroupIds: string[];
}

export interface RunInstancesInput {
  region: string;
  accountId: string;
  instanceType: string;
  imageId?: string;
  /** Instances go round-robin over these subnets (their AZs), as an ASG balances zones. */
  subnetIds: string[];
  count: number;
  tags: Record<string, string>;
  securityGroupIds?: string[];
}

/** What an instance launched from an EC2 launch template version gets. */
export interface LaunchTemplateData {
  launchTemplateId: string;
  launchTemplateName: string;
  versionNumber: number;
  instanceType?: string;
  imageId?: string;
  securityGroupIds: string[];
  /** Tags of the template's `instance` TagSpecification. */
  instanceTags: Record<string, string>;
}

export interface Ec2Backend {
  /** The region's default VPC (192.168.0.0/16, public + private subnets in 3 AZs), created on first use. */
  defaultVpc(region: string, accountId: string): VpcInfo;
  vpc(region: string, vpcId: string): VpcInfo | undefined;
  subnet(region: string, subnetId: string): SubnetInfo | undefined;
  subnetsOf(region: string, vpcId: string): SubnetInfo[];
  /** A security group owned by keks (e.g. the EKS cluster security group). */
  createSecurityGroup(input: { region: string; accountId: string; vpcId: string; name: string; description: string; tags?: Record<string, string> }): Promise<string>;
  deleteSecurityGroup(region: string, groupId: string): Promise<void>;
  runInstances(input: RunInstancesInput): Promise<InstanceInfo[]>;
  terminateInstances(region: string, instanceIds: string[]): Promise<void>;
  instance(region: string, instanceId: string): InstanceInfo | undefined;
  /** The next free private IP in a subnet (ENI secondary IPs for pods, load balancer nodes). */
  allocatePrivateIp(region: string, subnetId: string): string;
  releasePrivateIp(region: string, subnetId: string, ip: string): void;
  /**
   * Optional (Auto Scaling registers itself): EC2 TerminateInstances of instances tagged
   * aws:autoscaling:groupName goes to this delegate first, so the owning group drains the Node,
   * terminates the instance and launches a replacement, as AWS does. terminateInstances() above
   * never calls it.
   */
  setTerminationDelegate?(delegate: (region: string, instanceIds: string[]) => Promise<void>): void;
  /**
   * Optional: a launch template version of the account (by id or name; version a number,
   * `$Latest` or `$Default`, the default), or undefined when it does not exist.
   */
  launchTemplateData?(region: string, accountId: string, ref: { launchTemplateId?: string; launchTemplateName?: string; version?: string }): LaunchTemplateData | undefined;
}

// ---- Auto Scaling ----------------------------------------------------------------------------

export interface AutoScalingGroupInfo {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instanceType: string;
  subnetIds: string[];
  tags: Record<string, string>;
  instanceIds: string[];
}

export interface CreateGroupInput {
  region: string;
  accountId: string;
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instanceType: string;
  imageId?: string;
  subnetIds: string[];
  /** Group tags; PropagateAtLaunch=true for all of them (they land on the instances). */
  tags: Record<string, string>;
}

export interface AutoScalingBackend {
  createGroup(input: CreateGroupInput): Promise<AutoScalingGroupInfo>;
  group(region: string, name: string): AutoScalingGroupInfo | undefined;
  /** Same rules as UpdateAutoScalingGroup (min > desired raises desired, max < desired lowers it). */
  updateGroup(region: string, name: string, sizes: { minSize?: number; maxSize?: number; desiredCapacity?: number }): Promise<AutoScalingGroupInfo>;
  /** Terminates every instance (draining their Nodes first) and removes the group. */
  deleteGroup(region: string, name: string): Promise<void>;
}

/**
 * Told when an Auto Scaling group launches or terminates an instance. The composition root
 * connects it to the cluster named by the instance's `eks:cluster-name` tag: launch registers a
 * Node (as the kubelet would), terminate cordons and drains the Node, then deletes it.
 */
export interface InstanceLifecycleListener {
  launched(instance: InstanceInfo): Promise<void>;
  terminating(instance: InstanceInfo): Promise<void>;
}

// ---- EKS control planes (implemented by src/cluster/manager.ts) ------------------------------

export interface ControlPlaneSpec {
  name: string;
  region: string;
  accountId: string;
  /** Kubernetes minor version, e.g. "1.32". */
  version: string;
  serviceIpv4Cidr: string;
  /** The IAM identity that created the cluster (admin when bootstrapClusterCreatorAdminPermissions). */
  creator: AwsPrincipal;
  /** Fixed API server port (restarts reuse the one first chosen); 0 = any free port. */
  port?: number;
  /** identity.oidc.issuer: the cluster's service-account token issuer (IRSA trusts it). */
  oidcIssuer?: string;
}

export interface ControlPlaneHandle {
  readonly name: string;
  /** https://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** PEM of the cluster CA (DescribeCluster returns it base64-encoded). */
  readonly caPem: string;
  /** A client with full rights inside the cluster (controller-manager's loopback identity). */
  readonly client: ApiClient;
  /** EKS UpdateClusterConfig endpoint access: requests from outside these CIDRs are refused. */
  setPublicAccessCidrs(cidrs: string[] | undefined): void;
}

export interface ControlPlanes {
  create(spec: ControlPlaneSpec): Promise<ControlPlaneHandle>;
  get(name: string): ControlPlaneHandle | undefined;
  /** Stops the cluster's API server and controllers and deletes its objects. */
  delete(name: string): Promise<void>;
}
