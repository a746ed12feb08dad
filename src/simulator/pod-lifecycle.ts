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
import { PodIpAllocator } from './addressing.js';
import { applyEffect } from './effects.js';
import type { NodeFleet } from './node-fleet.js';
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
}

interface PodState { stage: string; since: number; ip?: string; zoneIndex: number; pullAttempts: number }

export class PodLifecycle {
  private readonly o: PodLifecycleOptions;
  private readonly stages: readonly Stage[];
  private readonly queue: WorkQueue<string>;
  private readonly state = new Map<string, PodState>();
  private readonly ips = new PodIpAllocator();
  private running: Promise<void> | undefined;

  constructor(opts: PodLifecycleOptions) {
    this.o = opts;
    this.stages = opts.stages ?? DEFAULT_STAGES;
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

  /** Re-examine every pod on managed nodes (after the node list is known). */
  resyncAll(): void {
    for (const p of this.o.pods.list()) this.observe(p);
  }

  private observe(pod: KubeObject): void {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node) return;
    const m = this.o.fleet.get(node);
    if (!m) return;
    const key = objectKey(pod);
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    const st = this.state.get(key);
    if (ip && !st?.ip && ip !== m.ip) { this.ips.reserve(ip); this.state.set(key, { stage: '', since: 0, ...st, ip, zoneIndex: m.zoneIndex, pullAttempts: st?.pullAttempts ?? 0 }); }
    this.queue.add(key);
  }

  private forget(pod: KubeObject): void {
    const key = objectKey(pod);
    const st = this.state.get(key);
    if (st?.ip) this.ips.release(st.zoneIndex, st.ip);
    this.state.delete(key);
  }

  async sync(key: string): Promise<void> {
    const pod = this.o.pods.get(key);
    if (!pod) return;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const node = nodeName ? this.o.fleet.get(nodeName) : undefined;
    if (!node) return;
    const stage = selectStage(this.stages, podFacts(pod));
    const now = this.o.clock.now();
    let st = this.state.get(key);
    if (!st) { st = { stage: '', since: now, zoneIndex: node.zoneIndex, pullAttempts: 0 }; this.state.set(key, st); }
    if (!stage) { st.stage = ''; return; }
    if (st.stage !== stage.name) { st.stage = stage.name; st.since = now; }
    const due = (referenceTime(pod, stage.delay.from) ?? st.since) + stageDelayMs(stage, pod, st.pullAttempts);
    if (due > now) { this.queue.addAfter(key, due - now); return; }
    const state = st;
    const result = applyEffect(stage.effect, pod, {
      now, hostIP: node.ip, pullAttempts: st.pullAttempts,
      allocateIp: () => { const ip = this.ips.allocate(node.zoneIndex); state.ip = ip; state.zoneIndex = node.zoneIndex; return ip; },
    });
    if (stage.effect === 'pullFail') st.pullAttempts++;
    const [ns, name] = key.includes('/') ? key.split('/') as [string, string] : ['', key];
    try {
      if (result.delete) {
        await this.o.client.delete(PODS, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } else if (result.status) {
        await this.o.client.update(PODS, ns, { ...pod, status: result.status }, 'status');
      }
    } catch (e) {
      if (isNotFound(e)) return;
      // Undo an address given to a write that failed; the retry allocates again.
      if (state.ip && !(pod.status as { podIP?: string } | undefined)?.podIP) { this.ips.release(state.zoneIndex, state.ip); state.ip = undefined; }
      throw e;
    }
    const rec = this.o.recorder(node.name);
    for (const ev of result.events) rec.event(pod, ev.type, ev.reason, ev.message, ev.fieldPath);
  }
}
