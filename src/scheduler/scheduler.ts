/**
 * kube-scheduler in-process: informers on pods and nodes feed the cache and the queue; one loop
 * takes pending pods (spec.schedulerName default-scheduler, no nodeName, no scheduling gates),
 * decides (schedule-one.ts), assumes the pod on its node and binds it through POST pods/binding
 * asynchronously (bounded in flight). A pod that fits nowhere gets the FailedScheduling Event and
 * the PodScheduled=False/Unschedulable condition with upstream's message, and waits until a node
 * or pod change may help. Preemption is not implemented yet (the message says no victims).
 */
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import { formatTime } from '../apimachinery/time.js';
import type { ApiClient, ResourceRef } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import { EventRecorder } from '../client/events.js';
import { Informer, objectKey } from '../client/informer.js';
import { SchedulerCache } from './cache.js';
import type { Plugin } from './framework.js';
import { failedSchedulingMessage } from './messages.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { Algorithm } from './schedule-one.js';
import { SchedulingQueue } from './queue.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
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
    this.pods = new Informer({ client: opts.client, ref: PODS, clock: opts.clock });
    this.nodes = new Informer({ client: opts.client, ref: NODES, clock: opts.clock });
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
    if (wantsScheduling(pod)) { this.queue.add(k); return; }
    const wasAssigned = this.cache.isAssigned(k);
    this.cache.updatePod(k, pod);
    this.queue.delete(k);
    // A pod that finished frees its node's resources.
    if (wasAssigned && !this.cache.isAssigned(k)) this.queue.moveAllToActiveOrBackoff();
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
    this.loop = (async () => {
      await this.nodes.waitForSync();
      await this.pods.waitForSync();
      await this.run();
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    this.pods.stop();
    this.nodes.stop();
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
    const d = this.algorithm.schedule(this.cache, key, pod);
    if (!d.ok) {
      const msg = d.numNodes === 0 ? 'no nodes available to schedule pods'
        : failedSchedulingMessage(d.numNodes, d.failures, (pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy);
      this.queue.failed(key, false);
      this.recordFailure(pod, msg);
      return;
    }
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

  private recordFailure(pod: KubeObject, message: string): void {
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const cond = ((pod.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (cond && cond.status === 'False' && cond.message === message) return;
    const patch = { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: formatTime(this.o.clock.now()) }] } };
    void this.o.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name as string, patch, 'strategic', 'status')
      .catch((e: unknown) => { if (!isNotFound(e)) this.o.onError?.(`status ${objectKey(pod)}`, e); });
  }
}
