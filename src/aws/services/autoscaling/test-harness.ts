/**
 * Unit-test harness for Auto Scaling: EC2 and Auto Scaling over one MemoryStore, a recording
 * lifecycle listener that notes each instance's EC2 state when it is told, and `call()` through
 * the query handlers.
 */
import type { InstanceInfo, InstanceLifecycleListener } from '../../core/backends.js';
import { storeBackedState } from '../../core/state.js';
import type { XmlObject } from '../../core/types.js';
import { fakeParams } from '../ec2/fake-params.js';
import { ACCOUNT, ctxFor, ec2Harness, type Ec2Harness } from '../ec2/test-harness.js';
import { createAutoScaling, type AutoScalingModule } from './autoscaling.js';
import type { MemoryStore } from '../../../storage/memory/memory-store.js';

export const REGION = 'ap-northeast-2';
/** The launch template every harness has (t3.medium). */
export const TEMPLATE = 'ng-template';
export { ACCOUNT };

export interface LifecycleCall {
  event: 'launched' | 'terminating';
  instanceId: string;
  /** The instance's EC2 state when the listener was called. */
  stateAtCall: string;
  zone: string;
}

export interface AsgHarness {
  ec2h: Ec2Harness;
  asg: AutoScalingModule;
  calls: LifecycleCall[];
  /** Makes the listener throw on terminating (drain failure). */
  failTerminating: boolean;
  publicSubnets: string[];
  call(action: string, params?: Record<string, string | number | boolean>): Promise<XmlObject>;
  ec2(action: string, params?: Record<string, string | number | boolean>): Promise<XmlObject>;
}

export async function asgHarness(opts: { store?: MemoryStore } = {}): Promise<AsgHarness> {
  const ec2h = await ec2Harness({ store: opts.store });
  const restarted = opts.store !== undefined;
  const calls: LifecycleCall[] = [];
  const h: Partial<AsgHarness> & { failTerminating: boolean } = { failTerminating: false };
  const record = (event: LifecycleCall['event'], i: InstanceInfo): void => {
    calls.push({ event, instanceId: i.instanceId, stateAtCall: ec2h.ec2.backend.instance(i.region, i.instanceId)?.state ?? 'unknown', zone: i.availabilityZone });
  };
  const lifecycle: InstanceLifecycleListener = {
    async launched(i) { record('launched', i); },
    async terminating(i) {
      record('terminating', i);
      if (h.failTerminating) throw new Error('drain timed out');
    },
  };
  const asg = await createAutoScaling({
    clock: ec2h.clock, state: storeBackedState(ec2h.store), defaultAccountId: ACCOUNT, defaultRegion: REGION, ec2: ec2h.ec2.backend, lifecycle,
  });
  if (!restarted) await ec2h.call('CreateLaunchTemplate', { LaunchTemplateName: TEMPLATE, 'LaunchTemplateData.InstanceType': 't3.medium' });
  const vpc = ec2h.ec2.backend.defaultVpc(REGION, ACCOUNT);
  const publicSubnets = ec2h.ec2.backend.subnetsOf(REGION, vpc.vpcId).filter((s) => s.mapPublicIpOnLaunch).map((s) => s.subnetId);
  return Object.assign(h, {
    ec2h, asg, calls, publicSubnets,
    async call(action: string, params: Record<string, string | number | boolean> = {}) {
      const handler = asg.service.actions[action];
      if (!handler) throw new Error(`no action ${action}`);
      return (await handler(fakeParams(params, 'query'), ctxFor(REGION, ACCOUNT, action))) ?? {};
    },
    ec2: (action: string, params: Record<string, string | number | boolean> = {}) => ec2h.call(action, params),
  }) as AsgHarness;
}

/** CreateAutoScalingGroup parameters for a launch-template group over `subnets`. */
export function createParams(name: string, subnets: string[], sizes: { min: number; max: number; desired?: number }, tags: Record<string, string> = {}): Record<string, string | number> {
  const p: Record<string, string | number> = {
    AutoScalingGroupName: name, MinSize: sizes.min, MaxSize: sizes.max,
    'LaunchTemplate.LaunchTemplateName': TEMPLATE, 'LaunchTemplate.Version': '$Latest',
    VPCZoneIdentifier: subnets.join(','),
  };
  if (sizes.desired !== undefined) p.DesiredCapacity = sizes.desired;
  Object.entries(tags).forEach(([k, v], i) => {
    p[`Tags.member.${i + 1}.Key`] = k;
    p[`Tags.member.${i + 1}.Value`] = v;
    p[`Tags.member.${i + 1}.PropagateAtLaunch`] = 'true';
  });
  return p;
}

export function list(x: XmlObject, key: string): XmlObject[] {
  return (x[key] ?? []) as XmlObject[];
}
