/**
 * The controllers every cluster runs (kube-controller-manager's set, growing issue by issue).
 * One place to add one: a factory from the shared context to something with start()/stop().
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { ApiClient } from '../client/client.js';
import { NamespaceController } from '../controllers/namespace/controller.js';
import { ReplicaSetController } from '../controllers/replicaset/controller.js';
import { DeploymentController } from '../controllers/deployment/controller.js';
import { GarbageCollector } from '../controllers/garbagecollector/controller.js';
import { JobController } from '../controllers/job/controller.js';
import { TtlAfterFinishedController } from '../controllers/job/ttl-controller.js';
import { CronJobController } from '../controllers/cronjob/controller.js';
import { ServiceAccountController } from '../controllers/serviceaccount/controller.js';
import { StatefulSetController } from '../controllers/statefulset/controller.js';
import { DaemonSetController } from '../controllers/daemonset/controller.js';
import { DisruptionController } from '../controllers/disruption/controller.js';
import { NodeLifecycleController } from '../controllers/nodelifecycle/controller.js';
import { EndpointsController } from '../controllers/endpoints/controller.js';
import { EndpointSliceController } from '../controllers/endpointslice/controller.js';
import { EndpointSliceMirroringController } from '../controllers/endpointslice/mirroring.js';
import { ResourceQuotaController } from '../controllers/resourcequota/controller.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { NodeSimulator, type ClusterShape } from '../simulator/simulator.js';
import type { SubnetAddressLookup } from '../simulator/vpc-cni.js';
import { FargateController } from './fargate.js';

export interface RunnableController {
  start(): void;
  stop(): Promise<void>;
}

export interface ControllerContext {
  /** An API client with the loopback (system:masters) identity. */
  client: ApiClient;
  clock: Clock;
  logger: Logger;
  /** Simulated nodes to create (none when absent). */
  shape?: ClusterShape;
  /** Real subnets of nodes that are EC2 instances, for their pods' addresses. */
  podSubnets?: SubnetAddressLookup;
}

export type ControllerFactory = (ctx: ControllerContext) => RunnableController;

export const CONTROLLERS: Array<{ name: string; create: ControllerFactory }> = [
  {
    name: 'namespace',
    create: (c) => new NamespaceController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'namespace sync retry'),
    }),
  },
  {
    name: 'replicaset',
    create: (c) => new ReplicaSetController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'replicaset sync retry'),
    }),
  },
  {
    name: 'deployment',
    create: (c) => new DeploymentController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'deployment sync retry'),
    }),
  },
  {
    name: 'statefulset',
    create: (c) => new StatefulSetController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'statefulset sync retry'),
    }),
  },
  {
    name: 'daemonset',
    create: (c) => new DaemonSetController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'daemonset sync retry'),
    }),
  },
  {
    name: 'disruption',
    create: (c) => new DisruptionController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'disruption sync retry'),
    }),
  },
  {
    name: 'job',
    create: (c) => new JobController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'job sync retry'),
    }),
  },
  {
    name: 'ttl-after-finished',
    create: (c) => new TtlAfterFinishedController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'ttl-after-finished retry'),
    }),
  },
  {
    name: 'cronjob',
    create: (c) => new CronJobController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'cronjob sync retry'),
    }),
  },
  {
    name: 'garbagecollector',
    create: (c) => new GarbageCollector({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'garbage collector retry'),
    }),
  },
  {
    name: 'serviceaccount',
    create: (c) => new ServiceAccountController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'serviceaccount sync retry'),
    }),
  },
  {
    name: 'resourcequota',
    create: (c) => new ResourceQuotaController({
      client: c.client, clock: c.clock,
      // count/<resource>.<group>: the built-in groups quota users name (apps, batch, networking…) serve v1.
      resolve: (group, resource) => ({ group, version: 'v1', resource, namespaced: true }),
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'resourcequota sync retry'),
    }),
  },
  {
    name: 'nodelifecycle',
    create: (c) => new NodeLifecycleController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'nodelifecycle sync retry'),
    }),
  },
  {
    name: 'endpoint',
    create: (c) => new EndpointsController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'endpoints sync retry'),
    }),
  },
  {
    name: 'endpointslice',
    create: (c) => new EndpointSliceController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'endpointslice sync retry'),
    }),
  },
  {
    name: 'endpointslicemirroring',
    create: (c) => new EndpointSliceMirroringController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'endpointslice mirroring retry'),
    }),
  },
  {
    name: 'scheduler',
    create: (c) => new Scheduler({
      client: c.client, clock: c.clock,
      onError: (what, err) => c.logger.debug({ what, err: (err as Error).message }, 'scheduler retry'),
    }),
  },
  {
    name: 'node-simulator',
    create: (c) => new NodeSimulator({
      client: c.client, clock: c.clock,
      shape: c.shape ?? { region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], nodes: 0, instanceType: 't3.medium' },
      subnets: c.podSubnets,
      onError: (what, err) => c.logger.debug({ what, err: (err as Error).message }, 'node simulator retry'),
    }),
  },
  {
    // EKS Fargate: a node per pod with schedulerName fargate-scheduler (set by admission/fargate-scheduler.ts).
    name: 'fargate',
    create: (c) => new FargateController({
      client: c.client, clock: c.clock,
      region: c.shape?.region ?? 'us-east-1', zones: c.shape?.zones.length ? c.shape.zones : ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'fargate sync retry'),
    }),
  },
];
