/**
 * Stored Auto Scaling documents: groups (keyed `<account>~<region>~<name>`, as group names are
 * unique per account and region) with the instances they own, and scaling activities.
 */

export type LifecycleState = 'Pending' | 'InService' | 'Terminating';

export interface GroupInstance {
  instanceId: string;
  instanceType: string;
  availabilityZone: string;
  subnetId: string;
  lifecycleState: LifecycleState;
  healthStatus: 'Healthy' | 'Unhealthy';
  protectedFromScaleIn: boolean;
  /** ISO 8601 (the termination policy's "oldest instance"). */
  launchTime: string;
}

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface LaunchTemplateRef {
  launchTemplateId?: string;
  launchTemplateName?: string;
  version?: string;
}

export interface GroupDoc {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instanceType: string;
  imageId?: string;
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  /** Instance types of a MixedInstancesPolicy (the first one is launched). */
  mixedInstanceTypes?: string[];
  subnetIds: string[];
  availabilityZones: string[];
  tags: GroupTag[];
  instances: GroupInstance[];
  /** ISO 8601. */
  createdTime: string;
  defaultCooldown: number;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  terminationPolicies: string[];
  newInstancesProtectedFromScaleIn: boolean;
  capacityRebalance: boolean;
  /** "Delete in progress" while a ForceDelete drains the instances. */
  status?: string;
}

export interface ActivityDoc {
  activityId: string;
  accountId: string;
  region: string;
  groupName: string;
  groupArn: string;
  description: string;
  cause: string;
  /** ISO 8601. */
  startTime: string;
  endTime?: string;
  statusCode: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  statusMessage?: string;
  progress: number;
  details: string;
  /** Monotonic order of recording (newest first in DescribeScalingActivities). */
  seq: number;
}

export function groupKey(accountId: string, region: string, name: string): string {
  return `${accountId}~${region}~${name}`;
}

/** Instances that count toward capacity (not on their way out). */
export function activeInstances(g: GroupDoc): GroupInstance[] {
  return g.instances.filter((i) => i.lifecycleState !== 'Terminating');
}
