/**
 * The Auto Scaling service (query protocol, API version 2011-01-01) and its backend, both over
 * one GroupEngine. It owns EC2 instances through the Ec2Backend and tells the lifecycle listener
 * about every launch and (before it happens) every termination. It registers itself as EC2's
 * termination delegate, so an EC2 TerminateInstances of a group's instance is replaced.
 *
 * On start nothing is launched or terminated: groups and their instances are read back as stored.
 * `openAutoScaling` loads the action table (autoscaling-actions.ts) on demand, on the AWS
 * endpoint's first request, so `keks start` does not import it before its clusters are ready.
 */
import type { AutoScalingBackend, AutoScalingGroupInfo, AwsServiceDeps, Ec2Backend, InstanceLifecycleListener } from '../../core/backends.js';
import type { QueryService } from '../../core/types.js';
import { GroupEngine, groupNotFound } from './engine.js';
import { activeInstances, type GroupDoc } from './model.js';

export const AUTOSCALING_VERSION = '2011-01-01';
export const AUTOSCALING_XMLNS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

/** The group engine's backend, with the query service loaded on demand. */
export interface AutoScalingParts {
  backend: AutoScalingBackend;
  /** The query service (its action modules are imported on the first call). */
  loadService(): Promise<QueryService>;
}

export interface AutoScalingModule extends AutoScalingParts {
  service: QueryService;
}

function info(g: GroupDoc): AutoScalingGroupInfo {
  const propagated: Record<string, string> = {};
  for (const t of g.tags) propagated[t.key] = t.value;
  return {
    name: g.name, arn: g.arn, region: g.region, accountId: g.accountId, minSize: g.minSize, maxSize: g.maxSize,
    desiredCapacity: g.desiredCapacity, instanceType: g.instanceType, subnetIds: [...g.subnetIds], tags: propagated,
    instanceIds: activeInstances(g).map((i) => i.instanceId),
  };
}

/** Opens the Auto Scaling state tables (hence async) and builds the service and its backend. */
type AutoScalingDeps = AwsServiceDeps & { ec2: Ec2Backend; lifecycle: InstanceLifecycleListener };

/** The service and its backend at once. */
export async function createAutoScaling(deps: AutoScalingDeps): Promise<AutoScalingModule> {
  const parts = await openAutoScaling(deps);
  return { ...parts, service: await parts.loadService() };
}

export async function openAutoScaling(deps: AutoScalingDeps): Promise<AutoScalingParts> {
  const engine = await GroupEngine.open({ state: deps.state, ec2: deps.ec2, lifecycle: deps.lifecycle, now: () => deps.clock.now() });
  deps.ec2.setTerminationDelegate?.((region, ids) => engine.instancesTerminatedExternally(region, ids));
  const backend: AutoScalingBackend = {
    async createGroup(input) {
      const g = await engine.create({
        accountId: input.accountId, region: input.region, name: input.name, minSize: input.minSize, maxSize: input.maxSize,
        desiredCapacity: input.desiredCapacity, instanceType: input.instanceType, imageId: input.imageId, subnetIds: input.subnetIds,
        tags: Object.entries(input.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      });
      return info(g);
    },
    group(region, name) {
      const g = engine.findInRegion(region, name);
      return g && info(g);
    },
    async updateGroup(region, name, sizes) {
      const g = engine.findInRegion(region, name);
      if (!g) throw groupNotFound(name);
      return info(await engine.update(g.accountId, region, name, sizes));
    },
    async deleteGroup(region, name) {
      const g = engine.findInRegion(region, name);
      if (g) await engine.delete(g.accountId, region, name, true);
    },
  };
  let service: Promise<QueryService> | undefined;
  return {
    backend,
    loadService: () => (service ??= import('./autoscaling-actions.js').then((m) => ({
      protocol: 'query', signingName: 'autoscaling', version: AUTOSCALING_VERSION, xmlns: AUTOSCALING_XMLNS, actions: m.autoScalingActions(engine, deps.ec2),
    }))),
  };
}
