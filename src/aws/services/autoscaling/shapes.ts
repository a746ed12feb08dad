/**
 * Auto Scaling documents as the query protocol returns them (PascalCase members of the
 * 2011-01-01 model; the codec turns arrays into `<member>` lists).
 */
import type { XmlObject } from '../../core/types.js';
import type { ActivityDoc, GroupDoc, GroupInstance, GroupTag } from './model.js';

function launchTemplateXml(g: GroupDoc): XmlObject | undefined {
  if (!g.launchTemplate) return undefined;
  return { LaunchTemplateId: g.launchTemplate.launchTemplateId, LaunchTemplateName: g.launchTemplate.launchTemplateName, Version: g.launchTemplate.version ?? '$Default' };
}

export function tagXml(g: GroupDoc, t: GroupTag): XmlObject {
  return { ResourceId: g.name, ResourceType: 'auto-scaling-group', Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch };
}

export function instanceXml(g: GroupDoc, i: GroupInstance): XmlObject {
  return {
    InstanceId: i.instanceId,
    InstanceType: i.instanceType,
    AvailabilityZone: i.availabilityZone,
    LifecycleState: i.lifecycleState,
    HealthStatus: i.healthStatus,
    LaunchConfigurationName: g.launchConfigurationName,
    LaunchTemplate: launchTemplateXml(g),
    ProtectedFromScaleIn: i.protectedFromScaleIn,
  };
}

export function groupXml(g: GroupDoc, includeInstances = true): XmlObject {
  const lt = launchTemplateXml(g);
  const mixed = g.mixedInstanceTypes?.length
    ? { LaunchTemplate: { LaunchTemplateSpecification: lt, Overrides: g.mixedInstanceTypes.map((t) => ({ InstanceType: t })) }, InstancesDistribution: { OnDemandAllocationStrategy: 'prioritized', OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 100, SpotAllocationStrategy: 'lowest-price', SpotInstancePools: 2 } }
    : undefined;
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchConfigurationName: g.launchConfigurationName,
    LaunchTemplate: mixed ? undefined : lt,
    MixedInstancesPolicy: mixed,
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: g.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: includeInstances ? g.instances.map((i) => instanceXml(g, i)) : undefined,
    CreatedTime: new Date(g.createdTime),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.subnetIds.join(','),
    EnabledMetrics: [],
    Status: g.status,
    Tags: g.tags.map((t) => tagXml(g, t)),
    TerminationPolicies: g.terminationPolicies,
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: `arn:aws:iam::${g.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: g.capacityRebalance,
    TrafficSources: [],
  };
}

export function autoScalingInstanceXml(g: GroupDoc, i: GroupInstance): XmlObject {
  return { AutoScalingGroupName: g.name, ...instanceXml(g, i) };
}

export function activityXml(a: ActivityDoc): XmlObject {
  return {
    ActivityId: a.activityId,
    AutoScalingGroupName: a.groupName,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    EndTime: a.endTime ? new Date(a.endTime) : undefined,
    StatusCode: a.statusCode,
    StatusMessage: a.statusMessage,
    Progress: a.progress,
    Details: a.details,
    AutoScalingGroupARN: a.groupArn,
  };
}
