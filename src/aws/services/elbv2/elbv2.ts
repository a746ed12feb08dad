/**
 * The ELBv2 service (query protocol, API version 2015-12-01, signing name elasticloadbalancing —
 * shared with ELB classic 2012-06-01, told apart by `Version`) and its backend over one
 * Elbv2Store. The load balancer controller add-on writes through the backend; users read what
 * it built with the aws CLI (`aws elbv2 describe-target-health` …). `openElbv2` loads the action
 * table (elbv2-actions.ts) on demand, on the AWS endpoint's first request, so `keks start` does
 * not import it before its clusters are ready; `createElbv2` is both at once.
 */
import type { AwsServiceDeps } from '../../core/backends.js';
import type { QueryService } from '../../core/types.js';
import { Elbv2Store } from './backend.js';
import type { IdSource } from './ids.js';
import type { Elbv2Backend } from './model.js';
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

/** ELBv2's store (the backend), with the query service loaded on demand. */
export interface Elbv2Parts {
  backend: Elbv2Backend;
  /** Stops the health timers. */
  close(): void;
  /** The query service (its action modules are imported on the first call). */
  loadService(): Promise<QueryService>;
}

export interface Elbv2Module extends Elbv2Parts {
  service: QueryService;
}

/** Opens the ELBv2 state tables (hence async) and the backend; the service loads on demand. */
export async function openElbv2(deps: Elbv2Deps): Promise<Elbv2Parts> {
  const store = await Elbv2Store.open({ state: deps.state, clock: deps.clock, scale: deps.timing?.scale ?? DEFAULT_ELBV2_TIME_SCALE, ids: deps.ids });
  let service: Promise<QueryService> | undefined;
  return {
    backend: store,
    close: () => store.close(),
    loadService: () => (service ??= import('./elbv2-actions.js').then((m) => ({
      protocol: 'query', signingName: 'elasticloadbalancing', version: ELBV2_VERSION, xmlns: ELBV2_XMLNS, actions: m.elbv2Actions(store, deps.ec2),
    }))),
  };
}

/** The service and its backend at once. */
export async function createElbv2(deps: Elbv2Deps): Promise<Elbv2Module> {
  const parts = await openElbv2(deps);
  return { ...parts, service: await parts.loadService() };
}

export type { Elbv2Backend } from './model.js';
