/**
 * Simulated kubelets' node side: register Node objects, keep their kube-node-lease Leases
 * renewed every 10 s and post node status at the kubelet's report frequency (5 min unless
 * something changed), as pkg/kubelet/nodelease and kubelet_node_status.go do.
 *
 * Cost at scale: one 1 s tick for the whole fleet compares each node's last renewal and report
 * times (nodes registered at different moments stay spread out), so 5,000 nodes cost 500 lease
 * writes/s and ~17 status writes/s — what 5,000 real kubelets send — and O(1) work per node.
 *
 * The fleet manages every Node annotated `keks.dev/simulated-node: "true"` — the ones it
 * registered and any a user or another component creates — and forgets a Node once it is deleted.
 */
import type { KubeObject } from '../api/types.js';
import type { Clock, Timer } from '../util/clock.js';
import { formatMicroTime, formatTime } from '../apimachinery/time.js';
import type { ApiClient } from '../client/client.js';
import { ApiError, isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { Informer } from '../client/informer.js';
import { HEARTBEAT_ANNOTATION, LEASES, NODES, SIMULATED_NODE_ANNOTATION } from './refs.js';
import { healthyConditions, makeNodeSpec, nodeLease, nodeObject, nodeStatus, NODE_LEASE_NAMESPACE, type NodeSpec } from './node-object.js';

export const LEASE_RENEW_INTERVAL_MS = 10_000;
/** nodeStatusReportFrequency: status is posted at least this often even when nothing changed. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
const TICK_MS = 1000;

/** A node this fleet runs a kubelet for. */
export interface ManagedNode {
  name: string;
  uid: string;
  ip: string;
  zone: string;
  zoneIndex: number;
  spec?: NodeSpec;
  lease?: KubeObject;
  /** Clock time of the last lease renewal and status report (the tick renews 10 s, reports 5 min after them). */
  lastRenew: number;
  lastStatus: number;
  /** The Node carries `keks.dev/heartbeat: stopped`: no lease renewals, no status reports. */
  stopped?: boolean;
  /** Pods get the node's own IP (EKS Fargate: one pod per micro-VM, label eks.amazonaws.com/compute-type=fargate). */
  podIpIsNodeIp?: boolean;
}

export interface NodeFleetOptions {
  client: ApiClient;
  clock: Clock;
  nodes: Informer;
  /** Zones in order (a node's zone index picks its subnet). */
  zones: string[];
  /** Event recorder factory for kubelet events (source.host = node name). */
  recorder: (host: string) => EventRecorder;
  onError?: (what: string, err: unknown) => void;
  /** Called when the fleet starts managing a Node (pods already bound to it can start now). */
  onAdopted?: (name: string) => void;
  /** Called when a managed Node is deleted. */
  onRemoved?: (name: string) => void;
}

export class NodeFleet {
  private readonly o: NodeFleetOptions;
  private readonly managed = new Map<string, ManagedNode>();
  private tickTimer: Timer | undefined;

  constructor(opts: NodeFleetOptions) {
    this.o = opts;
    opts.nodes.addHandlers({
      add: (n) => this.adopt(n),
      update: (_o, n) => this.adopt(n),
      delete: (n) => { if (this.managed.delete(n.metadata.name as string)) this.o.onRemoved?.(n.metadata.name as string); },
    });
  }

  get(name: string): ManagedNode | undefined {
    return this.managed.get(name);
  }

  list(): IterableIterator<ManagedNode> {
    return this.managed.values();
  }

  get size(): number {
    return this.managed.size;
  }

  start(): void {
    this.tickTimer = this.o.clock.setInterval(() => this.onTick(), TICK_MS);
  }

  stop(): void {
    this.tickTimer?.cancel();
  }

  /** Registers a node as a kubelet does at start-up (create, then post status), or re-adopts an existing one. */
  async register(spec: NodeSpec): Promise<void> {
    const now = this.o.clock.now();
    const obj = nodeObject(spec, now);
    obj.metadata.annotations = { ...obj.metadata.annotations, [SIMULATED_NODE_ANNOTATION]: 'true' };
    let node: KubeObject;
    let created = false;
    try {
      node = await this.o.client.create(NODES, '', obj);
      created = true;
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
      node = await this.o.client.get(NODES, '', spec.name);
    }
    // Post a fresh status (the kubelet's first node status update after registration or restart).
    node = await this.o.client.patch(NODES, '', spec.name, { status: nodeStatus(spec, now) }, 'merge', 'status');
    this.adopt(node, spec);
    if (created) this.registrationEvents(node);
  }

  private registrationEvents(node: KubeObject): void {
    const name = node.metadata.name as string;
    const rec = this.o.recorder(name);
    const ref: KubeObject = { ...node, metadata: { ...node.metadata, uid: name, namespace: undefined } };
    rec.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
    for (const s of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) rec.event(ref, 'Normal', s, `Node ${name} status is now: ${s}`);
    rec.event(ref, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    rec.event(ref, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
  }

  /** Start managing a Node object that carries the simulated-node annotation. */
  private adopt(node: KubeObject, spec?: NodeSpec): void {
    const name = node.metadata.name as string;
    if (node.metadata.annotations?.[SIMULATED_NODE_ANNOTATION] !== 'true' || node.metadata.deletionTimestamp) {
      this.managed.delete(name);
      return;
    }
    const labels = node.metadata.labels ?? {};
    const addrs = ((node.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses) ?? [];
    const zone = spec?.zone ?? labels['topology.kubernetes.io/zone'] ?? '';
    const zi = this.o.zones.indexOf(zone);
    const ip = spec?.ip ?? addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
    const zoneIndex = spec?.zoneIndex ?? (zi >= 0 ? zi : 0);
    const existing = this.managed.get(name);
    const stopped = node.metadata.annotations?.[HEARTBEAT_ANNOTATION] === 'stopped';
    const podIpIsNodeIp = labels['eks.amazonaws.com/compute-type'] === 'fargate';
    if (existing) {
      existing.podIpIsNodeIp = podIpIsNodeIp;
      const resumed = existing.stopped === true && !stopped;
      existing.stopped = stopped;
      if (resumed) {
        // Back on the network: renew and report at once, as a reconnecting kubelet does.
        void this.renewLease(existing).catch((e) => this.o.onError?.(`lease ${name}`, e));
        void this.reportStatus(existing).catch((e) => this.o.onError?.(`status ${name}`, e));
      }
      existing.uid = node.metadata.uid ?? existing.uid;
      if (spec) existing.spec = spec;
      if (ip) existing.ip = ip;
      if (spec || (!existing.zone && zone)) { existing.zone = zone; existing.zoneIndex = zoneIndex; }
      return;
    }
    const m: ManagedNode = { name, uid: node.metadata.uid ?? '', zone, ip, zoneIndex, spec, lastRenew: 0, lastStatus: this.o.clock.now(), stopped, podIpIsNodeIp };
    this.managed.set(name, m);
    this.o.onAdopted?.(name);
    if (stopped) return;
    // A node created without status (e.g. by kubectl) gets one on its first status report, now.
    if (!spec && !(node.status as { capacity?: unknown } | undefined)?.capacity) void this.reportStatus(m).catch((e) => this.o.onError?.(`status ${name}`, e));
    void this.renewLease(m).catch((e) => this.o.onError?.(`lease ${name}`, e));
  }

  private onTick(): void {
    const now = this.o.clock.now();
    for (const m of this.managed.values()) {
      if (m.stopped) continue;
      if (now - m.lastRenew >= LEASE_RENEW_INTERVAL_MS) void this.renewLease(m).catch((e) => this.o.onError?.(`lease ${m.name}`, e));
      if (now - m.lastStatus >= NODE_STATUS_REPORT_MS) void this.reportStatus(m).catch((e) => this.o.onError?.(`status ${m.name}`, e));
    }
  }

  /** Renew (PUT with the cached Lease) or create the node's Lease, as nodelease.controller does. */
  async renewLease(m: ManagedNode): Promise<void> {
    const now = this.o.clock.now();
    m.lastRenew = now;
    if (m.lease) {
      const spec = { ...(m.lease.spec as Record<string, unknown>), holderIdentity: m.name, renewTime: formatMicroTime(now) };
      try {
        m.lease = await this.o.client.update(LEASES, NODE_LEASE_NAMESPACE, { ...m.lease, spec });
        return;
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
        m.lease = undefined;
      }
    }
    const fresh = nodeLease(m.name, m.uid || undefined, now);
    try {
      m.lease = await this.o.client.create(LEASES, NODE_LEASE_NAMESPACE, fresh);
    } catch (e) {
      if (!isConflict(e)) throw e;
      const cur = await this.o.client.get(LEASES, NODE_LEASE_NAMESPACE, m.name);
      m.lease = await this.o.client.update(LEASES, NODE_LEASE_NAMESPACE, { ...cur, spec: { ...(cur.spec as object), ...(fresh.spec as object) } });
    }
  }

  /** Post the node's conditions with a new heartbeat (capacity too when the node has none yet). */
  async reportStatus(m: ManagedNode): Promise<void> {
    if (!this.managed.has(m.name) || m.stopped) return;
    m.lastStatus = this.o.clock.now();
    const now = formatTime(m.lastStatus);
    const node = this.o.nodes.get(m.name);
    const status = (node?.status ?? {}) as { conditions?: Array<Record<string, string>>; capacity?: unknown };
    const prev = new Map((status.conditions ?? []).map((c) => [c.type, c]));
    const conditions = healthyConditions(now, now).map((c) => {
      const p = prev.get(c.type);
      return p && p.status === c.status ? { ...c, lastTransitionTime: p.lastTransitionTime ?? now } : c;
    });
    const patch: Record<string, unknown> = { conditions };
    if (!status.capacity) {
      // A node registered by someone else: report what a kubelet on its instance type would.
      const spec = m.spec ?? makeNodeSpec({ region: '', zone: m.zone, zoneIndex: m.zoneIndex, ip: m.ip, instanceType: node?.metadata.labels?.['node.kubernetes.io/instance-type'] ?? 't3.medium' });
      const full = nodeStatus(spec, this.o.clock.now());
      Object.assign(patch, { capacity: full.capacity, allocatable: full.allocatable, nodeInfo: full.nodeInfo, daemonEndpoints: full.daemonEndpoints });
    }
    await this.o.client.patch(NODES, '', m.name, { status: patch }, 'merge', 'status');
  }
}
