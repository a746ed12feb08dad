/**
 * The EC2 service (ec2 protocol, API version 2016-11-15): its query actions and the backend the
 * other services use, both over one Ec2State. `openEc2` opens the state and the backend and
 * loads the action table (ec2-actions.ts) on demand — the AWS endpoint asks for it on its first
 * request, so `keks start` does not import the action modules before its clusters are ready;
 * `createEc2` is both at once.
 */
import type { AwsServiceDeps } from '../../core/backends.js';
import type { QueryService } from '../../core/types.js';
import { createEc2Backend, type Ec2BackendImpl } from './backend.js';
import { Ec2State } from './ec2-state.js';
import type { TerminationDelegate } from './instance-actions.js';
import type { NetworkInterfaceSource } from './network-interface-actions.js';

export const EC2_VERSION = '2016-11-15';
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2's state and backend, with the query service loaded on demand. */
export interface Ec2Parts {
  backend: Ec2BackendImpl;
  /** Adds ENIs to DescribeNetworkInterfaces (each cluster's VPC CNI); returns a remover. */
  addNetworkInterfaceSource(source: NetworkInterfaceSource): () => void;
  /** The query service (its action modules are imported on the first call). */
  loadService(): Promise<QueryService>;
}

export interface Ec2Module extends Ec2Parts {
  service: QueryService;
}

export async function openEc2(deps: AwsServiceDeps): Promise<Ec2Parts> {
  const now = (): number => deps.clock.now();
  const state = await Ec2State.open({ state: deps.state, now });
  let delegate: TerminationDelegate | undefined;
  const interfaceSources: NetworkInterfaceSource[] = [];
  let service: Promise<QueryService> | undefined;
  return {
    backend: createEc2Backend(state, now, (d) => { delegate = d; }),
    addNetworkInterfaceSource(source) {
      interfaceSources.push(source);
      return () => { const i = interfaceSources.indexOf(source); if (i >= 0) interfaceSources.splice(i, 1); };
    },
    loadService: () => (service ??= import('./ec2-actions.js').then((m) => m.ec2Service({
      state, now, delegate: () => delegate, interfaceSources: () => interfaceSources,
    }))),
  };
}

export async function createEc2(deps: AwsServiceDeps): Promise<Ec2Module> {
  const parts = await openEc2(deps);
  return { ...parts, service: await parts.loadService() };
}
