/**
 * The bridge from EC2 instances to Kubernetes Nodes (an InstanceLifecycleListener for the
 * composition root), doing what the kubelet and EKS's node group controller do on AWS:
 *
 * - launched(instance): the instance's cluster is named by its `eks:cluster-name` tag; a Node is
 *   registered as the kubelet on the EKS-optimized AMI would (kubelet_node_status.go
 *   registerWithAPIServer): name = the instance's private DNS name, providerID
 *   `aws:///<az>/<instance-id>`, addresses InternalIP/InternalDNS/Hostname, the well-known
 *   labels plus EKS's node group labels (eks.amazonaws.com/nodegroup, capacityType,
 *   nodegroup-image, sourceLaunchTemplateId/Version) and the node group's own labels and taints
 *   (--node-labels / --register-with-taints), capacity and allocatable from the instance type
 *   (max pods = ENIs × (IPv4 per ENI − 1) + 2; t3.medium → 17). The Node carries
 *   `keks.dev/simulated-node: "true"`, so the cluster's NodeFleet adopts it and runs its kubelet.
 * - terminating(instance): what a managed node group does before an instance goes (and `kubectl
 *   drain --ignore-daemonsets` does): cordon the Node, evict its pods through pods/eviction
 *   (honouring PodDisruptionBudgets: a 429 is retried every 5 s), wait for them to be gone — all
 *   bounded by drainTimeoutMs, after which the remaining pods are deleted at once, as an instance
 *   termination does — then delete the Node and the pods still bound to it (the pod GC's
 *   orphaned-pod rule, as keks has no pod GC controller).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import type { ApiClient, ResourceRef } from '../client/client.js';
import { ApiError, isNotFound } from '../client/errors.js';
import { EventRecorder } from '../client/events.js';
import type { Clock } from '../util/clock.js';
import type { InstanceInfo, InstanceLifecycleListener } from '../aws/core/backends.js';
import type { NodegroupNodeConfig } from '../aws/services/eks/nodegroup-service.js';
import { INSTANCE_TYPES as EC2_INSTANCE_TYPES } from '../aws/services/ec2/instance-types.js';
import { INSTANCE_TYPES as SIM_INSTANCE_TYPES, nodeResources, type InstanceType } from '../simulator/instance-types.js';
import { KUBELET_VERSION, nodeObject, type NodeSpec } from '../simulator/node-object.js';
import { SIMULATED_NODE_ANNOTATION } from '../simulator/refs.js';

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** kubectl drain's retry interval for a 429 eviction (pkg/drain: 5 s). */
export const EVICTION_RETRY_MS = 5_000;
/** How long a scale-in waits for pods to leave before the instance goes anyway. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 120_000;

export interface NodeRegistrarOptions {
  clock: Clock;
  /** The in-cluster client of the EKS cluster named by an instance's eks:cluster-name tag (ControlPlaneHandle.client), or undefined. */
  clientFor(clusterName: string): ApiClient | undefined;
  /** The node group of an instance (NodegroupPart.nodegroupForInstance); undefined for self-managed instances. */
  nodegroupFor(instance: InstanceInfo): NodegroupNodeConfig | undefined;
  drainTimeoutMs?: number;
  evictionRetryMs?: number;
  onError?: (what: string, err: unknown) => void;
}

/** Whether keks can run a Node of this instance type (the EC2 table, with ENI limits, or the simulator's). */
export function knownNodeInstanceType(name: string): boolean {
  return name in EC2_INSTANCE_TYPES || SIM_INSTANCE_TYPES.has(name);
}

/** The simulator's instance type (vCPU, MemTotal, max pods) for a name; EC2's table fills in types the simulator lacks. */
export function nodeInstanceType(name: string): InstanceType {
  const sim = SIM_INSTANCE_TYPES.get(name);
  if (sim) return sim;
  const ec2 = EC2_INSTANCE_TYPES[name];
  if (!ec2) throw new Error(`unknown instance type "${name}"`);
  return { name, vcpu: ec2.vcpus, memoryKi: Math.round(ec2.memoryMiB * 1024 * 0.955), maxPods: ec2.maxEnis * (ec2.ipv4PerEni - 1) + 2 };
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

/** The Node a kubelet on this instance registers (status included), before any write. */
export function instanceNode(instance: InstanceInfo, ng: NodegroupNodeConfig | undefined, now: number): KubeObject {
  const type = nodeInstanceType(instance.instanceType);
  const simKnown = SIM_INSTANCE_TYPES.has(instance.instanceType);
  const zoneLetter = instance.availabilityZone.slice(-1);
  const spec: NodeSpec = {
    name: instance.privateDnsName, ip: instance.privateIpAddress, region: instance.region, zone: instance.availabilityZone,
    zoneIndex: Math.max(0, zoneLetter.charCodeAt(0) - 97), instanceType: simKnown ? instance.instanceType : 't3.medium', instanceId: instance.instanceId,
  };
  const node = nodeObject(spec, now);
  const arch = EC2_INSTANCE_TYPES[instance.instanceType]?.arch === 'arm64' ? 'arm64' : 'amd64';
  const labels: Record<string, string> = {
    ...node.metadata.labels,
    'beta.kubernetes.io/instance-type': instance.instanceType, 'node.kubernetes.io/instance-type': instance.instanceType,
    'beta.kubernetes.io/arch': arch, 'kubernetes.io/arch': arch,
    'k8s.io/cloud-provider-aws': hex(`cloud-provider/${instance.tags['eks:cluster-name'] ?? ''}`, 32),
  };
  if (ng) {
    Object.assign(labels, {
      'eks.amazonaws.com/capacityType': ng.capacityType,
      'eks.amazonaws.com/nodegroup': ng.nodegroupName,
      'eks.amazonaws.com/nodegroup-image': ng.imageId,
      'eks.amazonaws.com/sourceLaunchTemplateId': ng.sourceLaunchTemplateId,
      'eks.amazonaws.com/sourceLaunchTemplateVersion': ng.sourceLaunchTemplateVersion,
    }, ng.labels);
  }
  node.metadata.labels = labels;
  node.metadata.annotations = { ...node.metadata.annotations, [SIMULATED_NODE_ANNOTATION]: 'true' };
  if (ng?.taints.length) node.spec = { ...(node.spec as Record<string, unknown>), taints: ng.taints.map((t) => ({ ...t })) };
  const status = node.status as { capacity: Record<string, string>; allocatable: Record<string, string>; nodeInfo: Record<string, string> };
  const res = nodeResources(type);
  status.capacity = res.capacity;
  status.allocatable = res.allocatable;
  const kubelet = ng?.kubeletVersion ?? KUBELET_VERSION;
  status.nodeInfo = { ...status.nodeInfo, kubeletVersion: kubelet, kubeProxyVersion: kubelet, architecture: arch };
  return node;
}

const sleep = (clock: Clock, ms: number): Promise<void> => new Promise((r) => clock.setTimeout(r, ms));

export class NodeRegistrar implements InstanceLifecycleListener {
  private readonly o: NodeRegistrarOptions;

  constructor(opts: NodeRegistrarOptions) {
    this.o = opts;
  }

  private clientOf(instance: InstanceInfo): ApiClient | undefined {
    const cluster = instance.tags['eks:cluster-name'];
    return cluster ? this.o.clientFor(cluster) : undefined;
  }

  async launched(instance: InstanceInfo): Promise<void> {
    const client = this.clientOf(instance);
    if (!client) return;
    const node = instanceNode(instance, this.o.nodegroupFor(instance), this.o.clock.now());
    const status = node.status;
    let created: KubeObject | undefined;
    try {
      created = await client.create(NODES, '', node);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
      // Registered before (a restart): bring labels, taints and providerID up to date, as the kubelet reconciles them.
      await client.patch(NODES, '', node.metadata.name as string, { metadata: { labels: node.metadata.labels, annotations: node.metadata.annotations }, spec: node.spec }, 'merge');
    }
    await client.patch(NODES, '', node.metadata.name as string, { status }, 'merge', 'status');
    if (created) this.registrationEvents(client, created);
  }

  /** The kubelet's start-up events on its Node (as NodeFleet.register records them). */
  private registrationEvents(client: ApiClient, node: KubeObject): void {
    const name = node.metadata.name as string;
    const rec = new EventRecorder({ client, clock: this.o.clock, component: 'kubelet', host: name });
    const ref: KubeObject = { ...node, apiVersion: 'v1', kind: 'Node', metadata: { ...node.metadata, uid: name, namespace: undefined } };
    const events: Array<[string, string]> = [
      ['Starting', 'Starting kubelet.'],
      ...['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'].map((r): [string, string] => [r, `Node ${name} status is now: ${r}`]),
      ['NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
      ['NodeReady', `Node ${name} status is now: NodeReady`],
    ];
    void (async () => {
      for (const [reason, message] of events) await rec.record(ref, 'Normal', reason, message);
    })().catch((e) => this.o.onError?.(`events ${name}`, e));
  }

  async terminating(instance: InstanceInfo): Promise<void> {
    const client = this.clientOf(instance);
    if (!client) return;
    await drainAndDelete(client, instance.privateDnsName, {
      clock: this.o.clock, timeoutMs: this.o.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS, retryMs: this.o.evictionRetryMs ?? EVICTION_RETRY_MS,
      onError: this.o.onError,
    });
  }
}

export interface DrainOptions {
  clock: Clock;
  timeoutMs: number;
  retryMs: number;
  onError?: (what: string, err: unknown) => void;
}

function skipOnDrain(p: KubeObject): boolean {
  return (p.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'DaemonSet') || Boolean(p.metadata.annotations?.[MIRROR_ANNOTATION]);
}

async function podsOn(client: ApiClient, node: string): Promise<KubeObject[]> {
  return (await client.list(PODS, '', { fieldSelector: `spec.nodeName=${node}` })).items;
}

async function evictUntil(client: ApiClient, p: KubeObject, deadline: number, o: DrainOptions): Promise<void> {
  const ns = p.metadata.namespace as string;
  const name = p.metadata.name as string;
  for (;;) {
    try {
      // POST .../pods/{name}/eviction (ApiClient has no subresource create; the scheduler builds its binding path the same way).
      const ref: ResourceRef = { ...PODS, resource: `pods/${encodeURIComponent(name)}/eviction` };
      await client.create(ref, ns, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!(e instanceof ApiError && e.status === 429) || o.clock.now() + o.retryMs > deadline) throw e;
    }
    await sleep(o.clock, o.retryMs);
  }
}

/** Cordon, evict (PDB-aware, bounded), wait for the pods, then delete the Node and what is still bound to it. */
export async function drainAndDelete(client: ApiClient, node: string, o: DrainOptions): Promise<void> {
  try {
    await client.patch(NODES, '', node, { spec: { unschedulable: true } }, 'merge');
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  const deadline = o.clock.now() + o.timeoutMs;
  const evictable = (await podsOn(client, node)).filter((p) => !skipOnDrain(p) && !p.metadata.deletionTimestamp);
  await Promise.all(evictable.map((p) => evictPod(client, p, deadline, o)));
  const waitFor = new Set(evictable.map((p) => p.metadata.uid));
  while (o.clock.now() < deadline) {
    const left = (await podsOn(client, node)).filter((p) => waitFor.has(p.metadata.uid));
    if (left.length === 0) break;
    await sleep(o.clock, Math.min(500, Math.max(1, deadline - o.clock.now())));
  }
  try {
    await client.delete(NODES, '', node);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  for (const p of await podsOn(client, node)) {
    await client.delete(PODS, p.metadata.namespace as string, p.metadata.name as string, { gracePeriodSeconds: 0 }).catch((e: unknown) => {
      if (!isNotFound(e)) o.onError?.(`delete pod ${p.metadata.namespace}/${p.metadata.name}`, e);
    });
  }
}

async function evictPod(client: ApiClient, p: KubeObject, deadline: number, o: DrainOptions): Promise<void> {
  try {
    await evictUntil(client, p, deadline, o);
  } catch (e) {
    // A budget that never allows it (or another error): the instance goes anyway, the pod with it.
    o.onError?.(`evict ${p.metadata.namespace}/${p.metadata.name}`, e);
  }
}
