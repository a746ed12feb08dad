/**
 * Auto Scaling write operations: CreateAutoScalingGroup (minimal: a LaunchTemplate,
 * LaunchConfigurationName, MixedInstancesPolicy or InstanceId, and VPCZoneIdentifier subnets or
 * AvailabilityZones of the default VPC), UpdateAutoScalingGroup, SetDesiredCapacity,
 * DeleteAutoScalingGroup, TerminateInstanceInAutoScalingGroup, CreateOrUpdateTags, DeleteTags.
 */
import type { Ec2Backend } from '../../core/backends.js';
import type { AwsRequestContext, QueryHandler, QueryParams } from '../../core/types.js';
import type { GroupEngine } from './engine.js';
import type { GroupTag, LaunchTemplateRef } from './model.js';
import { launchTemplateMissing } from './scaling.js';
import { activityXml } from './shapes.js';
import { validationError } from './sizing.js';

/** The instance type launched when the launch template is not known to keks. */
export const DEFAULT_INSTANCE_TYPE = 't3.medium';

function launchTemplate(p: QueryParams | undefined): LaunchTemplateRef | undefined {
  if (!p) return undefined;
  const ref = { launchTemplateId: p.get('LaunchTemplateId'), launchTemplateName: p.get('LaunchTemplateName'), version: p.get('Version') };
  if (!ref.launchTemplateId && !ref.launchTemplateName) throw validationError('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  return ref;
}

function readTags(params: QueryParams): GroupTag[] {
  return params.structs('Tags').map((t) => ({ key: t.required('Key'), value: t.get('Value') ?? '', propagateAtLaunch: t.bool('PropagateAtLaunch') ?? false }));
}

function required(params: QueryParams, name: string): number {
  const n = params.int(name);
  if (n === undefined) throw validationError(`1 validation error detected: Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return n;
}

/** Subnets from VPCZoneIdentifier, else the default VPC's public subnets in the named zones. */
function subnetsOf(params: QueryParams, ctx: AwsRequestContext, ec2: Ec2Backend): string[] {
  const ids = (params.get('VPCZoneIdentifier') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length) return ids;
  const zones = params.list('AvailabilityZones');
  if (zones.length === 0) return [];
  const vpc = ec2.defaultVpc(ctx.region, ctx.caller.accountId);
  const subnets = ec2.subnetsOf(ctx.region, vpc.vpcId).filter((s) => s.mapPublicIpOnLaunch);
  return zones.map((z) => {
    const s = subnets.find((x) => x.availabilityZone === z);
    if (!s) throw validationError(`Invalid Availability Zone: ${z}`);
    return s.subnetId;
  });
}

export function groupActions(engine: GroupEngine, ec2: Ec2Backend): Record<string, QueryHandler> {
  return {
    async CreateAutoScalingGroup(params, ctx) {
      const name = params.required('AutoScalingGroupName');
      const mixed = params.struct('MixedInstancesPolicy');
      const mixedTypes = mixed?.struct('LaunchTemplate')?.structs('Overrides').map((o) => o.get('InstanceType')).filter((t): t is string => !!t) ?? [];
      const lt = launchTemplate(params.struct('LaunchTemplate')) ?? launchTemplate(mixed?.struct('LaunchTemplate')?.struct('LaunchTemplateSpecification'));
      const lcName = params.get('LaunchConfigurationName');
      const fromInstanceId = params.get('InstanceId');
      let instanceType = mixedTypes[0] ?? DEFAULT_INSTANCE_TYPE;
      let imageId: string | undefined;
      if (lt && ec2.launchTemplateData) {
        const data = ec2.launchTemplateData(ctx.region, ctx.caller.accountId, lt);
        if (!data) throw launchTemplateMissing(lt);
        instanceType = mixedTypes[0] ?? data.instanceType ?? instanceType;
        imageId = data.imageId;
      }
      let subnetIds = subnetsOf(params, ctx, ec2);
      if (fromInstanceId) {
        const src = ec2.instance(ctx.region, fromInstanceId);
        if (!src) throw validationError(`Instance Id not found - ${fromInstanceId}`);
        instanceType = src.instanceType;
        imageId = src.imageId;
        if (subnetIds.length === 0) subnetIds = [src.subnetId];
      } else if (!lt && !lcName && !mixed) {
        throw validationError('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
      }
      await engine.create({
        accountId: ctx.caller.accountId, region: ctx.region, name,
        minSize: required(params, 'MinSize'), maxSize: required(params, 'MaxSize'), desiredCapacity: params.int('DesiredCapacity'),
        instanceType, imageId, launchTemplate: lt, launchConfigurationName: lcName, mixedInstanceTypes: mixedTypes.length ? mixedTypes : undefined,
        subnetIds, tags: readTags(params),
        defaultCooldown: params.int('DefaultCooldown'), healthCheckType: params.get('HealthCheckType'),
        healthCheckGracePeriod: params.int('HealthCheckGracePeriod'), terminationPolicies: params.list('TerminationPolicies'),
        newInstancesProtectedFromScaleIn: params.bool('NewInstancesProtectedFromScaleIn'), capacityRebalance: params.bool('CapacityRebalance'),
      });
    },

    async UpdateAutoScalingGroup(params, ctx) {
      const name = params.required('AutoScalingGroupName');
      const checkedTemplate = (ref: LaunchTemplateRef | undefined): LaunchTemplateRef | undefined => {
        if (ref && ec2.launchTemplateData && !ec2.launchTemplateData(ctx.region, ctx.caller.accountId, ref)) throw launchTemplateMissing(ref);
        return ref;
      };
      const vpcZones = params.get('VPCZoneIdentifier');
      await engine.update(ctx.caller.accountId, ctx.region, name, {
        minSize: params.int('MinSize'), maxSize: params.int('MaxSize'), desiredCapacity: params.int('DesiredCapacity'),
        subnetIds: vpcZones ? vpcZones.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        terminationPolicies: params.list('TerminationPolicies'), healthCheckType: params.get('HealthCheckType'),
        healthCheckGracePeriod: params.int('HealthCheckGracePeriod'), defaultCooldown: params.int('DefaultCooldown'),
        newInstancesProtectedFromScaleIn: params.bool('NewInstancesProtectedFromScaleIn'),
        launchTemplate: checkedTemplate(launchTemplate(params.struct('LaunchTemplate'))),
      });
    },

    async SetDesiredCapacity(params, ctx) {
      await engine.setDesired(ctx.caller.accountId, ctx.region, params.required('AutoScalingGroupName'), required(params, 'DesiredCapacity'));
    },

    async DeleteAutoScalingGroup(params, ctx) {
      await engine.delete(ctx.caller.accountId, ctx.region, params.required('AutoScalingGroupName'), params.bool('ForceDelete') ?? false);
    },

    async TerminateInstanceInAutoScalingGroup(params, ctx) {
      const decrement = params.bool('ShouldDecrementDesiredCapacity');
      if (decrement === undefined) throw validationError("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null");
      const activity = await engine.terminateInstance(ctx.caller.accountId, ctx.region, params.required('InstanceId'), decrement);
      return { Activity: activityXml(activity) };
    },

    async CreateOrUpdateTags(params, ctx) {
      const byGroup = new Map<string, GroupTag[]>();
      for (const t of params.structs('Tags')) {
        const group = t.required('ResourceId');
        byGroup.set(group, [...(byGroup.get(group) ?? []), { key: t.required('Key'), value: t.get('Value') ?? '', propagateAtLaunch: t.bool('PropagateAtLaunch') ?? false }]);
      }
      for (const [group, tags] of byGroup) {
        await engine.retag(ctx.caller.accountId, ctx.region, group, (cur) => [...cur.filter((c) => !tags.some((t) => t.key === c.key)), ...tags]);
      }
    },

    async DeleteTags(params, ctx) {
      const byGroup = new Map<string, string[]>();
      for (const t of params.structs('Tags')) {
        const group = t.required('ResourceId');
        byGroup.set(group, [...(byGroup.get(group) ?? []), t.required('Key')]);
      }
      for (const [group, keys] of byGroup) await engine.retag(ctx.caller.accountId, ctx.region, group, (cur) => cur.filter((c) => !keys.includes(c.key)));
    },
  };
}
