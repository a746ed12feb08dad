/**
 * The Job controller (pkg/controller/job/job_controller.go, 1.32): runs a Job's pods to
 * `completions` with at most `parallelism` active, fails it past `backoffLimit` or
 * `activeDeadlineSeconds`, and tracks finished pods with the `batch.kubernetes.io/job-tracking`
 * finalizer so none is lost: a finished pod's uid is first recorded in
 * status.uncountedTerminatedPods, then its finalizer is removed, then it moves to the
 * succeeded/failed counters (trackJobStatusAndRemoveFinalizers). Terminal conditions come in
 * two steps as 1.32 does: FailureTarget / SuccessCriteriaMet, then Failed / Complete once no
 * pod is left running or terminating.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { ControllerExpectations, DeletionTracker } from '../util/expectations.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { controllerOf, newControllerRef, releasePatch } from '../util/owner-refs.js';
import { PodIndex } from '../util/pod-index.js';
import { compareForDeletion, isPodActive } from '../util/pods.js';
import { keyOf, PODS, withKind } from '../util/resources.js';
import { DEFAULT_POD_BACKOFF_MS, nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { podForJob } from './pods.js';
import { planJob, sameJson, type JobPlan } from './sync.js';
import { JOB_TRACKING_FINALIZER, isJobFinished } from './status.js';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const BURST = 500;

export interface JobControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  /** Base of the pod failure backoff (10 s upstream); doubled per consecutive failure, at most 6 min. */
  podFailureBackoffMs?: number;
  onError?: (key: string, err: unknown) => void;
}

function hasFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export class JobController {
  readonly jobInformer: Informer;
  readonly podInformer: Informer;
  private readonly o: JobControllerOptions;
  private readonly queue: WorkQueue<string>;
  /** Pods whose job-tracking finalizer must go because their Job is gone or finished (orphanQueue). */
  private readonly orphans: WorkQueue<string>;
  private readonly pods = new PodIndex();
  private readonly expectations: ControllerExpectations;
  private readonly deletions: DeletionTracker;
  /** Pod uids whose finalizer this controller removed and the cache has not shown yet (finalizerExpectations). */
  private readonly finalizerRemoved = new Set<string>();
  private readonly recorder: EventRecorder;
  private readonly jobsByNamespace: NamespaceIndex;
  /** podBackoffStore: consecutive pod failures per Job key. */
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: JobControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.orphans = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.expectations = new ControllerExpectations(opts.clock);
    this.deletions = new DeletionTracker(this.expectations);
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'job-controller' });
    this.jobInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: JOBS });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.jobsByNamespace = new NamespaceIndex(this.jobInformer);
    this.jobInformer.addHandlers({
      add: (j) => this.queue.add(objectKey(j)),
      update: (_o, j) => this.queue.add(objectKey(j)),
      delete: (j) => {
        this.deletions.delete(objectKey(j));
        for (const p of this.pods.owned(j.metadata.uid as string)) if (hasFinalizer(p)) this.orphans.add(objectKey(p));
      },
    });
    this.podInformer.addHandlers({
      add: (p) => this.podChanged(undefined, p),
      update: (old, p) => this.podChanged(old, p),
      delete: (p) => this.podDeleted(p),
    });
  }

  start(): void {
    this.jobInformer.start();
    this.podInformer.start();
    this.running = this.life.afterSync([this.jobInformer, this.podInformer], async () => {
      await Promise.all([
        runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError),
        runWorkers(this.orphans, 1, (k) => this.cleanupOrphan(k), this.o.onError),
      ]);
    });
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.jobInformer.stop();
    this.podInformer.stop();
    this.queue.shutdown();
    this.orphans.shutdown();
    await this.running;
  }

  /** The key of the Job that controls `pod`, if it is cached with the same uid. */
  private ownerKey(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'Job' || !ref.apiVersion.startsWith('batch/')) return undefined;
    const key = keyOf(pod.metadata.namespace, ref.name);
    return this.jobInformer.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject): void {
    this.pods.upsert(pod, old);
    if (!hasFinalizer(pod)) this.finalizerRemoved.delete(pod.metadata.uid as string);
    const owner = this.ownerKey(pod);
    if (!old && owner) this.expectations.creationObserved(owner);
    if (pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp && owner) this.deletions.deletionObserved(owner, objectKey(pod));
    if (owner) this.queue.add(owner);
    else if (hasFinalizer(pod) && controllerOf(pod)?.kind === 'Job') this.orphans.add(objectKey(pod));
    else if (!controllerOf(pod) && !pod.metadata.deletionTimestamp) {
      // An orphan: the Jobs of its namespace whose selector matches may adopt it (getPodJobs).
      for (const j of this.jobsByNamespace.list(pod.metadata.namespace ?? '')) {
        if (selectorOf(j)?.matches(pod.metadata.labels ?? {})) this.queue.add(objectKey(j));
      }
    }
  }

  private podDeleted(pod: KubeObject): void {
    this.pods.remove(pod);
    this.finalizerRemoved.delete(pod.metadata.uid as string);
    const owner = this.ownerKey(pod);
    if (!owner) return;
    this.deletions.deletionObserved(owner, objectKey(pod));
    this.queue.add(owner);
  }

  /**
   * getPodsForJob (ControllerRefManager.ClaimPods): owned pods that still match, plus matching
   * orphans adopted with the job-tracking finalizer added; owned pods that stopped matching are released.
   */
  private async claimPods(job: KubeObject): Promise<KubeObject[]> {
    const uid = job.metadata.uid as string;
    const ns = job.metadata.namespace as string;
    const selector = selectorOf(job);
    if (!selector) return this.pods.owned(uid);
    const out: KubeObject[] = [];
    for (const pod of this.pods.owned(uid)) {
      if (selector.matches(pod.metadata.labels ?? {}) || pod.metadata.deletionTimestamp) { out.push(pod); continue; }
      await this.patchIgnoringGone(pod, releasePatch(pod, uid));
    }
    if (job.metadata.deletionTimestamp || isJobFinished(job)) return out;
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    for (const pod of this.pods.orphansIn(ns)) {
      if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels ?? {})) continue;
      const finalizers = [...(pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
      const adopted = await this.patchIgnoringGone(pod, { metadata: { uid: pod.metadata.uid, ownerReferences: [...(pod.metadata.ownerReferences ?? []), ref], finalizers } });
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private async patchIgnoringGone(pod: KubeObject, patch: Record<string, unknown>): Promise<KubeObject | undefined> {
    try {
      return await this.o.client.patch(PODS, pod.metadata.namespace as string, pod.metadata.name as string, patch, 'merge');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Removes the job-tracking finalizer (a strategic-merge delete from the list, as upstream). */
  private async removeFinalizer(pod: KubeObject): Promise<void> {
    this.finalizerRemoved.add(pod.metadata.uid as string);
    try {
      await this.o.client.patch(PODS, pod.metadata.namespace as string, pod.metadata.name as string,
        { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } }, 'strategic');
    } catch (e) {
      if (isNotFound(e)) return;
      this.finalizerRemoved.delete(pod.metadata.uid as string);
      throw e;
    }
  }

  /** A pod with the finalizer whose Job is gone or finished: release it. */
  private async cleanupOrphan(podKey: string): Promise<void> {
    const { namespace } = splitPodKey(podKey);
    const pod = this.podInformer.get(podKey);
    if (!pod || !hasFinalizer(pod) || namespace === undefined) return;
    const owner = this.ownerKey(pod);
    const job = owner ? this.jobInformer.get(owner) : undefined;
    if (job && !isJobFinished(job)) return;
    if (job && (isPodActive(pod) && !pod.metadata.deletionTimestamp)) return;
    await this.removeFinalizer(pod);
  }

  /** syncJob. */
  async sync(key: string): Promise<void> {
    const cached = this.jobInformer.get(key);
    if (!cached) { this.deletions.delete(key); this.backoff.delete(key); return; }
    const job = withKind(cached, 'batch/v1', 'Job');
    // spec.managedBy (JobManagedBy): Jobs managed by another controller are left alone.
    const managedBy = (job.spec as { managedBy?: string } | undefined)?.managedBy;
    if (managedBy !== undefined && managedBy !== 'kubernetes.io/job-controller') return;
    const pods = await this.claimPods(job);
    if (isJobFinished(job)) {
      this.backoff.delete(key);
      for (const p of pods) if (hasFinalizer(p) && !isPodActive(p)) await this.removeFinalizer(p);
      return;
    }
    const now = this.o.clock.now();
    const plan = planJob({ job, pods, now, skipUids: this.finalizerRemoved });
    let current = job;
    // 1. Record newly finished pods before their finalizers go (so a crash loses none).
    if (plan.flushFirst) current = await this.writeStatus(current, plan.intermediate);
    // 2. Release the finished pods.
    for (const p of plan.removeFinalizers) await this.removeFinalizer(p);
    // 3. Delete and create pods; replacements wait out the pod failure backoff.
    if (plan.newlyFailed.length || plan.newlySucceeded.length) {
      this.backoff.set(key, nextBackoffRecord(this.backoff.get(key), plan.newlySucceeded, plan.newlyFailed, now));
    }
    const wait = remainingBackoffMs(this.backoff.get(key), now, this.o.podFailureBackoffMs ?? DEFAULT_POD_BACKOFF_MS);
    let manageError: Error | undefined;
    let created = 0;
    let deleted = 0;
    try {
      deleted = await this.deletePods(key, job, plan.toDelete);
      if (wait > 0 && (plan.create > 0)) this.queue.addAfter(key, wait + 10);
      else if (this.expectations.satisfied(key)) created = await this.createPods(key, job, plan);
    } catch (e) {
      manageError = e as Error;
    }
    // 4. The final status: counters moved out of uncounted, active after this round's changes.
    const finalStatus = plan.finalStatus(created - deleted);
    if (!sameJson(finalStatus, current.status ?? {})) {
      current = await this.writeStatus(current, finalStatus);
      for (const ev of plan.events) this.recorder.event(job, ev.type, ev.reason, ev.message);
    }
    if (manageError) throw manageError;
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async writeStatus(job: KubeObject, status: Record<string, unknown>): Promise<KubeObject> {
    try {
      return await this.o.client.update(JOBS, job.metadata.namespace as string, { ...job, status }, 'status');
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) throw Object.assign(new Error(`job status write: ${(e as Error).message}`), { cause: e });
      throw e;
    }
  }

  private async deletePods(key: string, job: KubeObject, victims: KubeObject[]): Promise<number> {
    if (!victims.length) return 0;
    const ranked = [...victims].sort((a, b) => compareForDeletion(a, b));
    this.deletions.expectDeletions(key, ranked.map(objectKey));
    let n = 0;
    const results = await Promise.allSettled(ranked.map(async (pod) => {
      try {
        await this.o.client.delete(PODS, pod.metadata.namespace as string, pod.metadata.name as string, { preconditions: { uid: pod.metadata.uid } });
        n++;
        this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        this.deletions.deletionObserved(key, objectKey(pod));
        if (isNotFound(e)) return;
        this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
        throw e;
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason as Error;
    return n;
  }

  /** Creates plan.create pods (or the pending indexes) in slow-start batches; returns how many were created. */
  private async createPods(key: string, job: KubeObject, plan: JobPlan): Promise<number> {
    const indexes = plan.createIndexes ?? Array.from({ length: plan.create }, () => undefined);
    const todo = indexes.slice(0, BURST);
    if (!todo.length) return 0;
    this.expectations.expect(key, todo.length, 0);
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    let ok = 0;
    let batch = 1;
    for (let i = 0; i < todo.length; i += batch, batch *= 2) {
      const slice = todo.slice(i, i + batch);
      const results = await Promise.allSettled(slice.map(async (ix) => {
        try {
          const pod = await this.o.client.create(PODS, job.metadata.namespace as string, podForJob(job, ref, ix));
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (e) {
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
          throw e;
        }
      }));
      ok += results.filter((r) => r.status === 'fulfilled').length;
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        for (let k = ok; k < todo.length; k++) this.expectations.creationObserved(key);
        throw failed.reason as Error;
      }
    }
    return ok;
  }
}

/** The Job's selector; undefined when missing, empty or invalid (never act on those). */
function selectorOf(job: KubeObject): LabelSelector | undefined {
  try {
    const s = labelSelectorFromMeta((job.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
    return s.empty ? undefined : s;
  } catch {
    return undefined;
  }
}

function splitPodKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
