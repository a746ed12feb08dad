/**
 * The node simulator: simulated kubelets for a fleet of nodes (node-fleet.ts: registration,
 * leases, node status) and the pods bound to them (pod-lifecycle.ts), as one component with
 * start()/stop(). `keks start` creates the default shape (3 nodes, one per zone); later the EKS
 * front registers nodes for node groups through registerNode().
 */
import type { Clock } from '../util/clock.js';
import type { ApiClient } from '../client/client.js';
import { EventRecorder, type EventType } from '../client/events.js';
import type { KubeObject } from '../api/types.js';
import { Informer } from '../client/informer.js';
import { sharedInformersFor } from '../client/shared-informers.js';
import { nodeIp } from './addressing.js';
import { instanceType } from './instance-types.js';
import { NodeFleet } from './node-fleet.js';
import { makeNodeSpec, type NodeSpec } from './node-object.js';
import { PodLifecycle } from './pod-lifecycle.js';
import { DAEMONSETS, NODES, PODS } from './refs.js';
import { warmTargetsFromEnv } from './ipamd.js';
import type { NodeInterfaces, SubnetAddressLookup } from './vpc-cni.js';
import type { Stage } from './stages.js';

export interface ClusterShape {
  region: string;
  zones: string[];
  /** Nodes created at start, round-robin over the zones. */
  nodes: number;
  instanceType: string;
}

export interface NodeSimulatorOptions {
  client: ApiClient;
  clock: Clock;
  shape: ClusterShape;
  stages?: readonly Stage[];
  onError?: (what: string, err: unknown) => void;
  /** Real subnets of nodes that are EC2 instances (vpc-cni.ts SubnetAddresses). */
  subnets?: SubnetAddressLookup;
}

/** Node specs of a shape: node i goes to zone i mod Z. */
export function shapeNodeSpecs(shape: ClusterShape, from = 0): NodeSpec[] {
  instanceType(shape.instanceType);
  const out: NodeSpec[] = [];
  const z = shape.zones.length;
  for (let i = from; i < from + shape.nodes; i++) {
    const zi = i % z;
    out.push(makeNodeSpec({ region: shape.region, zone: shape.zones[zi], zoneIndex: zi, ip: nodeIp(zi, Math.floor(i / z)), instanceType: shape.instanceType }));
  }
  return out;
}

/**
 * Records one event at a time per node, so a kubelet's repeated event (the same object, reason
 * and message, e.g. BackOff) finds the previous one in the recorder's correlation cache and bumps
 * its count instead of racing it with a second create. (Event names no longer collide either
 * way: EventRecorder adds a sequence number.)
 */
class SerialEventRecorder extends EventRecorder {
  private chain: Promise<void> = Promise.resolve();

  override event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    this.chain = this.chain.then(() => this.record(obj, type, reason, message, fieldPath)).catch(() => undefined);
  }
}

/** A node's ENIs with the instance and zone they belong to (the node's providerID `aws:///<zone>/<instance id>`). */
export interface SimulatedNodeInterfaces extends NodeInterfaces {
  instanceId?: string;
  zone?: string;
}

/** aws-node's ipamd settings: the env of the `aws-node` container of kube-system/aws-node. */
function awsNodeEnv(ds: KubeObject | undefined): Array<{ name?: string; value?: string }> | undefined {
  const containers = (ds?.spec as { template?: { spec?: { containers?: Array<{ name?: string; env?: Array<{ name?: string; value?: string }> }> } } } | undefined)?.template?.spec?.containers;
  return containers?.find((c) => c.name === 'aws-node')?.env;
}

export class NodeSimulator {
  private readonly o: NodeSimulatorOptions;
  readonly nodes: Informer;
  readonly pods: Informer;
  /** kube-system/aws-node, whose env sets the VPC CNI's warm pool targets. */
  readonly awsNode: Informer;
  readonly fleet: NodeFleet;
  readonly lifecycle: PodLifecycle;
  private readonly recorders = new Map<string, EventRecorder>();
  private registered = 0;
  private startup: Promise<void> | undefined;

  constructor(opts: NodeSimulatorOptions) {
    this.o = opts;
    if (opts.shape.zones.length === 0) throw new Error('the node simulator needs at least one zone');
    const recorder = (host: string): EventRecorder => {
      let r = this.recorders.get(host);
      if (!r) { r = new SerialEventRecorder({ client: opts.client, clock: opts.clock, component: 'kubelet', host }); this.recorders.set(host, r); }
      return r;
    };
    // The cluster's shared informers (the scheduler and the controllers read the same caches).
    const shared = sharedInformersFor(opts.client, opts.clock);
    this.nodes = shared.informerFor({ ref: NODES });
    this.pods = shared.informerFor({ ref: PODS });
    this.fleet = new NodeFleet({
      client: opts.client, clock: opts.clock, nodes: this.nodes, zones: opts.shape.zones, recorder, onError: opts.onError,
      // A node adopted after its pods were bound (e.g. a Fargate node created together with its pod binding).
      onAdopted: (name) => { if (this.pods.hasSynced) this.lifecycle.resyncNode(name); },
      onRemoved: (name) => this.lifecycle.forgetNode(name),
    });
    this.lifecycle = new PodLifecycle({
      client: opts.client, clock: opts.clock, pods: this.pods, fleet: this.fleet, recorder, stages: opts.stages,
      nodeObject: (name) => this.nodes.get(name),
      subnets: opts.subnets,
      onError: (k, e) => opts.onError?.(`pod ${k}`, e),
    });
    this.awsNode = new Informer({ client: opts.client, ref: DAEMONSETS, clock: opts.clock, namespace: 'kube-system', fieldSelector: 'metadata.name=aws-node' });
    const targets = (ds: KubeObject | undefined): void => this.lifecycle.setWarmTargets(warmTargetsFromEnv(awsNodeEnv(ds)));
    this.awsNode.addHandlers({ add: (d) => targets(d), update: (_o, d) => targets(d), delete: () => targets(undefined) });
  }

  /** Every simulated node's ENIs (what EC2 DescribeNetworkInterfaces lists for the cluster's instances). */
  networkInterfaces(): SimulatedNodeInterfaces[] {
    return this.lifecycle.networkInterfaces().map((n) => {
      const m = /^aws:\/\/\/([^/]+)\/(i-[0-9a-z]+)$/.exec((this.nodes.get(n.node)?.spec as { providerID?: string } | undefined)?.providerID ?? '');
      return m ? { ...n, zone: m[1], instanceId: m[2] } : n;
    });
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
    this.awsNode.start();
    this.fleet.start();
    this.lifecycle.start();
    this.startup = (async () => {
      await this.nodes.waitForSync();
      await this.addNodes(this.o.shape.nodes);
      await this.pods.waitForSync();
      await this.awsNode.waitForSync();
      this.lifecycle.resyncAll();
    })().catch((e) => this.o.onError?.('startup', e));
  }

  /** Resolves once the initial nodes are registered. */
  ready(): Promise<void> {
    return this.startup ?? Promise.resolve();
  }

  /** Registers `count` more nodes of the shape's instance type (continuing the zone round-robin). */
  async addNodes(count: number, instanceTypeName = this.o.shape.instanceType): Promise<string[]> {
    const specs = shapeNodeSpecs({ ...this.o.shape, nodes: count, instanceType: instanceTypeName }, this.registered);
    this.registered += count;
    const batch = 50;
    for (let i = 0; i < specs.length; i += batch) await Promise.all(specs.slice(i, i + batch).map((s) => this.fleet.register(s)));
    return specs.map((s) => s.name);
  }

  async stop(): Promise<void> {
    this.fleet.stop();
    this.nodes.stop();
    this.pods.stop();
    this.awsNode.stop();
    await this.lifecycle.stop();
  }
}
