/**
 * The EC2 service (ec2 protocol, API version 2016-11-15): its query actions and the backend the
 * other services use, both over one Ec2State. Every action first makes sure the caller's
 * account has its default VPC in the request's region (created on first use).
 */
import type { AwsServiceDeps } from '../../core/backends.js';
import { AwsError, type QueryHandler, type QueryService } from '../../core/types.js';
import { createEc2Backend, type Ec2BackendImpl } from './backend.js';
import { Ec2State } from './ec2-state.js';
import { instanceActions, type TerminationDelegate } from './instance-actions.js';
import { launchTemplateActions } from './launch-templates.js';
import { networkInterfaceActions, type NetworkInterfaceSource } from './network-interface-actions.js';
import { securityGroupActions } from './security-group-actions.js';
import { tagActions } from './tag-actions.js';
import { vpcActions } from './vpc-actions.js';

export const EC2_VERSION = '2016-11-15';
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export interface Ec2Module {
  service: QueryService;
  backend: Ec2BackendImpl;
  /** Adds ENIs to DescribeNetworkInterfaces (each cluster's VPC CNI); returns a remover. */
  addNetworkInterfaceSource(source: NetworkInterfaceSource): () => void;
}

/** Opens the EC2 state tables (hence async) and builds the service and its backend. */
export async function createEc2(deps: AwsServiceDeps): Promise<Ec2Module> {
  const now = (): number => deps.clock.now();
  const state = await Ec2State.open({ state: deps.state, now });
  let delegate: TerminationDelegate | undefined;
  const interfaceSources: NetworkInterfaceSource[] = [];
  const actions: Record<string, QueryHandler> = {
    ...vpcActions(state, now),
    ...securityGroupActions(state),
    ...instanceActions(state, now, () => delegate),
    ...tagActions(state),
    ...launchTemplateActions(state, now),
    ...networkInterfaceActions(state, () => interfaceSources),
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
  return {
    service: { protocol: 'ec2', signingName: 'ec2', version: EC2_VERSION, xmlns: EC2_XMLNS, actions: wrapped },
    backend: createEc2Backend(state, now, (d) => { delegate = d; }),
    addNetworkInterfaceSource(source) {
      interfaceSources.push(source);
      return () => { const i = interfaceSources.indexOf(source); if (i >= 0) interfaceSources.splice(i, 1); };
    },
  };
}
