/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps
 * `spec.replicas` active pods for every ReplicaSet. Pods are claimed through the controller
 * reference, orphans matching the selector are adopted and owned pods that stopped matching are
 * released (ControllerRefManager); expectations keep a stale cache from causing double work;
 * status counts replicas, fully labeled, ready and available (minReadySeconds) pods.
 *
 * Cost per sync: O(pods owned by the ReplicaSet + orphans in its namespace), through the pod
 * index, plus at most one status write; events for pods reach only their owner (or, for
 * orphans, the ReplicaSets of their namespace whose selector matches).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { ControllerExpectations, DeletionTracker } from '../util/expectations.js';
import { adoptPatch, controllerOf, newControllerRef, releasePatch } from '../util/owner-refs.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { PodIndex } from '../util/pod-index.js';
import { isPodActive, isPodReady, msUntilAvailable } from '../util/pods.js';
import { keyOf, PODS, REPLICASETS, withKind } from '../util/resources.js';
import { manageReplicas } from './manage.js';
import { calculateStatus, statusChanged } from './status.js';

export interface ReplicaSetControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class ReplicaSetController {
  readonly rsInformer: Informer;
  readonly podInformer: Informer;
  private readonly o: ReplicaSetControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly pods = new PodIndex();
  private readonly rsByNamespace: NamespaceIndex;
  private readonly expectations: ControllerExpectations;
  private readonly deletions: DeletionTracker;
  private readonly recorder: EventRecorder;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: ReplicaSetControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.expectations = new ControllerExpectations(opts.clock);
    this.deletions = new DeletionTracker(this.expectations);
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'replicaset-controller' });
    this.rsInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: REPLICASETS });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.rsByNamespace = new NamespaceIndex(this.rsInformer);
    this.rsInformer.addHandlers({
      add: (rs) => this.queue.add(objectKey(rs)),
      update: (_old, rs) => this.queue.add(objectKey(rs)),
      delete: (rs) => { this.deletions.delete(objectKey(rs)); this.queue.add(objectKey(rs)); },
    });
    this.podInformer.addHandlers({
      add: (pod) => this.podAdded(pod),
      update: (old, pod) => this.podUpdated(old, pod),
      delete: (pod) => this.podDeleted(pod),
    });
  }

  start(): void {
    this.rsInformer.start();
    this.podInformer.start();
    this.running = this.life.afterSync([this.rsInformer, this.podInformer], () => runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.rsInformer.stop();
    this.podInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** resolveControllerRef: the ReplicaSet a controller reference names, if it is ours (same uid). */
  private ownerKey(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const key = keyOf(pod.metadata.namespace, ref.name);
    return this.rsInformer.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  /** getPodReplicaSets: ReplicaSets of the pod's namespace whose selector matches it (for orphans). */
  private matchingReplicaSets(pod: KubeObject): string[] {
    const out: string[] = [];
    for (const rs of this.rsByNamespace.list(pod.metadata.namespace ?? '')) {
      if (safeSelector(rs)?.matches(pod.metadata.labels ?? {})) out.push(objectKey(rs));
    }
    return out;
  }

  private podAdded(pod: KubeObject): void {
    this.pods.upsert(pod);
    if (pod.metadata.deletionTimestamp) { this.podDeleted(pod, true); return; }
    const owner = this.ownerKey(pod);
    if (owner) { this.expectations.creationObserved(owner); this.queue.add(owner); return; }
    if (!controllerOf(pod)) for (const k of this.matchingReplicaSets(pod)) this.queue.add(k);
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    this.pods.upsert(pod, old);
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) { this.podDeleted(pod, true); return; }
    const oldOwner = this.ownerKey(old);
    const owner = this.ownerKey(pod);
    if (oldOwner && oldOwner !== owner) this.queue.add(oldOwner);
    if (owner) {
      this.queue.add(owner);
      // A pod that just became ready becomes available after minReadySeconds: look again then.
      const rs = this.rsInformer.get(owner);
      const minReady = (rs?.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(pod) && minReady > 0) this.queue.addAfter(owner, minReady * 1000 + 1000);
      return;
    }
    if (!controllerOf(pod) && (oldOwner || JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels))) {
      for (const k of this.matchingReplicaSets(pod)) this.queue.add(k);
    }
  }

  /** A deleted pod, or one marked for deletion (`marked`: it stays in the index until gone). */
  private podDeleted(pod: KubeObject, marked = false): void {
    if (!marked) this.pods.remove(pod);
    const owner = this.ownerKey(pod);
    if (!owner) return;
    this.deletions.deletionObserved(owner, objectKey(pod));
    this.queue.add(owner);
  }

  /** syncReplicaSet. */
  async sync(key: string): Promise<void> {
    const cached = this.rsInformer.get(key);
    if (!cached) { this.deletions.delete(key); return; }
    const rs = withKind(cached, 'apps/v1', 'ReplicaSet');
    const selector = safeSelector(rs);
    if (!selector) return; // invalid selectors are refused by validation; nothing sensible to do
    const active = (await this.claimPods(rs, selector)).filter(isPodActive);
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    let manageError: Error | undefined;
    if (needsSync) {
      try {
        await manageReplicas({
          client: this.o.client, recorder: this.recorder, rs, ownerRef: newControllerRef(rs, 'apps/v1', 'ReplicaSet'),
          expectCreations: (n) => this.expectations.expect(key, n, 0),
          creationFailed: () => this.expectations.creationObserved(key),
          expectDeletions: (keys) => this.deletions.expectDeletions(key, keys),
          deletionFailed: (podKey) => this.deletions.deletionObserved(key, podKey),
        }, active);
      } catch (e) {
        manageError = e as Error;
      }
    }
    const now = this.o.clock.now();
    const status = calculateStatus(rs, active, manageError, now);
    if (statusChanged(rs, status)) {
      try {
        await this.o.client.update(REPLICASETS, rs.metadata.namespace as string, { ...rs, status }, 'status');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    if (manageError) throw manageError;
    // Ready pods that are not yet available: come back when the first of them becomes available.
    const minReady = (rs.spec as { minReadySeconds?: number }).minReadySeconds ?? 0;
    if (minReady > 0) {
      const waits = active.map((p) => msUntilAvailable(p, minReady, now)).filter((x): x is number => x !== undefined);
      if (waits.length) this.queue.addAfter(key, Math.min(...waits) + 10);
    }
  }

  /** ClaimPods: adopt matching orphans, release owned pods that no longer match. */
  private async claimPods(rs: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
    const ns = rs.metadata.namespace as string;
    const uid = rs.metadata.uid as string;
    const out: KubeObject[] = [];
    for (const pod of this.pods.owned(uid)) {
      if (selector.matches(pod.metadata.labels ?? {})) { out.push(pod); continue; }
      if (pod.metadata.deletionTimestamp) continue;
      await this.patchIgnoringGone(ns, pod, releasePatch(pod, uid));
    }
    if (rs.metadata.deletionTimestamp) return out;
    const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
    for (const pod of this.pods.orphansIn(ns)) {
      if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels ?? {})) continue;
      const adopted = await this.patchIgnoringGone(ns, pod, adoptPatch(pod, ref));
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private async patchIgnoringGone(ns: string, pod: KubeObject, patch: Record<string, unknown>): Promise<KubeObject | undefined> {
    try {
      return await this.o.client.patch(PODS, ns, pod.metadata.name as string, patch, 'merge');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}

function safeSelector(rs: KubeObject): LabelSelector | undefined {
  try {
    const sel = (rs.spec as { selector?: MetaLabelSelector } | undefined)?.selector;
    const s = labelSelectorFromMeta(sel);
    return s.empty ? undefined : s; // an empty selector would match every pod: never act on it
  } catch {
    return undefined;
  }
}
