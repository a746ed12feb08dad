/**
 * The ELBv2 service (query protocol, API version 2015-12-01, signing name elasticloadbalancing —
 * shared with ELB classic 2012-06-01, told apart by `Version`) and its backend over one
 * Elbv2Store. The load balancer controller add-on writes through the backend; users read what
 * it built with the aws CLI (`aws elbv2 describe-target-health` …).
 */
import type { AwsServiceDeps } from '../../core/backends.js';
import type { QueryService } from '../../core/types.js';
import { Elbv2Store } from './backend.js';
import { describeActions } from './describe-actions.js';
import type { IdSource } from './ids.js';
import type { Elbv2Backend } from './model.js';
import { writeActions } from './write-actions.js';
import { createActions } from './create-actions.js';
import type { Ec2Backend } from '../../core/backends.js';

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
/** Default time scale of health checks and deregistration delays: 300 s of draining takes 30 s. */
export const DEFAULT_ELBV2_TIME_SCALE = 0.1;

export interface Elbv2Deps extends AwsServiceDeps {
  /** Multiplies health-check and deregistration delays (0 = next tick, 1 = AWS timing). Default 0.1. */
  timing?: { scale: number };
  ids?: IdSource;
  /** Resolves subnets (zone, VPC) of CreateLoadBalancer; without it subnets are taken on trust. */
  ec2?: Ec2Backend;
}

export interface Elbv2Module {
  service: QueryService;
  backend: Elbv2Backend;
  /** Stops the health timers. */
  close(): void;
}

/** Opens the ELBv2 state tables (hence async) and builds the service and its backend. */
export async function createElbv2(deps: Elbv2Deps): Promise<Elbv2Module> {
  const store = await Elbv2Store.open({ state: deps.state, clock: deps.clock, scale: deps.timing?.scale ?? DEFAULT_ELBV2_TIME_SCALE, ids: deps.ids });
  return {
    service: {
      protocol: 'query', signingName: 'elasticloadbalancing', version: ELBV2_VERSION, xmlns: ELBV2_XMLNS,
      actions: { ...describeActions(store), ...writeActions(store), ...createActions(store, deps.ec2) },
    },
    backend: store,
    close: () => store.close(),
  };
}

export type { Elbv2Backend } from './model.js';
