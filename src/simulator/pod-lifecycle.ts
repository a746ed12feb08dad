/**
 * Simulated kubelets' pod side: for every pod bound to a managed node, find the lifecycle stage
 * it is in (stages.ts), wait until that stage is due, then write the stage's effect — a new pod
 * status through pods/status, or the kubelet's final DELETE with gracePeriodSeconds=0 once a
 * terminating pod's containers have stopped — and record the kubelet's Events.
 *
 * Level-triggered, one work-queue key per pod: sync(key) reads the informer's copy, so a
 * re-sync after a restart picks up where the pod is. Per pod and event: O(1) work.
 */
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import type { ApiClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { Informer, objectKey } from '../client/informer.js';
import { runWorkers, WorkQueue } from '../client/workqueue.js';
import { nodeIp } from './addressing.js';
import { nodeEniLimits, nodePodIpCapacity, sandboxFailedMessage, sandboxPendingStatus, subnetBase, VpcCni, type CniNode, type NodeInterfaces, type SubnetAddressLookup } from './vpc-cni.js';
import type { WarmTargets } from './ipamd.js';
import { applyEffect } from './effects.js';
import type { ManagedNode, NodeFleet } from './node-fleet.js';
import { PODS } from './refs.js';
import { DEFAULT_STAGES, podFacts, referenceTime, selectStage, stageDelayMs, type Stage } from './stages.js';

export interface PodLifecycleOptions {
  client: ApiClient;
  clock: Clock;
  pods: Informer;
  fleet: NodeFleet;
  recorder: (host: string) => EventRecorder;
  stages?: readonly Stage[];
  workers?: number;
  onError?: (key: string, err: unknown) => void;
  /** The Node object of a managed node (its instance type and max pods bound the VPC CNI's addresses). */
  nodeObject?: (name: string) => KubeObject | undefined;
  /** Real subnets of nodes that are EC2 instances (their pods' addresses come from EC2's allocator). */
  subnets?: SubnetAddressLookup;
}

/** How soon the kubelet tries again to create a sandbox that got no address (besides an address freeing up). */
export const SANDBOX_RETRY_MS = 10_000;

interface PodState { stage: string; since: number; ip?: string; zoneIndex: number; pullAttempts: number }

export class PodLifecycle {
  private readonly o: PodLifecycleOptions;
  private readonly stages: readonly Stage[];
  private readonly queue: WorkQueue<string>;
  private readonly state = new Map<string, PodState>();
  private readonly cni: VpcCni;
  /** Pods waiting for an address, per node (woken when one is released there). */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly sandboxAttempts = new Map<string, number>();
  /** Node name → keys of pods bound to it while the fleet did not manage it yet (see resyncNode). */
  private readonly waitingForNode = new Map<string, Set<string>>();
  private running: Promise<void> | undefined;
  /** resyncAll ran: every running pod's address is reserved, so warm pools may take fresh ones. */
  private poolsPrimed = false;

  constructor(opts: PodLifecycleOptions) {
    this.o = opts;
    this.stages = opts.stages ?? DEFAULT_STAGES;
    this.cni = new VpcCni({ now: () => opts.clock.now(), subnets: opts.subnets });
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 20, maxDelayMs: 5000 });
    opts.pods.addHandlers({
      add: (p) => this.observe(p),
      update: (_o, p) => this.observe(p),
      delete: (p) => this.forget(p),
    });
  }

  start(): void {
    this.running = runWorkers(this.queue, this.o.workers ?? 8, (k) => this.sync(k), this.o.onError);
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.running;
  }

  /** Re-examine every pod on managed nodes (after the node list is known), then fill the nodes' warm address pools. */
  resyncAll(): void {
    for (const p of this.o.pods.list()) this.observe(p);
    this.poolsPrimed = true;
    for (const m of this.o.fleet.list()) if (!m.podIpIsNodeIp) this.cni.warm(this.cniNode(m));
  }

  /** aws-node's WARM_ENI_TARGET / WARM_IP_TARGET / MINIMUM_IP_TARGET changed (pools refill only once running pods' addresses are all reserved). */
  setWarmTargets(t: WarmTargets): void {
    this.cni.setTargets(t, this.poolsPrimed);
  }

  /** A Node went away: its ENIs are released. */
  forgetNode(name: string): void {
    this.cni.forgetNode(name);
  }

  /** The nodes' ENIs and addresses (EC2 DescribeNetworkInterfaces). */
  networkInterfaces(): NodeInterfaces[] {
    return this.cni.interfaces();
  }

  /** Re-examine the pods bound to one node before the fleet managed it (it was just adopted: they can start). O(those pods). */
  resyncNode(name: string): void {
    const keys = this.waitingForNode.get(name);
    this.waitingForNode.delete(name);
    for (const k of keys ?? []) {
      const p = this.o.pods.get(k);
      if (p) this.observe(p);
    }
    const m = this.o.fleet.get(name);
    if (m && !m.podIpIsNodeIp && this.poolsPrimed) this.cni.warm(this.cniNode(m));
  }

  private observe(pod: KubeObject): void {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node) return;
    const m = this.o.fleet.get(node);
    const key = objectKey(pod);
    if (!m) {
      let w = this.waitingForNode.get(node);
      if (!w) { w = new Set(); this.waitingForNode.set(node, w); }
      w.add(key);
      return;
    }
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    const st = this.state.get(key);
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (ip && !st?.ip && ip !== m.ip && phase !== 'Succeeded' && phase !== 'Failed') { this.cni.reserve(this.cniNode(m), key, ip); this.state.set(key, { stage: '', since: 0, ...st, ip, zoneIndex: m.zoneIndex, pullAttempts: st?.pullAttempts ?? 0 }); }
    this.queue.add(key);
  }

  private forget(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const w = node ? this.waitingForNode.get(node) : undefined;
    if (w) { w.delete(key); if (w.size === 0) this.waitingForNode.delete(node as string); }
    this.releaseIp(key);
    this.state.delete(key);
    this.sandboxAttempts.delete(key);
    for (const w of this.waiting.values()) w.delete(key);
  }

  private cniNode(m: ManagedNode): CniNode {
    // A node registered without an address (e.g. by kubectl) takes its zone's subnet (addressing.ts layout).
    const ip = subnetBase(m.ip) !== undefined ? m.ip : nodeIp(m.zoneIndex, 0);
    const obj = this.o.nodeObject?.(m.name);
    return { name: m.name, ip, capacity: nodePodIpCapacity(obj, m.spec?.instanceType), enis: nodeEniLimits(obj, m.spec?.instanceType) };
  }

  /** Gives the pod's address back (CNI DEL) and lets pods waiting on that node try again. */
  private releaseIp(key: string): void {
    const node = this.cni.release(key);
    const st = this.state.get(key);
    if (st) st.ip = undefined;
    if (!node) return;
    const w = this.waiting.get(node);
    if (!w) return;
    this.waiting.delete(node);
    for (const k of w) this.queue.add(k);
  }

  /** The pod needs a secondary address before this effect (sandbox creation): not host-network, none yet. */
  private needsPodIp(pod: KubeObject, effect: string, node: ManagedNode): boolean {
    if (node.podIpIsNodeIp || (pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork === true) return false;
    if ((pod.status as { podIP?: string } | undefined)?.podIP) return false;
    return effect === 'run' || effect === 'initialize' || effect === 'pullFail';
  }

  /** No address on the node: ContainerCreating, a FailedCreatePodSandBox event, and another try later. */
  private async sandboxFailed(pod: KubeObject, node: ManagedNode, key: string, ns: string, now: number): Promise<void> {
    const attempt = (this.sandboxAttempts.get(key) ?? 0) + 1;
    this.sandboxAttempts.set(key, attempt);
    let w = this.waiting.get(node.name);
    if (!w) { w = new Set(); this.waiting.set(node.name, w); }
    w.add(key);
    const cs = (pod.status as { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } | undefined)?.containerStatuses;
    const already = !!cs?.length && cs.every((c) => c.state?.waiting?.reason === 'ContainerCreating');
    if (!already) {
      try {
        await this.o.client.update(PODS, ns, { ...pod, status: sandboxPendingStatus(pod, now, node.ip) }, 'status');
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
    }
    this.o.recorder(node.name).event(pod, 'Warning', 'FailedCreatePodSandBox', sandboxFailedMessage(pod, attempt));
    this.queue.addAfter(key, SANDBOX_RETRY_MS);
  }

  async sync(key: string): Promise<void> {
    const pod = this.o.pods.get(key);
    if (!pod) return;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const node = nodeName ? this.o.fleet.get(nodeName) : undefined;
    if (!node) return;
    const now = this.o.clock.now();
    const stage = selectStage(this.stages, podFacts(pod, now));
    let st = this.state.get(key);
    if (!st) { st = { stage: '', since: now, zoneIndex: node.zoneIndex, pullAttempts: 0 }; this.state.set(key, st); }
    if (!stage) { st.stage = ''; return; }
    if (st.stage !== stage.name) { st.stage = stage.name; st.since = now; }
    const due = (referenceTime(pod, stage.delay.from) ?? st.since) + stageDelayMs(stage, pod, st.pullAttempts);
    if (due > now) { this.queue.addAfter(key, due - now); return; }
    const state = st;
    const [ns, name] = key.includes('/') ? key.split('/') as [string, string] : ['', key];
    if (this.needsPodIp(pod, stage.effect, node)) {
      const ip = this.cni.assign(this.cniNode(node), key);
      if (!ip) { await this.sandboxFailed(pod, node, key, ns, now); return; }
      state.ip = ip;
      this.waiting.get(node.name)?.delete(key);
      this.sandboxAttempts.delete(key);
    }
    const result = applyEffect(stage.effect, pod, {
      now, hostIP: node.ip, pullAttempts: st.pullAttempts,
      allocateIp: () => {
        // Fargate: the pod has the micro-VM's (node's) address.
        if (node.podIpIsNodeIp) return node.ip;
        const ip = this.cni.ipOf(key) ?? this.cni.assign(this.cniNode(node), key) ?? node.ip;
        state.ip = ip;
        state.zoneIndex = node.zoneIndex;
        return ip;
      },
    });
    if (stage.effect === 'pullFail') st.pullAttempts++;
    try {
      if (result.delete) {
        await this.o.client.delete(PODS, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } else if (result.status) {
        await this.o.client.update(PODS, ns, { ...pod, status: result.status }, 'status');
      }
    } catch (e) {
      if (isNotFound(e)) return;
      // Undo an address given to a write that failed; the retry allocates again.
      if (state.ip && !(pod.status as { podIP?: string } | undefined)?.podIP) this.releaseIp(key);
      throw e;
    }
    // A pod that finished has its sandbox torn down: the address goes back to the node.
    const phase = (result.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') this.releaseIp(key);
    const rec = this.o.recorder(node.name);
    for (const ev of result.events) rec.event(pod, ev.type, ev.reason, ev.message, ev.fieldPath);
  }
}
