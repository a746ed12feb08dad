/**
 * Stored EC2 documents (one state table each, keyed by resource id). Every document carries the
 * account and region it lives in: ids are globally unique, but Describe calls only see the
 * caller's account and the request's region, as on AWS.
 */
import type { InstanceState } from '../../core/backends.js';

export interface Scoped {
  accountId: string;
  region: string;
}

export interface VpcDoc extends Scoped {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
}

export interface SubnetDoc extends Scoped {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
  tags: Record<string, string>;
}

/** One permission of a security group: protocol + port range + one source (CIDR or group). */
export interface SgRule {
  ruleId: string;
  /** tcp | udp | icmp | -1 (all). */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIp?: string;
  /** Source security group (UserIdGroupPair). */
  groupId?: string;
  description?: string;
}

export interface SecurityGroupDoc extends Scoped {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: SgRule[];
  egress: SgRule[];
  tags: Record<string, string>;
}

export interface InstanceDoc extends Scoped {
  instanceId: string;
  reservationId: string;
  instanceType: string;
  imageId: string;
  state: InstanceState;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  privateDnsName: string;
  publicIpAddress?: string;
  /** ISO 8601. */
  launchTime: string;
  /** Epoch ms of termination (terminated instances stay visible for an hour, as on AWS). */
  terminatedAt?: number;
  stateReason?: string;
  tags: Record<string, string>;
  securityGroupIds: string[];
  amiLaunchIndex: number;
}

/** A private IP handed out through Ec2Backend.allocatePrivateIp (pod IPs, load balancer nodes). */
export interface IpDoc extends Scoped {
  subnetId: string;
  ip: string;
}

/** EC2 instance state codes (the low byte of InstanceState.Code). */
export const STATE_CODES: Record<InstanceState, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface LaunchTemplateVersionDoc {
  versionNumber: number;
  description?: string;
  /** ISO 8601. */
  createTime: string;
  instanceType?: string;
  imageId?: string;
  keyName?: string;
  userData?: string;
  securityGroupIds: string[];
  /** TagSpecifications of the template data, by resource type (instance, volume…). */
  tagSpecs: Array<{ resourceType: string; tags: Record<string, string> }>;
}

export interface LaunchTemplateDoc extends Scoped {
  launchTemplateId: string;
  launchTemplateName: string;
  createdBy: string;
  /** ISO 8601. */
  createTime: string;
  defaultVersion: number;
  tags: Record<string, string>;
  versions: LaunchTemplateVersionDoc[];
}
