/**
 * The EC2 query service's action table over an Ec2State: VPCs, security groups, instances,
 * tags, launch templates and network interfaces. Loaded on the AWS endpoint's first request
 * (ec2.ts openEc2), so importing the action modules is not part of keks's start-up. Every
 * action first makes sure the caller's account has its default VPC in the request's region.
 */
import { AwsError, type QueryHandler, type QueryService } from '../../core/types.js';
import type { Ec2State } from './ec2-state.js';
import { instanceActions, type TerminationDelegate } from './instance-actions.js';
import { launchTemplateActions } from './launch-templates.js';
import { networkInterfaceActions, type NetworkInterfaceSource } from './network-interface-actions.js';
import { securityGroupActions } from './security-group-actions.js';
import { tagActions } from './tag-actions.js';
import { vpcActions } from './vpc-actions.js';
import { EC2_VERSION, EC2_XMLNS } from './ec2.js';

export interface Ec2ServiceOptions {
  state: Ec2State;
  now: () => number;
  /** The Auto Scaling drain TerminateInstances waits for, once set. */
  delegate: () => TerminationDelegate | undefined;
  /** Extra ENIs DescribeNetworkInterfaces lists (each cluster's VPC CNI). */
  interfaceSources: () => NetworkInterfaceSource[];
}

export function ec2Service(o: Ec2ServiceOptions): QueryService {
  const { state, now } = o;
  const actions: Record<string, QueryHandler> = {
    ...vpcActions(state, now),
    ...securityGroupActions(state),
    ...instanceActions(state, now, o.delegate),
    ...tagActions(state),
    ...launchTemplateActions(state, now),
    ...networkInterfaceActions(state, o.interfaceSources),
  };
  const wrapped: Record<string, QueryHandler> = {};
  for (const [name, handler] of Object.entries(actions)) {
    // Reads run at once; writes one at a time. TerminateInstances and RunInstances take the lock
    // themselves around their writes (termination may wait for an Auto Scaling drain first).
    const unlocked = name.startsWith('Describe') || name === 'TerminateInstances' || name === 'RunInstances';
    wrapped[name] = (params, ctx) => {
      state.defaultVpc(ctx.caller.accountId, ctx.region);
      // DryRun: the caller may do this (keks has no IAM policy evaluation), so EC2's 412 answer.
      if (params.bool('DryRun')) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      return unlocked ? handler(params, ctx) : state.exclusive(async () => handler(params, ctx));
    };
  }
  return { protocol: 'ec2', signingName: 'ec2', version: EC2_VERSION, xmlns: EC2_XMLNS, actions: wrapped };
}
