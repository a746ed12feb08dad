/**
 * kube-scheduler in-process: informers on pods and nodes feed the cache and the queue; one loop
 * takes pending pods (spec.schedulerName default-scheduler, no nodeName, no scheduling gates),
 * decides (schedule-one.ts), assumes the pod on its node and binds it through POST pods/binding
 * asynchronously (bounded in flight). A pod that fits nowhere gets the FailedScheduling Event and
 * the PodScheduled=False/Unschedulable condition with upstream's message, and waits until a node
 * or pod change may help. The queue pops higher spec.priority first; a pod that fits nowhere may
 * preempt lower-priority pods (preemption.ts): the victims get DisruptionTarget=True
 * (PreemptionByScheduler), are deleted with a `Preempted` event, and the preemptor gets
 * status.nominatedNodeName and is scheduled there once they are gone.
 */
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import { formatTime } from '../apimachinery/time.js';
import type { ApiClient, ResourceRef } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import { EventRecorder } from '../client/events.js';
import { sharedInformersFor } from '../client/shared-informers.js';
import { Informer, objectKey } from '../client/informer.js';
import { SchedulerCache } from './cache.js';
import type { Plugin } from './framework.js';
import { failedSchedulingMessage, fitErrorMessage } from './messages.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { Algorithm } from './schedule-one.js';
import { makePodInfo, podPriority, type PodInfo } from './node-info.js';
import { Nominator } from './nominator.js';
import { eligibleToPreempt, pdbInfo, preempt, type PdbInfo } from './preemption.js';
import { SchedulingQueue } from './queue.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const PDBS: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true };
export const SCHEDULER_NAME = 'default-scheduler';
const MAX_BINDS_IN_FLIGHT = 256;

export interface SchedulerOptions {
  client: ApiClient;
  clock: Clock;
  plugins?: readonly Plugin[];
  onError?: (what: string, err: unknown) => void;
}

type Obj = Record<string, unknown>;

function wantsScheduling(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeName?: string; schedulerName?: string; schedulingGates?: unknown[] };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !spec.nodeName && (spec.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME && !pod.metadata.deletionTimestamp
    && phase !== 'Succeeded' && phase !== 'Failed' && !(spec.schedulingGates?.length);
}

/** Spec, labels and annotations unchanged: the scheduling decision would be the same. */
function schedulingInputsEqual(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify([a.spec, a.metadata.labels, a.metadata.annotations]) === JSON.stringify([b.spec, b.metadata.labels, b.metadata.annotations]);
}

/** Node changes that can make a pod fit (NodeAdd, allocatable, labels, taints, unschedulable). */
function nodeChangeMatters(a: KubeObject, b: KubeObject): boolean {
  const s = (o: KubeObject): string => JSON.stringify([o.metadata.labels, (o.spec as Obj | undefined)?.taints, (o.spec as Obj | undefined)?.unschedulable, (o.status as Obj | undefined)?.allocatable]);
  return s(a) !== s(b);
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  readonly pods: Informer;
  readonly nodes: Informer;
  readonly pdbs: Informer;
  readonly nominator = new Nominator();
  private pdbCache: PdbInfo[] | undefined;
  private preemptSeed = 1;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly algorithm: Algorithm;
  private readonly recorder: EventRecorder;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private inFlight = 0;
  private slot: (() => void) | undefined;
  /** Pods scheduled (bound) since start. */
  scheduled = 0;

  constructor(opts: SchedulerOptions) {
    this.o = opts;
    this.queue = new SchedulingQueue({ clock: opts.clock });
    this.algorithm = new Algorithm(opts.plugins ?? DEFAULT_PLUGINS);
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: SCHEDULER_NAME });
    // The cluster's shared informers: one cache of pods and nodes however many components read them.
    const shared = sharedInformersFor(opts.client, opts.clock);
    this.pods = shared.informerFor({ ref: PODS });
    this.nodes = shared.informerFor({ ref: NODES });
    this.pdbs = shared.informerFor({ ref: PDBS });
    const pdbChanged = (): void => { this.pdbCache = undefined; };
    this.pdbs.addHandlers({ add: pdbChanged, update: pdbChanged, delete: pdbChanged });
    this.pods.addHandlers({
      add: (p) => this.onPod(p),
      update: (old, p) => {
        // A pending pod's own status change (e.g. our PodScheduled=False) is not a reason to retry.
        if (wantsScheduling(p) && wantsScheduling(old) && this.queue.has(objectKey(p)) && schedulingInputsEqual(old, p)) return;
        this.onPod(p);
      },
      delete: (p) => {
        const k = objectKey(p);
        const wasAssigned = this.cache.isAssigned(k);
        this.cache.removePod(k);
        this.queue.delete(k);
        this.nominator.remove(k);
        if (wasAssigned) this.queue.moveAllToActiveOrBackoff();
      },
    });
    this.nodes.addHandlers({
      add: (n) => { this.cache.setNode(n); this.queue.moveAllToActiveOrBackoff(); },
      update: (old, n) => { this.cache.setNode(n); if (nodeChangeMatters(old, n)) this.queue.moveAllToActiveOrBackoff(); },
      delete: (n) => this.cache.removeNode(n.metadata.name as string),
    });
  }

  private onPod(pod: KubeObject): void {
    const k = objectKey(pod);
    if (wantsScheduling(pod)) {
      const nominated = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
      if (nominated) this.nominator.set(makePodInfo(k, pod), nominated);
      this.queue.add(k, podPriority(pod));
      return;
    }
    const wasAssigned = this.cache.isAssigned(k);
    this.cache.updatePod(k, pod);
    this.queue.delete(k);
    this.nominator.remove(k);
    // A pod that finished frees its node's resources.
    if (wasAssigned && !this.cache.isAssigned(k)) this.queue.moveAllToActiveOrBackoff();
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
    this.pdbs.start();
    this.loop = (async () => {
      await this.nodes.waitForSync();
      await this.pdbs.waitForSync();
      await this.pods.waitForSync();
      await this.run();
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    this.pods.stop();
    this.nodes.stop();
    this.pdbs.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    let sinceYield = 0;
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined || this.stopped) return;
      try {
        this.scheduleOne(key);
      } catch (e) {
        this.o.onError?.(`schedule ${key}`, e);
      }
      if (this.inFlight >= MAX_BINDS_IN_FLIGHT) await new Promise<void>((r) => { this.slot = r; });
      // Let informer events and bindings through between batches.
      if (++sinceYield >= 64) { sinceYield = 0; await new Promise<void>((r) => setImmediate(r)); }
    }
  }

  scheduleOne(key: string): void {
    const pod = this.pods.get(key);
    if (!pod || !wantsScheduling(pod) || this.cache.isAssigned(key)) return;
    const d = this.algorithm.schedule(this.cache, key, pod, this.nominator);
    if (!d.ok) {
      let msg: string;
      let nominate: string | undefined;
      if (d.numNodes === 0) msg = 'no nodes available to schedule pods';
      else {
        const r = this.postFilter(pod, d);
        msg = failedSchedulingMessage(d.numNodes, d.failures, r.message ?? null);
        nominate = r.nominate;
      }
      this.queue.failed(key, false);
      this.recordFailure(pod, msg, nominate);
      return;
    }
    this.nominator.remove(key);
    this.cache.updatePod(key, pod, d.node);
    this.inFlight++;
    void this.bind(key, pod, d.node).finally(() => {
      this.inFlight--;
      const s = this.slot;
      this.slot = undefined;
      s?.();
    });
  }

  private async bind(key: string, pod: KubeObject, node: string): Promise<void> {
    const m = pod.metadata;
    try {
      // POST .../pods/{name}/binding (ApiClient has no subresource create; the path is built the same way).
      const ref: ResourceRef = { ...PODS, resource: `pods/${encodeURIComponent(m.name as string)}/binding` };
      await this.o.client.create(ref, m.namespace ?? '', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    } catch (e) {
      this.cache.removePod(key);
      if (isNotFound(e)) return;
      this.o.onError?.(`bind ${key}`, e);
      this.queue.failed(key, true);
      return;
    }
    this.scheduled++;
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${m.namespace}/${m.name} to ${node}`);
  }

  private pdbInfos(): PdbInfo[] {
    return (this.pdbCache ??= this.pdbs.list().map(pdbInfo));
  }

  /**
   * DefaultPreemption's PostFilter: the PostFilter message (undefined when preemption succeeded)
   * and the node to nominate ('' clears a stale nomination). Victims are deleted here.
   */
  private postFilter(pod: KubeObject, d: Extract<ReturnType<Algorithm['schedule']>, { ok: false }>): { message?: string; nominate?: string } {
    const prio = podPriority(pod);
    const nominatedName = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    const nominatedIdx = nominatedName ? d.nodes.findIndex((n) => n.name === nominatedName) : -1;
    const notEligible = eligibleToPreempt(pod, nominatedName ? this.cache.node(nominatedName) : undefined, nominatedIdx >= 0 ? d.failures[nominatedIdx] : undefined, prio);
    if (notEligible) return { message: `preemption: ${notEligible}` };
    this.preemptSeed = (Math.imul(this.preemptSeed, 1103515245) + 12345) >>> 0;
    const r = preempt({
      plugins: this.algorithm.plugins, state: d.state, nodes: d.nodes, failures: d.failures, pdbs: this.pdbInfos(),
      offset: this.preemptSeed % Math.max(1, d.nodes.length), fitError: fitErrorMessage,
    });
    if (!r.ok) return { message: `preemption: ${r.message}`, nominate: nominatedName ? '' : undefined };
    const node = r.candidate.node.name;
    for (const v of r.candidate.victims) this.evict(v, pod, node);
    // Lower-priority pods nominated to the node lose their nomination (ClearNominatedNodeName).
    for (const pi of this.nominator.lowerPriority(r.candidate.node, prio)) {
      this.nominator.remove(pi.key);
      void this.o.client.patch(PODS, pi.pod.metadata.namespace ?? '', pi.pod.metadata.name as string, { status: { nominatedNodeName: null } }, 'merge', 'status')
        .catch((e: unknown) => { if (!isNotFound(e)) this.o.onError?.(`clear nomination ${pi.key}`, e); });
    }
    this.nominator.set(makePodInfo(objectKey(pod), pod), node);
    return { nominate: node };
  }

  /** prepareCandidate for one victim: DisruptionTarget condition, delete, `Preempted` event. */
  private evict(v: PodInfo, preemptor: KubeObject, node: string): void {
    const m = v.pod.metadata;
    const ns = m.namespace ?? '';
    const schedulerName = (preemptor.spec as { schedulerName?: string } | undefined)?.schedulerName ?? SCHEDULER_NAME;
    const cond = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastProbeTime: null, lastTransitionTime: formatTime(this.o.clock.now()) };
    void (async () => {
      try {
        await this.o.client.patch(PODS, ns, m.name as string, { status: { conditions: [cond] } }, 'strategic', 'status');
        await this.o.client.delete(PODS, ns, m.name as string);
      } catch (e) {
        if (!isNotFound(e)) this.o.onError?.(`preempt ${v.key}`, e);
        return;
      }
      this.recorder.event(v.pod, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid as string} on node ${node}`);
    })();
  }

  private recordFailure(pod: KubeObject, message: string, nominate?: string): void {
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const cond = ((pod.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    const current = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '';
    const nominationChanges = nominate !== undefined && nominate !== current;
    if (cond && cond.status === 'False' && cond.message === message && !nominationChanges) return;
    const patch = { status: {
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: formatTime(this.o.clock.now()) }],
      ...(nominationChanges ? { nominatedNodeName: nominate || null } : {}),
    } };
    void this.o.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name as string, patch, 'strategic', 'status')
      .catch((e: unknown) => { if (!isNotFound(e)) this.o.onError?.(`status ${objectKey(pod)}`, e); });
  }
}
