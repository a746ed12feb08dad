/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go) with
 * taint-based eviction (pkg/controller/tainteviction):
 *
 * - every monitor period (nodeMonitorPeriod, 5 s) each node's health is checked: one whose Lease
 *   and Ready heartbeat this controller has not seen change for the grace period
 *   (nodeMonitorGracePeriod, 40 s) gets its conditions set to Unknown and a `NodeNotReady` event;
 * - a node's Ready status drives the `node.kubernetes.io/not-ready` / `unreachable` taints
 *   (NoSchedule + NoExecute), removed once it is Ready again (health.ts);
 * - pods on a node with NoExecute taints are deleted at once when they don't tolerate one, or
 *   when the smallest tolerationSeconds of the tolerations used has passed since the taint's
 *   timeAdded (a `TaintManagerEviction` event "Marking for deletion Pod ns/name" on the pod).
 *
 * Cost: a monitor pass is O(nodes) over the informer caches, writing only for nodes whose state
 * changes; pods are indexed by node, so a node's pass looks at its own pods only. One eviction
 * timer per pod waiting out a toleration.
 */
import type { KubeObject } from '../../api/types.js';
import { parseTime } from '../../apimachinery/time.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock, Timer } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { PODS, splitKey, withKind } from '../util/resources.js';
import { heartbeatSignature, nodeTaints, readyStatus, reconcileTaints, staleConditions } from './health.js';
import { evictionDecision } from './tolerations.js';

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** nodeMonitorGracePeriod default in 1.32. */
export const DEFAULT_GRACE_PERIOD_MS = 40_000;
/** nodeMonitorPeriod default. */
export const DEFAULT_MONITOR_PERIOD_MS = 5_000;

export interface NodeLifecycleControllerOptions {
  client: ApiClient;
  clock: Clock;
  gracePeriodMs?: number;
  monitorPeriodMs?: number;
  onError?: (key: string, err: unknown) => void;
}

interface PendingEviction { at: number; timer: Timer }

export class NodeLifecycleController {
  readonly nodeInformer: Informer;
  readonly leaseInformer: Informer;
  readonly podInformer: Informer;
  private readonly o: NodeLifecycleControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly nodeEvents: EventRecorder;
  private readonly podEvents: EventRecorder;
  /** node name → pod key → pod (pods with spec.nodeName). */
  private readonly podsByNode = new Map<string, Map<string, KubeObject>>();
  private readonly pending = new Map<string, PendingEviction>();
  /** Uids of pods this controller already asked to delete (no second event or DELETE). */
  private readonly evicted = new Set<string>();
  /** Last Ready status each node was seen with (for the NodeNotReady event on True → not True). */
  private readonly lastReady = new Map<string, string | undefined>();
  /** Per node: the heartbeat signature last seen and when (this controller's clock) it was first seen. */
  private readonly probes = new Map<string, { signature: string; at: number }>();
  private monitor: Timer | undefined;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: NodeLifecycleControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.nodeEvents = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'node-controller' });
    this.podEvents = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'taint-eviction-controller' });
    this.nodeInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: NODES });
    this.leaseInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: LEASES, namespace: NODE_LEASE_NAMESPACE });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.nodeInformer.addHandlers({
      add: (n) => this.queue.add(n.metadata.name as string),
      update: (_o, n) => this.queue.add(n.metadata.name as string),
      delete: (n) => { this.lastReady.delete(n.metadata.name as string); this.probes.delete(n.metadata.name as string); },
    });
    this.leaseInformer.addHandlers({
      add: (l) => this.queue.add(l.metadata.name as string),
      update: (_o, l) => this.queue.add(l.metadata.name as string),
    });
    this.podInformer.addHandlers({
      add: (p) => this.podChanged(undefined, p),
      update: (old, p) => this.podChanged(old, p),
      delete: (p) => this.podChanged(p, undefined),
    });
  }

  start(): void {
    this.nodeInformer.start();
    this.leaseInformer.start();
    this.podInformer.start();
    this.running = this.life.afterSync([this.nodeInformer, this.leaseInformer, this.podInformer], () => {
      this.monitor = this.o.clock.setInterval(() => this.monitorPass(), this.o.monitorPeriodMs ?? DEFAULT_MONITOR_PERIOD_MS);
      return runWorkers(this.queue, 1, (k) => this.syncNode(k), this.o.onError);
    });
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.monitor?.cancel();
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
    this.nodeInformer.stop();
    this.leaseInformer.stop();
    this.podInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** monitorNodeHealth: look at every node (staleness only shows with the passing of time). */
  private monitorPass(): void {
    for (const n of this.nodeInformer.list()) this.queue.add(n.metadata.name as string);
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const oldNode = (old?.spec as { nodeName?: string } | undefined)?.nodeName;
    if (old && oldNode) this.podsByNode.get(oldNode)?.delete(objectKey(old));
    if (!pod) {
      if (old) { this.cancel(objectKey(old)); this.evicted.delete(old.metadata.uid ?? ''); }
      return;
    }
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) return;
    let m = this.podsByNode.get(nodeName);
    if (!m) { m = new Map(); this.podsByNode.set(nodeName, m); }
    m.set(objectKey(pod), pod);
    const node = this.nodeInformer.get(nodeName);
    if (node) this.evaluatePod(pod, node);
  }

  /** One node: conditions (when stale), then taints, then its pods against its NoExecute taints. */
  async sync(name: string): Promise<void> {
    await this.syncNode(name);
  }

  private async syncNode(name: string): Promise<void> {
    let node = this.nodeInformer.get(name);
    if (!node) return;
    const now = this.o.clock.now();
    const lease = this.leaseInformer.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    const signature = heartbeatSignature(node, lease);
    let probe = this.probes.get(name);
    if (probe?.signature !== signature) { probe = { signature, at: now }; this.probes.set(name, probe); }
    const conditions = staleConditions(node, probe.at, now, this.o.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS);
    if (conditions) {
      node = await this.o.client.patch(NODES, '', name, { status: { conditions } }, 'merge', 'status');
    }
    const ready = readyStatus(node);
    if (this.lastReady.get(name) === 'True' && ready !== 'True') {
      // RecordNodeStatusChange: the event's object is the node, with its name as uid.
      const ref = withKind({ ...node, metadata: { ...node.metadata, uid: name, namespace: undefined } }, 'v1', 'Node');
      this.nodeEvents.event(ref, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      // MarkPodsNotReady's event on each pod of the node (its Ready=False status write is not
      // mirrored: the simulated kubelet would not set it back when the node returns).
      for (const pod of this.podsByNode.get(name)?.values() ?? []) {
        if (!pod.metadata.deletionTimestamp) this.nodeEvents.event(withKind(pod, 'v1', 'Pod'), 'Warning', 'NodeNotReady', 'Node is not ready');
      }
    }
    this.lastReady.set(name, ready);
    const taints = reconcileTaints(node, now);
    if (taints) {
      node = await this.o.client.update(NODES, '', { ...node, spec: { ...(node.spec ?? {}), taints } });
    }
    for (const pod of this.podsByNode.get(name)?.values() ?? []) this.evaluatePod(pod, node);
  }

  /** processPodOnNode: evict now, schedule an eviction, or cancel one. */
  private evaluatePod(pod: KubeObject, node: KubeObject): void {
    const key = objectKey(pod);
    if (pod.metadata.deletionTimestamp) { this.cancel(key); return; }
    const taints = nodeTaints(node);
    const d = evictionDecision(pod, taints);
    if (d.kind === 'keep') {
      if (this.pending.has(key)) this.podEvents.event(withKind(pod, 'v1', 'Pod'), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      this.cancel(key);
      return;
    }
    const now = this.o.clock.now();
    if (d.kind === 'now') { this.cancel(key); void this.evict(pod); return; }
    const added = taints.filter((t) => t.effect === 'NoExecute').map((t) => (t.timeAdded ? parseTime(t.timeAdded) : undefined)).filter((t): t is number => t !== undefined);
    const at = (added.length ? Math.min(...added) : now) + d.ms;
    if (at <= now) { this.cancel(key); void this.evict(pod); return; }
    if (this.pending.get(key)?.at === at) return;
    this.cancel(key);
    const timer = this.o.clock.setTimeout(() => {
      this.pending.delete(key);
      const current = this.podInformer.get(key);
      const n = current ? this.nodeInformer.get((current.spec as { nodeName?: string } | undefined)?.nodeName ?? '') : undefined;
      if (current && n) this.evaluatePod(current, n);
    }, at - now);
    this.pending.set(key, { at, timer });
  }

  private cancel(key: string): void {
    this.pending.get(key)?.timer.cancel();
    this.pending.delete(key);
  }

  private async evict(pod: KubeObject): Promise<void> {
    const key = objectKey(pod);
    const { namespace, name } = splitKey(key);
    const uid = pod.metadata.uid ?? key;
    if (this.evicted.has(uid)) return;
    this.evicted.add(uid);
    this.podEvents.event(withKind(pod, 'v1', 'Pod'), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      await this.o.client.delete(PODS, namespace, name, { preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) this.o.onError?.(key, e);
    }
  }
}
