/**
 * Auto Scaling groups: the operations the API and the backend share. Each group's changes run
 * one at a time (a per-group promise chain), each a validated size change followed by the
 * reconcile that launches or removes instances (scaling.ts) before the call returns — so a
 * Describe right after SetDesiredCapacity shows the new instances (keks's default timing).
 */
import { randomUUID } from 'node:crypto';
import type { Ec2Backend, InstanceLifecycleListener } from '../../core/backends.js';
import type { AwsState, StateTable } from '../../core/state.js';
import { AwsError } from '../../core/types.js';
import { ActivityLog, causeTime } from './activities.js';
import { activeInstances, groupKey, type ActivityDoc, type GroupDoc, type GroupTag, type LaunchTemplateRef } from './model.js';
import { reconcile, removeInstance, type ScalingDeps } from './scaling.js';
import { checkSetDesired, initialSizes, updatedSizes, validationError } from './sizing.js';

export interface NewGroup {
  accountId: string;
  region: string;
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity?: number;
  instanceType: string;
  imageId?: string;
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  mixedInstanceTypes?: string[];
  subnetIds: string[];
  tags: GroupTag[];
  defaultCooldown?: number;
  healthCheckType?: string;
  healthCheckGracePeriod?: number;
  terminationPolicies?: string[];
  newInstancesProtectedFromScaleIn?: boolean;
  capacityRebalance?: boolean;
}

export interface GroupChanges {
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  subnetIds?: string[];
  terminationPolicies?: string[];
  healthCheckType?: string;
  healthCheckGracePeriod?: number;
  defaultCooldown?: number;
  newInstancesProtectedFromScaleIn?: boolean;
  launchTemplate?: LaunchTemplateRef;
  instanceType?: string;
}

export function groupNotFound(name: string): AwsError {
  return validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
}

export class GroupEngine {
  readonly activities: ActivityLog;
  private readonly groups: StateTable<GroupDoc>;
  private readonly deps: ScalingDeps;
  private readonly chains = new Map<string, Promise<unknown>>();

  private constructor(deps: ScalingDeps) {
    this.deps = deps;
    this.groups = deps.groups;
    this.activities = deps.activities;
  }

  static async open(opts: { state: AwsState; ec2: Ec2Backend; lifecycle: InstanceLifecycleListener; now: () => number }): Promise<GroupEngine> {
    const [groups, activities] = await Promise.all([opts.state.table<GroupDoc>('autoscaling-groups'), ActivityLog.open(opts.state, opts.now)]);
    return new GroupEngine({ groups, activities, ec2: opts.ec2, lifecycle: opts.lifecycle, now: opts.now });
  }

  find(accountId: string, region: string, name: string): GroupDoc | undefined {
    return this.groups.get(groupKey(accountId, region, name));
  }

  /** Groups of an account and region, by name. */
  list(accountId: string, region: string): GroupDoc[] {
    return this.groups.values().filter((g) => g.accountId === accountId && g.region === region).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A group by region and name in any account (the backend contract names no account). */
  findInRegion(region: string, name: string): GroupDoc | undefined {
    return this.groups.values().find((g) => g.region === region && g.name === name);
  }

  groupOfInstance(region: string, instanceId: string): GroupDoc | undefined {
    return this.groups.values().find((g) => g.region === region && g.instances.some((i) => i.instanceId === instanceId));
  }

  /** Runs fn after every earlier change of the same group (its lock). */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.chains.set(key, next);
    const cleanup = (): void => { if (this.chains.get(key) === next) this.chains.delete(key); };
    next.then(cleanup, cleanup);
    return next;
  }

  private mustFind(accountId: string, region: string, name: string): GroupDoc {
    const g = this.find(accountId, region, name);
    if (!g) throw groupNotFound(name);
    return g;
  }

  private checkSubnets(region: string, subnetIds: string[]): void {
    if (subnetIds.length === 0) throw validationError('At least one Availability Zone or VPC Subnet is required.');
    for (const id of subnetIds) if (!this.deps.ec2.subnet(region, id)) throw validationError(`The subnet ID '${id}' does not exist`);
  }

  private zonesOf(region: string, subnetIds: string[]): string[] {
    return [...new Set(subnetIds.map((id) => this.deps.ec2.subnet(region, id)?.availabilityZone).filter((z): z is string => !!z))];
  }

  async create(spec: NewGroup): Promise<GroupDoc> {
    const key = groupKey(spec.accountId, spec.region, spec.name);
    return this.serial(key, async () => {
      if (this.groups.has(key)) throw new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${spec.name} already exists`);
      const sizes = initialSizes(spec.minSize, spec.maxSize, spec.desiredCapacity);
      this.checkSubnets(spec.region, spec.subnetIds);
      const g: GroupDoc = {
        name: spec.name, accountId: spec.accountId, region: spec.region,
        arn: `arn:aws:autoscaling:${spec.region}:${spec.accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${spec.name}`,
        ...sizes,
        instanceType: spec.instanceType, imageId: spec.imageId, launchTemplate: spec.launchTemplate,
        launchConfigurationName: spec.launchConfigurationName, mixedInstanceTypes: spec.mixedInstanceTypes,
        subnetIds: [...spec.subnetIds], availabilityZones: this.zonesOf(spec.region, spec.subnetIds),
        tags: spec.tags, instances: [], createdTime: new Date(this.deps.now()).toISOString(),
        defaultCooldown: spec.defaultCooldown ?? 300, healthCheckType: spec.healthCheckType ?? 'EC2',
        healthCheckGracePeriod: spec.healthCheckGracePeriod ?? 300, terminationPolicies: spec.terminationPolicies?.length ? spec.terminationPolicies : ['Default'],
        newInstancesProtectedFromScaleIn: spec.newInstancesProtectedFromScaleIn ?? false, capacityRebalance: spec.capacityRebalance ?? false,
      };
      await this.groups.put(key, g);
      const cause = `At ${causeTime(this.deps.now())} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${g.desiredCapacity}.`;
      return reconcile(this.deps, g, cause);
    });
  }

  async update(accountId: string, region: string, name: string, changes: GroupChanges): Promise<GroupDoc> {
    return this.serial(groupKey(accountId, region, name), async () => {
      const g = this.mustFind(accountId, region, name);
      const sizes = updatedSizes(g, changes);
      if (changes.subnetIds) this.checkSubnets(region, changes.subnetIds);
      const next: GroupDoc = {
        ...g, ...sizes,
        ...(changes.subnetIds ? { subnetIds: changes.subnetIds, availabilityZones: this.zonesOf(region, changes.subnetIds) } : {}),
        ...(changes.terminationPolicies?.length ? { terminationPolicies: changes.terminationPolicies } : {}),
        ...(changes.healthCheckType ? { healthCheckType: changes.healthCheckType } : {}),
        ...(changes.healthCheckGracePeriod !== undefined ? { healthCheckGracePeriod: changes.healthCheckGracePeriod } : {}),
        ...(changes.defaultCooldown !== undefined ? { defaultCooldown: changes.defaultCooldown } : {}),
        ...(changes.newInstancesProtectedFromScaleIn !== undefined ? { newInstancesProtectedFromScaleIn: changes.newInstancesProtectedFromScaleIn } : {}),
        ...(changes.launchTemplate ? { launchTemplate: changes.launchTemplate } : {}),
        ...(changes.instanceType ? { instanceType: changes.instanceType } : {}),
      };
      await this.groups.put(groupKey(accountId, region, name), next);
      const cause = next.desiredCapacity === g.desiredCapacity ? '' : `At ${causeTime(this.deps.now())} a user request update of AutoScalingGroup constraints to min: ${next.minSize}, max: ${next.maxSize}, desired: ${next.desiredCapacity} changing the desired capacity from ${g.desiredCapacity} to ${next.desiredCapacity}.`;
      return reconcile(this.deps, next, cause);
    });
  }

  async setDesired(accountId: string, region: string, name: string, desired: number): Promise<GroupDoc> {
    return this.serial(groupKey(accountId, region, name), async () => {
      const g = this.mustFind(accountId, region, name);
      checkSetDesired(g, desired);
      const next = { ...g, desiredCapacity: desired };
      await this.groups.put(groupKey(accountId, region, name), next);
      const cause = desired === g.desiredCapacity ? '' : `At ${causeTime(this.deps.now())} a user request explicitly set group desired capacity changing the desired capacity from ${g.desiredCapacity} to ${desired}.`;
      return reconcile(this.deps, next, cause);
    });
  }

  /** TerminateInstanceInAutoScalingGroup: the instance's activity; a replacement launches unless decrementing. */
  async terminateInstance(accountId: string, region: string, instanceId: string, decrement: boolean): Promise<ActivityDoc> {
    const owner = this.groups.values().find((g) => g.accountId === accountId && g.region === region && g.instances.some((i) => i.instanceId === instanceId));
    if (!owner) throw validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
    return this.serial(groupKey(accountId, region, owner.name), async () => {
      let g = this.mustFind(accountId, region, owner.name);
      const victim = g.instances.find((i) => i.instanceId === instanceId && i.lifecycleState !== 'Terminating');
      if (!victim) throw validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
      const n = activeInstances(g).length;
      if (decrement && g.desiredCapacity - 1 < g.minSize) {
        throw validationError(`Currently, desiredCapacity (${g.desiredCapacity}) is not greater than minSize (${g.minSize}). Cannot decrement desiredCapacity below min size.`);
      }
      const t = causeTime(this.deps.now());
      let cause = `At ${t} instance ${instanceId} was taken out of service in response to a user request.`;
      if (decrement) {
        g = { ...g, desiredCapacity: g.desiredCapacity - 1 };
        await this.groups.put(groupKey(accountId, region, g.name), g);
        cause = `At ${t} instance ${instanceId} was taken out of service in response to a user request, shrinking the capacity from ${n} to ${n - 1}.`;
      }
      g = await removeInstance(this.deps, g, victim, cause);
      const activity = this.activities.list(accountId, region, g.name)[0];
      await reconcile(this.deps, g, '');
      return activity;
    });
  }

  /** EC2 TerminateInstances of group instances: the group drains and drops them, then replaces them. */
  async instancesTerminatedExternally(region: string, instanceIds: string[]): Promise<void> {
    for (const id of instanceIds) {
      const owner = this.groupOfInstance(region, id);
      if (!owner) continue;
      await this.serial(groupKey(owner.accountId, region, owner.name), async () => {
        const g = this.find(owner.accountId, region, owner.name);
        const victim = g?.instances.find((i) => i.instanceId === id && i.lifecycleState !== 'Terminating');
        if (!g || !victim) return;
        const cause = `At ${causeTime(this.deps.now())} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`;
        const after = await removeInstance(this.deps, g, victim, cause);
        await reconcile(this.deps, after, '');
      });
    }
  }

  /** Deletes a group; with instances only when forced (they are drained and terminated first). */
  async delete(accountId: string, region: string, name: string, force: boolean): Promise<void> {
    const key = groupKey(accountId, region, name);
    await this.serial(key, async () => {
      let g = this.mustFind(accountId, region, name);
      if (g.instances.length > 0 && !force) {
        throw new AwsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
      }
      g = { ...g, status: 'Delete in progress', desiredCapacity: 0, minSize: 0 };
      await this.groups.put(key, g);
      const t = causeTime(this.deps.now());
      for (const victim of [...g.instances]) {
        g = await removeInstance(this.deps, g, victim, `At ${t} a user request deleted the AutoScalingGroup, so instance ${victim.instanceId} was taken out of service.`);
      }
      await this.groups.delete(key);
    });
  }

  /** CreateOrUpdateTags / DeleteTags on a group (existing instances keep their tags, as on AWS). */
  async retag(accountId: string, region: string, name: string, change: (tags: GroupTag[]) => GroupTag[]): Promise<void> {
    const key = groupKey(accountId, region, name);
    await this.serial(key, async () => {
      const g = this.mustFind(accountId, region, name);
      await this.groups.put(key, { ...g, tags: change([...g.tags]) });
    });
  }
}
