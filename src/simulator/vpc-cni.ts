/**
 * The Amazon VPC CNI's pod addressing (aws-node / ipamd), simulated: a pod gets a secondary IPv4
 * address of its node's subnet (the /19 of the node's InternalIP in the eksctl VPC layout that
 * addressing.ts follows; pod addresses come from the upper half of that /19, away from node
 * addresses), and a node can hand out at most ENIs × (IPv4 per ENI − 1) of them — the instance
 * type's ENI limits (instance-types.ts podIpCapacity), or max pods − 2 for a node whose type the
 * table lacks. A pod that finds its node out of addresses cannot get a sandbox: the kubelet
 * reports FailedCreatePodSandBox with the CNI plugin's error and keeps the pod ContainerCreating
 * until an address frees up (pod-lifecycle.ts retries). Host-network pods use the node's own
 * address and consume nothing. Addresses return to the node when pods finish or go away.
 *
 * A /19 holds ~4,000 pod addresses, so the 150,000-pod scale envelope cannot fit in the node
 * subnets. Large EKS clusters give pods a secondary CIDR instead (VPC CNI custom networking with
 * one ENIConfig subnet per zone in 100.64.0.0/10, the EKS best-practices answer to IP
 * exhaustion); here a node subnet whose pod range is full overflows into a /13 of 100.64.0.0/10
 * (picked by the /19's index modulo 8; subnets that share one share its pool), so per-node ENI
 * limits still bind but a zone does not run dry at ~4,000 addresses.
 *
 * Nodes of a known instance type run ipamd's warm pool (ipamd.ts): ENIs are attached and
 * secondary addresses assigned ahead of pods as aws-node's WARM_ENI_TARGET / WARM_IP_TARGET /
 * MINIMUM_IP_TARGET ask, those addresses are taken from the subnet whether pods use them or not,
 * and `interfaces()` shows the ENIs (EC2 DescribeNetworkInterfaces). Other nodes take addresses
 * straight from the subnet.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { formatTime } from '../apimachinery/time.js';
import { instanceType as lookupType, INSTANCE_TYPES, podIpCapacity } from './instance-types.js';
import { DEFAULT_WARM_TARGETS, NodeIpam, type WarmTargets } from './ipamd.js';
import { containers, normalizeImage, status, unreadyMessage, withCondition, type Obj } from './pod-status.js';

const SUBNET_SIZE = 8192; // a /19
const POD_FIRST = 4096;
const POD_LAST = 8190;
const SECONDARY_BASE = ((100 * 256 + 64) * 256) * 256; // 100.64.0.0/10
const SECONDARY_SIZE = 1 << 19; // a /13: the /10 holds 8, shared by node subnets whose /19 index is equal modulo 8

function ipToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : undefined;
}

const intToIp = (n: number): string => `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;

/** The base address (as a number) of the /19 subnet holding `ip`. */
export function subnetBase(ip: string): number | undefined {
  const n = ipToInt(ip);
  return n === undefined ? undefined : n - (n % SUBNET_SIZE);
}

/** Pod addresses the node can hold: from its instance type's ENI limits, else its max pods − 2; Infinity when unknown. */
export function nodePodIpCapacity(node: KubeObject | undefined, fallbackType?: string): number {
  const type = node?.metadata.labels?.['node.kubernetes.io/instance-type'] ?? fallbackType;
  if (type && INSTANCE_TYPES.has(type)) return podIpCapacity(lookupType(type));
  const pods = Number((node?.status as { allocatable?: { pods?: string } } | undefined)?.allocatable?.pods);
  return Number.isFinite(pods) && pods > 0 ? Math.max(0, pods - 2) : Number.POSITIVE_INFINITY;
}

/** The secondary (custom networking) /13 that a full node subnet overflows into. */
function secondaryBase(subnet: number): number {
  return SECONDARY_BASE + ((subnet / SUBNET_SIZE) % 8) * SECONDARY_SIZE;
}

/** The base of the pool an address belongs to: its /13 in 100.64.0.0/10, else its /19. */
function poolBase(ip: string): number | undefined {
  const n = ipToInt(ip);
  if (n === undefined) return undefined;
  if (n >= SECONDARY_BASE && n < SECONDARY_BASE + 8 * SECONDARY_SIZE) return n - (n % SECONDARY_SIZE);
  return n - (n % SUBNET_SIZE);
}

/** ENI limits of the node's instance type (undefined when the table lacks it: no warm pool then). */
export function nodeEniLimits(node: KubeObject | undefined, fallbackType?: string): { max: number; ipsPerEni: number } | undefined {
  const type = node?.metadata.labels?.['node.kubernetes.io/instance-type'] ?? fallbackType;
  const t = type ? INSTANCE_TYPES.get(type) : undefined;
  return t?.enis !== undefined && t.ipsPerEni !== undefined ? { max: t.enis, ipsPerEni: t.ipsPerEni } : undefined;
}

/** One subnet's free secondary addresses: fresh ones in order, then released ones (FIFO, a cool-down of sorts). */
class SubnetPool {
  private next: number;
  private readonly freed: number[] = [];
  private readonly used = new Set<number>();

  constructor(private readonly base: number, private readonly last: number, first: number, private readonly isNodeIp: (ip: string) => boolean) {
    this.next = first;
  }

  take(): string | undefined {
    while (this.next <= this.last) {
      const off = this.next++;
      if (off % 256 === 0 || off % 256 === 255 || this.used.has(off)) continue;
      const ip = intToIp(this.base + off);
      if (this.isNodeIp(ip)) continue;
      this.used.add(off);
      return ip;
    }
    const off = this.freed.shift();
    if (off === undefined) return undefined;
    this.used.add(off);
    return intToIp(this.base + off);
  }

  mark(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.add(n - this.base);
  }

  give(ip: string): void {
    const n = ipToInt(ip);
    if (n === undefined || !this.used.delete(n - this.base)) return;
    this.freed.push(n - this.base);
  }
}

export interface CniNode {
  name: string;
  ip: string;
  /** Pod addresses this node can hold (nodePodIpCapacity). */
  capacity: number;
  /** The instance type's ENI limits: the node runs a warm pool of ENIs and addresses (nodeEniLimits). */
  enis?: { max: number; ipsPerEni: number };
}


/** What DescribeNetworkInterfaces shows of a node: its ENIs, their primary and secondary addresses, and which pod has each. */
export interface NodeInterfaces {
  node: string;
  enis: Array<{ id: string; deviceIndex: number; primaryIp: string; attachedAt: number; secondary: Array<{ ip: string; pod?: string }> }>;
}

/**
 * Where a node's pod addresses come from when keks knows its subnet for real: EC2's allocator for
 * the instance's subnet (so DescribeSubnets' free count drops as ipamd takes addresses, and pods
 * share the subnet with instances and load balancers without collisions), or undefined for nodes
 * that are not EC2 instances (the simulator's own layout above).
 */
export interface SubnetAddresses {
  take(): string | undefined;
  give(ip: string): void;
  /** An address found in use (a running pod after a restart, the node's own). */
  mark(ip: string): void;
}

export type SubnetAddressLookup = (nodeIp: string) => SubnetAddresses | undefined;

/** What an assignment holds: the node, and whether its ipamd (WARM) or the subnet straight away gave it. */
interface Assignment { node: string; ip: string; warm: boolean }

export class VpcCni {
  private readonly pools = new Map<number, SubnetPool>();
  private readonly byPod = new Map<string, Assignment>();
  private readonly perNode = new Map<string, Set<string>>();
  private readonly ipams = new Map<string, NodeIpam>();
  /** Node name → where its addresses come from (looked up once). */
  private readonly sources = new Map<string, SubnetAddresses>();
  private targets: WarmTargets = DEFAULT_WARM_TARGETS;

  constructor(private readonly o: { isNodeIp?: (ip: string) => boolean; now?: () => number; subnets?: SubnetAddressLookup } = {}) {}

  /** The node's address source: its real subnet's, or the simulator's /19 with the 100.64.0.0/10 overflow. */
  private source(node: CniNode): SubnetAddresses | undefined {
    const have = this.sources.get(node.name);
    if (have) return have;
    let src = this.o.subnets?.(node.ip);
    if (src) {
      src.mark(node.ip);
    } else {
      const base = subnetBase(node.ip);
      if (base === undefined) return undefined;
      src = {
        take: () => this.pool(base).take() ?? this.pool(secondaryBase(base)).take(),
        give: (ip) => { const b = poolBase(ip); if (b !== undefined) this.pool(b).give(ip); },
        mark: (ip) => { const b = poolBase(ip); if (b !== undefined) this.pool(b).mark(ip); },
      };
    }
    this.sources.set(node.name, src);
    return src;
  }

  /** The node's ipamd (made on first use; its pool is filled by the next reconcile, not here, so a restart can reserve running pods' addresses first). */
  private ipam(node: CniNode): NodeIpam | undefined {
    if (!node.enis) return undefined;
    let n = this.ipams.get(node.name);
    const src = this.source(node);
    if (!n && src) {
      n = new NodeIpam({
        node: node.name, nodeIp: node.ip, maxEnis: node.enis.max, ipsPerEni: node.enis.ipsPerEni, now: this.o.now,
        take: () => src.take(), give: (ip) => src.give(ip),
      });
      this.ipams.set(node.name, n);
    }
    return n;
  }

  /** Brings the node's warm pool to its targets (a node just registered, or after a restart once its pods are known). */
  warm(node: CniNode): void {
    this.ipam(node)?.reconcile(this.targets);
  }

  /** New aws-node targets: every node's pool is reconciled against them. */
  setTargets(t: WarmTargets, reconcile = true): void {
    this.targets = t;
    if (reconcile) for (const n of this.ipams.values()) n.reconcile(t);
  }

  /** The node is gone (instance terminated): its ENIs' addresses go back to the subnet. */
  forgetNode(name: string): void {
    this.ipams.get(name)?.releaseAll();
    this.ipams.delete(name);
    this.sources.delete(name);
  }

  interfaces(): NodeInterfaces[] {
    return [...this.ipams].map(([node, n]) => ({
      node,
      enis: n.enis.map((e) => ({
        id: e.id, deviceIndex: e.deviceIndex, primaryIp: e.primaryIp, attachedAt: e.attachedAt,
        secondary: [...[...e.assigned].map(([ip, pod]) => ({ ip, pod })), ...e.free.map((ip) => ({ ip }))],
      })),
    }));
  }

  private pool(base: number): SubnetPool {
    let p = this.pools.get(base);
    if (!p) {
      const secondary = base >= SECONDARY_BASE && base < SECONDARY_BASE + 8 * SECONDARY_SIZE;
      p = secondary ? new SubnetPool(base, SECONDARY_SIZE - 2, 1, () => false) : new SubnetPool(base, POD_LAST, POD_FIRST, this.o.isNodeIp ?? (() => false));
      this.pools.set(base, p);
    }
    return p;
  }

  /** Addresses in use on a node. */
  used(node: string): number {
    return this.perNode.get(node)?.size ?? 0;
  }

  ipOf(podKey: string): string | undefined {
    return this.byPod.get(podKey)?.ip;
  }

  /** An address for the pod (the same one again if it has one), or undefined when the node or subnet is out of addresses. */
  assign(node: CniNode, podKey: string): string | undefined {
    const have = this.byPod.get(podKey);
    if (have) return have.ip;
    if (this.used(node.name) >= node.capacity) return undefined;
    const ipam = this.ipam(node);
    const ip = ipam ? ipam.assign(podKey, this.targets) : this.source(node)?.take();
    if (ip) this.record(podKey, { node: node.name, ip, warm: ipam !== undefined });
    return ip;
  }

  /** A pod found running with an address (after a restart). */
  reserve(node: CniNode, podKey: string, ip: string): void {
    if (this.byPod.has(podKey)) return;
    const src = this.source(node);
    if (!src) return;
    src.mark(ip);
    const ipam = this.ipam(node);
    ipam?.adopt(podKey, ip);
    this.record(podKey, { node: node.name, ip, warm: ipam !== undefined });
  }

  /** Frees the pod's address; returns its node's name (pods waiting there may proceed). */
  release(podKey: string): string | undefined {
    const a = this.byPod.get(podKey);
    if (!a) return undefined;
    this.byPod.delete(podKey);
    this.perNode.get(a.node)?.delete(podKey);
    if (a.warm) this.ipams.get(a.node)?.release(a.ip, this.targets);
    else this.sources.get(a.node)?.give(a.ip);
    return a.node;
  }

  private record(podKey: string, a: Assignment): void {
    this.byPod.set(podKey, a);
    let s = this.perNode.get(a.node);
    if (!s) { s = new Set(); this.perNode.set(a.node, s); }
    s.add(podKey);
  }
}

/** The kubelet's FailedCreatePodSandBox message when the VPC CNI has no address (attempt varies the sandbox id). */
export function sandboxFailedMessage(pod: KubeObject, attempt: number): string {
  const id = createHash('sha256').update(`sandbox/${pod.metadata.uid ?? ''}/${attempt}`).digest('hex');
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${id}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`;
}

/** A pod whose sandbox could not be created: Pending, containers waiting in ContainerCreating, no pod IP. */
export function sandboxPendingStatus(pod: KubeObject, now: number, hostIP: string): Obj {
  const t = formatTime(now);
  const st = { ...status(pod) };
  const names = containers(pod).map((c) => c.name);
  let conds = withCondition((st.conditions as Parameters<typeof withCondition>[0] | undefined) ?? [], { type: 'PodReadyToStartContainers', status: 'False' }, t);
  conds = withCondition(conds, { type: 'Initialized', status: 'True' }, t);
  conds = withCondition(conds, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: unreadyMessage(names) }, t);
  conds = withCondition(conds, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: unreadyMessage(names) }, t);
  return {
    ...st, phase: 'Pending', hostIP, hostIPs: [{ ip: hostIP }], startTime: st.startTime ?? t, conditions: conds,
    containerStatuses: containers(pod).map((c) => ({
      name: c.name, image: normalizeImage(c.image), imageID: '', ready: false, started: false, restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } }, lastState: {},
    })),
  };
}
