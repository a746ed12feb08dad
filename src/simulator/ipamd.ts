/**
 * One node's share of the Amazon VPC CNI's IP address management daemon (ipamd, in the aws-node
 * pod): the ENIs attached to the instance and the secondary IPv4 addresses assigned to them, kept
 * "warm" ahead of pods as aws-node's environment asks (amazon-vpc-cni-k8s pkg/ipamd/ipamd.go,
 * docs/eni-and-ip-target.md):
 *
 * - WARM_ENI_TARGET (default 1): keep a whole ENI's worth of free addresses. A fresh node holds
 *   its primary ENI full of secondaries; the first pod makes the pool short of one ENI's worth,
 *   so a second ENI is attached with all its addresses. An ENI without pods is detached once the
 *   free addresses exceed (target + 1) ENIs' worth.
 * - WARM_IP_TARGET / MINIMUM_IP_TARGET (either set switches to per-address mode): keep that many
 *   free addresses, and at least MINIMUM_IP_TARGET in total; addresses beyond both are released
 *   (ipamd waits out a 30 s cool-down first; here it happens at the next reconcile), and an ENI
 *   left without addresses is detached.
 *
 * The primary ENI (device 0) carries the node's own address and is never detached. Addresses come
 * from and go back to the subnet through `take`/`give`; ENI ids are stable per node and
 * attachment so DescribeNetworkInterfaces output does not churn.
 */
import { createHash } from 'node:crypto';

export interface WarmTargets {
  warmEni: number;
  warmIp?: number;
  minIp?: number;
}

export const DEFAULT_WARM_TARGETS: WarmTargets = { warmEni: 1 };

export interface Eni {
  id: string;
  deviceIndex: number;
  primaryIp: string;
  /** Secondary addresses with no pod. */
  free: string[];
  /** Secondary address → pod key. */
  assigned: Map<string, string>;
  attachedAt: number;
}

export interface NodeIpamOptions {
  node: string;
  nodeIp: string;
  maxEnis: number;
  /** IPv4 addresses per ENI, the primary included (EC2's ipv4AddressesPerInterface). */
  ipsPerEni: number;
  take: () => string | undefined;
  give: (ip: string) => void;
  now?: () => number;
}

function eniId(node: string, attachment: number): string {
  return `eni-${createHash('sha256').update(`${node}/${attachment}`).digest('hex').slice(0, 17)}`;
}

export class NodeIpam {
  readonly enis: Eni[];
  private attachments = 1;

  constructor(private readonly o: NodeIpamOptions) {
    this.enis = [{ id: eniId(o.node, 0), deviceIndex: 0, primaryIp: o.nodeIp, free: [], assigned: new Map(), attachedAt: o.now?.() ?? 0 }];
  }

  /** Secondary addresses one ENI holds. */
  private get perEni(): number {
    return this.o.ipsPerEni - 1;
  }

  total(): number {
    let n = 0;
    for (const e of this.enis) n += e.free.length + e.assigned.size;
    return n;
  }

  available(): number {
    let n = 0;
    for (const e of this.enis) n += e.free.length;
    return n;
  }

  /** A free address for the pod (topping the pool up first and after, as ipamd's reconcile keeps it), or undefined when none can be had. */
  assign(podKey: string, t: WarmTargets): string | undefined {
    this.reconcile(t);
    const eni = this.enis.find((e) => e.free.length > 0);
    const ip = eni?.free.shift();
    if (!eni || !ip) return undefined;
    eni.assigned.set(ip, podKey);
    this.reconcile(t);
    return ip;
  }

  /** The pod's address goes back to the warm pool (CNI DEL). */
  release(ip: string, t: WarmTargets): void {
    for (const e of this.enis) {
      if (!e.assigned.delete(ip)) continue;
      e.free.push(ip);
      break;
    }
    this.reconcile(t);
  }

  /** A running pod's address found after a restart: put it on an ENI with room (attaching ENIs as needed). */
  adopt(podKey: string, ip: string): void {
    let eni = this.enis.find((e) => e.free.length + e.assigned.size < this.perEni);
    if (!eni && this.enis.length < this.o.maxEnis) eni = this.attach();
    (eni ?? this.enis[this.enis.length - 1]).assigned.set(ip, podKey);
  }

  /** Gives every address back to the subnet (the instance is gone). */
  releaseAll(): void {
    for (const e of this.enis) {
      for (const ip of [...e.free, ...e.assigned.keys()]) this.o.give(ip);
      if (e.deviceIndex > 0) this.o.give(e.primaryIp);
    }
    this.enis.length = 1;
    this.enis[0].free = [];
    this.enis[0].assigned.clear();
  }

  /** ipamd's pool reconcile: grow while short of the targets, then shrink what exceeds them. */
  reconcile(t: WarmTargets): void {
    const perIp = t.warmIp !== undefined || t.minIp !== undefined;
    for (;;) {
      const short = this.shortBy(t, perIp);
      if (short <= 0) break;
      if (!this.grow(short, perIp)) break;
    }
    if (perIp) this.shrinkAddresses(t); else this.shrinkEnis(t);
  }

  private shortBy(t: WarmTargets, perIp: boolean): number {
    const available = this.available();
    if (perIp) return Math.max((t.warmIp ?? 0) - available, (t.minIp ?? 0) - this.total(), 0);
    // ipamd: too low when available < addrsPerENI × WARM_ENI_TARGET, or nothing at all is free with a target of 0.
    if (t.warmEni === 0) return available === 0 ? 1 : 0;
    return Math.max(this.perEni * t.warmEni - available, 0);
  }

  /** Adds addresses: room on attached ENIs first, then a new ENI. False when nothing could be added. */
  private grow(short: number, perIp: boolean): boolean {
    let eni = this.enis.find((e) => e.free.length + e.assigned.size < this.perEni);
    if (!eni) {
      if (this.enis.length >= this.o.maxEnis) return false;
      eni = this.attach();
      if (!eni) return false;
    }
    const room = this.perEni - eni.free.length - eni.assigned.size;
    const want = perIp ? Math.min(short, room) : room;
    let added = 0;
    for (; added < want; added++) {
      const ip = this.o.take();
      if (!ip) break;
      eni.free.push(ip);
    }
    return added > 0;
  }

  private attach(): Eni | undefined {
    const primary = this.o.take();
    if (!primary) return undefined;
    const used = new Set(this.enis.map((e) => e.deviceIndex));
    let deviceIndex = 1;
    while (used.has(deviceIndex)) deviceIndex++;
    const eni: Eni = { id: eniId(this.o.node, this.attachments++), deviceIndex, primaryIp: primary, free: [], assigned: new Map(), attachedAt: this.o.now?.() ?? 0 };
    this.enis.push(eni);
    this.enis.sort((a, b) => a.deviceIndex - b.deviceIndex);
    return eni;
  }

  private detach(eni: Eni): void {
    for (const ip of eni.free) this.o.give(ip);
    this.o.give(eni.primaryIp);
    this.enis.splice(this.enis.indexOf(eni), 1);
  }

  /** WARM_ENI_TARGET: detach pod-less ENIs (the newest first) while the rest still leaves the target met. */
  private shrinkEnis(t: WarmTargets): void {
    for (;;) {
      const available = this.available();
      if (available < (t.warmEni + 1) * this.perEni) return;
      const idle = [...this.enis].reverse().find((e) => e.deviceIndex > 0 && e.assigned.size === 0);
      if (!idle || available - idle.free.length < t.warmEni * this.perEni) return;
      this.detach(idle);
    }
  }

  /** WARM_IP_TARGET / MINIMUM_IP_TARGET: release free addresses beyond both, from the last ENI back; detach ENIs left empty. */
  private shrinkAddresses(t: WarmTargets): void {
    let over = Math.min(this.available() - (t.warmIp ?? 0), this.total() - (t.minIp ?? 0));
    for (let i = this.enis.length - 1; i >= 0 && over > 0; i--) {
      const e = this.enis[i];
      while (over > 0 && e.free.length > 0) { this.o.give(e.free.pop() as string); over--; }
    }
    for (const e of [...this.enis]) if (e.deviceIndex > 0 && e.free.length === 0 && e.assigned.size === 0) this.detach(e);
  }
}

/** Reads the targets from aws-node's container environment (unset or malformed values keep the defaults). */
export function warmTargetsFromEnv(env: ReadonlyArray<{ name?: string; value?: string }> | undefined): WarmTargets {
  const get = (name: string): number | undefined => {
    const v = env?.find((e) => e.name === name)?.value;
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const t: WarmTargets = { warmEni: get('WARM_ENI_TARGET') ?? DEFAULT_WARM_TARGETS.warmEni };
  const warmIp = get('WARM_IP_TARGET');
  const minIp = get('MINIMUM_IP_TARGET');
  // ipamd treats a zero WARM_IP_TARGET as unset.
  if (warmIp !== undefined && warmIp > 0) t.warmIp = warmIp;
  if (minIp !== undefined && minIp > 0) t.minIp = minIp;
  return t;
}
