/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set.go sync +
 * stateful_set_control.go): claims the set's pods (`<set>-<ordinal>` matching its selector),
 * keeps ControllerRevisions of its template (current and update revision), runs one
 * reconciliation step (control.ts) and writes status. Events mirror upstream's wording:
 * "create Pod web-0 in StatefulSet web successful", "delete Pod web-2 in StatefulSet web
 * successful", "create Claim www-web-0 Pod web-0 in StatefulSet web success".
 *
 * Cost per sync: O(pods and revisions owned by the set) from the caches, a few writes while
 * something changes, none for a steady set. Creations are idempotent by name (AlreadyExists
 * means a stale cache), so no expectations are needed (as upstream).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { canonicalJson } from '../util/hash.js';
import { ensureRevision, hashRevisionData, POD_REVISION_LABEL, templateOfRevision, templatePatch, truncateHistory } from '../util/history.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { adoptPatch, controllerOf, newControllerRef } from '../util/owner-refs.js';
import { PodIndex } from '../util/pod-index.js';
import { msUntilAvailable } from '../util/pods.js';
import { keyOf, PODS, withKind } from '../util/resources.js';
import { CONTROLLERREVISIONS, PVCS, STATEFULSETS } from '../util/workload-refs.js';
import { computeStatus, updateStatefulSet, type StsOps, type StsState } from './control.js';
import { claimsFor, identityPatch, isMemberOf, ordinalOf, stsSpec } from './identity.js';

export interface StatefulSetControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';

export class StatefulSetController {
  readonly setInformer: Informer;
  readonly podInformer: Informer;
  readonly revInformer: Informer;
  private readonly o: StatefulSetControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly pods = new PodIndex();
  private readonly setsByNamespace: NamespaceIndex;
  private readonly recorder: EventRecorder;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: StatefulSetControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'statefulset-controller' });
    this.setInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: STATEFULSETS });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.revInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: CONTROLLERREVISIONS });
    this.setsByNamespace = new NamespaceIndex(this.setInformer);
    const enqueue = (s: KubeObject): void => this.queue.add(objectKey(s));
    this.setInformer.addHandlers({ add: enqueue, update: (_o, s) => enqueue(s), delete: enqueue });
    this.podInformer.addHandlers({
      add: (p) => { this.pods.upsert(p); this.podChanged(p); },
      update: (old, p) => { this.pods.upsert(p, old); if (controllerOf(old)?.uid !== controllerOf(p)?.uid) this.podChanged(old); this.podChanged(p); },
      delete: (p) => { this.pods.remove(p); this.podChanged(p); },
    });
  }

  start(): void {
    for (const i of [this.setInformer, this.podInformer, this.revInformer]) i.start();
    this.running = this.life.afterSync([this.setInformer, this.podInformer, this.revInformer],
      () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    for (const i of [this.setInformer, this.podInformer, this.revInformer]) i.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** The owning set (resolveControllerRef), or for orphans every set of the namespace whose selector matches. */
  private podChanged(pod: KubeObject): void {
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const key = keyOf(pod.metadata.namespace, ref.name);
      if (this.setInformer.get(key)?.metadata.uid === ref.uid) this.queue.add(key);
      return;
    }
    for (const s of this.setsByNamespace.list(pod.metadata.namespace ?? '')) {
      if (selectorOf(s)?.matches(pod.metadata.labels ?? {})) this.queue.add(objectKey(s));
    }
  }

  async sync(key: string): Promise<void> {
    const cached = this.setInformer.get(key);
    if (!cached) return;
    const set = withKind(cached, 'apps/v1', 'StatefulSet');
    const selector = selectorOf(set);
    if (!selector) return;
    const ownerRef = newControllerRef(set, 'apps/v1', 'StatefulSet');
    const pods = await this.claimPods(set, selector);
    const uid = set.metadata.uid as string;
    const owned = this.revInformer.list().filter((r) => r.metadata.namespace === set.metadata.namespace && controllerOf(r)?.uid === uid);
    const status = (set.status ?? {}) as { currentRevision?: string; collisionCount?: number };
    const data = templatePatch(set);
    const rev = await ensureRevision({
      client: this.o.client, owner: set, ownerRef, revisions: owned, collisionCount: status.collisionCount ?? 0,
      hashOf: (c) => hashRevisionData(data, c),
    });
    const updateRevision = rev.revision;
    const currentRevision = rev.revisions.find((r) => r.metadata.name === status.currentRevision) ?? updateRevision;
    const currentSet: KubeObject = { ...set, spec: { ...(set.spec as object), template: templateOfRevision(currentRevision) } };
    const state: StsState = {
      set, currentSet, pods, ownerRef, now: this.o.clock.now(),
      currentRevision: currentRevision.metadata.name as string, updateRevision: updateRevision.metadata.name as string,
    };
    await updateStatefulSet(state, this.ops(set));

    const next = computeStatus(state, rev.collisionCount);
    if (canonicalJson(next) !== canonicalJson(pickStatus(set.status))) {
      try {
        await this.o.client.update(STATEFULSETS, set.metadata.namespace as string, { ...set, status: { ...(set.status as object | undefined), ...next } }, 'status');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const live = new Set([state.currentRevision, state.updateRevision, next.currentRevision, ...pods.map((p) => p.metadata.labels?.[POD_REVISION_LABEL] ?? '')]);
    await truncateHistory(this.o.client, rev.revisions, live, stsSpec(set).revisionHistoryLimit ?? 10);
    const minReady = stsSpec(set).minReadySeconds ?? 0;
    if (minReady > 0) {
      const waits = pods.map((p) => msUntilAvailable(p, minReady, state.now)).filter((x): x is number => x !== undefined);
      if (waits.length) this.queue.addAfter(key, Math.min(...waits) + 10);
    }
  }

  private ops(set: KubeObject): StsOps {
    const ns = set.metadata.namespace as string;
    const setName = set.metadata.name as string;
    return {
      createPod: async (pod) => {
        const name = pod.metadata.name as string;
        const deleteWithSet = stsSpec(set).persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
        for (const claim of claimsFor(set, ordinalOf(pod))) {
          // whenDeleted: Delete makes the set an owner of its claims (the garbage collector then removes them with it).
          if (deleteWithSet) claim.metadata.ownerReferences = [{ ...newControllerRef(set, 'apps/v1', 'StatefulSet'), controller: false }];
          try {
            await this.o.client.create(PVCS, ns, claim);
            this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${name} in StatefulSet ${setName} success`);
          } catch (e) {
            if (isAlreadyExists(e)) continue;
            this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message}`);
            throw e;
          }
        }
        try {
          await this.o.client.create(PODS, ns, pod);
          this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`);
        } catch (e) {
          if (isAlreadyExists(e)) return; // a stale cache: the pod is on its way
          this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message}`);
          throw e;
        }
      },
      deletePod: async (pod, condemned) => {
        const name = pod.metadata.name as string;
        if (condemned && stsSpec(set).persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.claimsOwnedByPod(set, pod);
        try {
          await this.o.client.delete(PODS, ns, name, { preconditions: { uid: pod.metadata.uid } });
          this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${setName} successful`);
        } catch (e) {
          if (isNotFound(e) || (e instanceof ApiError && e.status === 409)) return;
          this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message}`);
          throw e;
        }
      },
      fixIdentity: async (pod) => {
        try {
          await this.o.client.patch(PODS, ns, pod.metadata.name as string, identityPatch(set, pod), 'merge');
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      },
    };
  }

  /**
   * persistentVolumeClaimRetentionPolicy.whenScaled: Delete — the claims of a pod removed by a
   * scale down get the pod as an owner, so the garbage collector deletes them after it
   * (stateful_pod_control.go updatePVCOwnerRefs / setOwnerRef).
   */
  private async claimsOwnedByPod(set: KubeObject, pod: KubeObject): Promise<void> {
    const ns = set.metadata.namespace as string;
    const podRef = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name as string, uid: pod.metadata.uid as string };
    for (const claim of claimsFor(set, ordinalOf(pod))) {
      try {
        const cur = await this.o.client.get(PVCS, ns, claim.metadata.name as string);
        if (cur.metadata.ownerReferences?.some((r) => r.uid === podRef.uid)) continue;
        await this.o.client.patch(PVCS, ns, claim.metadata.name as string, adoptPatch(cur, { ...podRef, controller: false, blockOwnerDeletion: false }), 'merge');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Owned pods that still match (and are members by name); matching orphans named `<set>-<n>` are adopted. */
  private async claimPods(set: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
    const ns = set.metadata.namespace as string;
    const out = this.pods.owned(set.metadata.uid as string).filter((p) => selector.matches(p.metadata.labels ?? {}) && isMemberOf(set, p));
    if (set.metadata.deletionTimestamp) return out;
    const ref = newControllerRef(set, 'apps/v1', 'StatefulSet');
    for (const pod of this.pods.orphansIn(ns)) {
      if (pod.metadata.deletionTimestamp || !isMemberOf(set, pod) || !selector.matches(pod.metadata.labels ?? {})) continue;
      try {
        out.push(await this.o.client.patch(PODS, ns, pod.metadata.name as string, adoptPatch(pod, ref), 'merge'));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }
}

function pickStatus(st: unknown): Record<string, unknown> {
  const s = (st ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'currentRevision', 'updateRevision', 'collisionCount']) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  // The API server drops zero-valued omitempty counters: compare as if they were present.
  for (const k of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'collisionCount']) out[k] ??= 0;
  return out;
}

function selectorOf(set: KubeObject): LabelSelector | undefined {
  try {
    const s = labelSelectorFromMeta((set.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
    return s.empty ? undefined : s;
  } catch {
    return undefined;
  }
}
