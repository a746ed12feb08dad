/**
 * The steps that change a group's instances: launching up to the desired capacity, removing
 * instances on scale-in, and taking one instance out (its Node drained first). Callers hold the
 * group's lock; every step saves the group before and after talking to EC2 and the lifecycle
 * listener, so a crash leaves the group describing what exists.
 *
 * Order on removal, as an ASG with a termination lifecycle hook behaves: the instance turns
 * `Terminating`, the listener cordons and drains its Node (`terminating`), then EC2 terminates
 * it and it leaves the group. A listener failure does not stop termination (a hook that times
 * out continues too); it is reported as the activity's StatusMessage.
 */
import type { Ec2Backend, InstanceLifecycleListener } from '../../core/backends.js';
import type { StateTable } from '../../core/state.js';
import { AwsError, isAwsError } from '../../core/types.js';
import { causeTime, type ActivityLog } from './activities.js';
import { activeInstances, groupKey, type GroupDoc, type GroupInstance } from './model.js';
import { pickLaunchSubnet, pickVictim, type SubnetZone } from './placement.js';

export const GROUP_NAME_TAG = 'aws:autoscaling:groupName';

export interface ScalingDeps {
  groups: StateTable<GroupDoc>;
  activities: ActivityLog;
  ec2: Ec2Backend;
  lifecycle: InstanceLifecycleListener;
  now: () => number;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function save(deps: ScalingDeps, g: GroupDoc): Promise<GroupDoc> {
  await deps.groups.put(groupKey(g.accountId, g.region, g.name), g);
  return g;
}

function join(prefix: string, sentence: string): string {
  return prefix ? `${prefix}  ${sentence}` : sentence;
}

function subnetZones(deps: ScalingDeps, g: GroupDoc): SubnetZone[] {
  return g.subnetIds.flatMap((id) => {
    const s = deps.ec2.subnet(g.region, id);
    return s ? [{ subnetId: id, availabilityZone: s.availabilityZone }] : [];
  });
}

/** Tags an instance of the group is launched with: PropagateAtLaunch tags + aws:autoscaling:groupName. */
export function launchTags(g: GroupDoc): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of g.tags) if (t.propagateAtLaunch) tags[t.key] = t.value;
  tags[GROUP_NAME_TAG] = g.name;
  return tags;
}

/**
 * What the next instance is launched with: the group's launch template version as EC2 resolves
 * it now ($Default unless the group names a version; a MixedInstancesPolicy override wins for
 * the type), else the group's own instance type and image.
 */
function launchSpec(deps: ScalingDeps, g: GroupDoc): { instanceType: string; imageId?: string; securityGroupIds?: string[]; tags: Record<string, string> } {
  const ref = g.launchTemplate;
  if (!ref || !deps.ec2.launchTemplateData) return { instanceType: g.instanceType, imageId: g.imageId, tags: launchTags(g) };
  const data = deps.ec2.launchTemplateData(g.region, g.accountId, ref);
  if (!data) throw launchTemplateMissing(ref);
  return {
    instanceType: g.mixedInstanceTypes?.[0] ?? data.instanceType ?? g.instanceType,
    imageId: data.imageId ?? g.imageId,
    ...(data.securityGroupIds.length ? { securityGroupIds: data.securityGroupIds } : {}),
    tags: { ...data.instanceTags, ...launchTags(g) },
  };
}

/** Auto Scaling's wording when a group's launch template does not exist. */
export function launchTemplateMissing(ref: { launchTemplateId?: string; launchTemplateName?: string }): AwsError {
  const what = ref.launchTemplateId ? `template ID ${ref.launchTemplateId}` : `template name ${ref.launchTemplateName ?? ''}`;
  return new AwsError('ValidationError', `You must use a valid fully-formed launch template. The specified launch template, with ${what}, does not exist.`);
}

/** Takes one instance out of the group: Terminating → listener drains → EC2 terminates → removed. */
export async function removeInstance(deps: ScalingDeps, g: GroupDoc, victim: GroupInstance, cause: string): Promise<GroupDoc> {
  g = await save(deps, { ...g, instances: g.instances.map((i) => (i.instanceId === victim.instanceId ? { ...i, lifecycleState: 'Terminating' as const } : i)) });
  let statusMessage: string | undefined;
  const info = deps.ec2.instance(g.region, victim.instanceId);
  if (info && info.state !== 'terminated') {
    try {
      await deps.lifecycle.terminating(info);
    } catch (e) {
      statusMessage = `Instance lifecycle listener failed: ${errorText(e)}`;
    }
    await deps.ec2.terminateInstances(g.region, [victim.instanceId]);
  }
  const fresh = (deps.groups.get(groupKey(g.accountId, g.region, g.name)) ?? g);
  g = await save(deps, { ...fresh, instances: fresh.instances.filter((i) => i.instanceId !== victim.instanceId) });
  await deps.activities.record(g, {
    description: `Terminating EC2 instance: ${victim.instanceId}`, cause,
    details: { 'Subnet ID': victim.subnetId, 'Availability Zone': victim.availabilityZone }, statusMessage,
  });
  return g;
}

/**
 * Launches or removes instances until the group's active count equals its desired capacity.
 * `cause` is the sentence naming the request that changed the capacity ('' for none).
 */
export async function reconcile(deps: ScalingDeps, g: GroupDoc, cause: string): Promise<GroupDoc> {
  for (let guard = 0; guard < 10_000; guard++) {
    const active = activeInstances(g);
    if (active.length < g.desiredCapacity) {
      const zones = subnetZones(deps, g);
      if (zones.length === 0) return g;
      const target = pickLaunchSubnet(zones, active);
      const n = active.length;
      const sentence = `At ${causeTime(deps.now())} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${n} to ${n + 1}.`;
      let launched;
      try {
        const spec = launchSpec(deps, g);
        [launched] = await deps.ec2.runInstances({
          region: g.region, accountId: g.accountId, subnetIds: [target.subnetId], count: 1, ...spec,
        });
      } catch (e) {
        if (!isAwsError(e)) throw e;
        await deps.activities.record(g, {
          description: 'Launching a new EC2 instance.  Status Reason: ' + e.message, cause: join(cause, sentence),
          details: { 'Subnet ID': target.subnetId, 'Availability Zone': target.availabilityZone }, statusMessage: e.message, failed: true,
        });
        return g;
      }
      const member: GroupInstance = {
        instanceId: launched.instanceId, instanceType: launched.instanceType, availabilityZone: launched.availabilityZone,
        subnetId: launched.subnetId, lifecycleState: 'InService', healthStatus: 'Healthy',
        protectedFromScaleIn: g.newInstancesProtectedFromScaleIn, launchTime: launched.launchTime,
      };
      g = await save(deps, { ...g, instances: [...g.instances, member] });
      let statusMessage: string | undefined;
      try {
        await deps.lifecycle.launched(launched);
      } catch (e) {
        statusMessage = `Instance lifecycle listener failed: ${errorText(e)}`;
      }
      await deps.activities.record(g, {
        description: `Launching a new EC2 instance: ${launched.instanceId}`, cause: join(cause, sentence),
        details: { 'Subnet ID': launched.subnetId, 'Availability Zone': launched.availabilityZone }, statusMessage,
      });
    } else if (active.length > g.desiredCapacity) {
      const zoneOrder = subnetZones(deps, g).map((s) => s.availabilityZone);
      const victim = pickVictim(active, zoneOrder, g.terminationPolicies);
      if (!victim) return g;
      const n = active.length;
      const t = causeTime(deps.now());
      g = await removeInstance(deps, g, victim, join(cause,
        `At ${t} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${n} to ${n - 1}.  At ${t} instance ${victim.instanceId} was selected for termination.`));
    } else {
      return g;
    }
  }
  return g;
}
