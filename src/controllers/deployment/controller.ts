/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go syncDeployment):
 * claims the ReplicaSets matching a Deployment's selector, then — unless it is being deleted —
 * records pause/resume on the Progressing condition, and either scales (paused, or a resize:
 * some active ReplicaSet's desired-replicas annotation differs from spec.replicas) or rolls out
 * (RollingUpdate or Recreate). Rollbacks are client-side in apps/v1 (`kubectl rollout undo`
 * writes an old template back): the old ReplicaSet then matches and becomes new again.
 *
 * Cost per sync: O(ReplicaSets in the Deployment's namespace) from the cache, plus a few writes
 * while something changes; a steady Deployment costs no write. Pods are not watched (only a
 * Recreate rollout lists them, through a label selector, while old pods remain).
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
import { NamespaceIndex } from '../util/namespace-index.js';
import { adoptPatch, controllerOf, newControllerRef, releasePatch } from '../util/owner-refs.js';
import { DEPLOYMENTS, keyOf, REPLICASETS, withKind } from '../util/resources.js';
import { dstatus, getCondition, newCondition, REASON, setCondition } from './conditions.js';
import { cleanupDeployment, getNewReplicaSet, scale, updateStatus, type SyncContext } from './replicasets.js';
import { rolloutRecreate, rolloutRolling, syncDeploymentStatus, type SyncOutcome } from './rollout.js';
import { activeReplicaSets, annotationInt, DESIRED_REPLICAS, dspec, findNewReplicaSet, hasProgressDeadline, replicasOf } from './util.js';

export interface DeploymentControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class DeploymentController {
  readonly dInformer: Informer;
  readonly rsInformer: Informer;
  private readonly o: DeploymentControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly recorder: EventRecorder;
  private readonly rsByNamespace: NamespaceIndex;
  private readonly deploymentsByNamespace: NamespaceIndex;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: DeploymentControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'deployment-controller' });
    this.dInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: DEPLOYMENTS });
    this.rsInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: REPLICASETS });
    this.rsByNamespace = new NamespaceIndex(this.rsInformer);
    this.deploymentsByNamespace = new NamespaceIndex(this.dInformer);
    const enqueue = (d: KubeObject): void => this.queue.add(objectKey(d));
    this.dInformer.addHandlers({ add: enqueue, update: (_o, d) => enqueue(d), delete: enqueue });
    this.rsInformer.addHandlers({
      add: (rs) => this.rsChanged(rs),
      update: (old, rs) => { if (controllerOf(old)?.uid !== controllerOf(rs)?.uid) this.rsChanged(old); this.rsChanged(rs); },
      delete: (rs) => this.rsChanged(rs),
    });
  }

  start(): void {
    this.dInformer.start();
    this.rsInformer.start();
    this.running = this.life.afterSync([this.dInformer, this.rsInformer], () => runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.dInformer.stop();
    this.rsInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** A ReplicaSet event wakes its controlling Deployment, or for orphans every matching one. */
  private rsChanged(rs: KubeObject): void {
    const ref = controllerOf(rs);
    if (ref) {
      if (ref.kind !== 'Deployment') return;
      const key = keyOf(rs.metadata.namespace, ref.name);
      if (this.dInformer.get(key)?.metadata.uid === ref.uid) this.queue.add(key);
      return;
    }
    for (const d of this.deploymentsByNamespace.list(rs.metadata.namespace ?? '')) {
      if (selectorOf(d)?.matches(rs.metadata.labels ?? {})) this.queue.add(objectKey(d));
    }
  }

  /** getReplicaSetsForDeployment: owned ReplicaSets that match, plus adopted orphans; release the rest. */
  private async claimReplicaSets(d: KubeObject, sel: LabelSelector): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    const ns = d.metadata.namespace as string;
    const ref = newControllerRef(d, 'apps/v1', 'Deployment');
    for (const rs of this.rsByNamespace.list(ns)) {
      const owner = controllerOf(rs);
      const matches = sel.matches(rs.metadata.labels ?? {});
      try {
        if (owner?.uid === d.metadata.uid) {
          if (matches || rs.metadata.deletionTimestamp) out.push(rs);
          else await this.o.client.patch(REPLICASETS, ns, rs.metadata.name as string, releasePatch(rs, d.metadata.uid as string), 'merge');
        } else if (!owner && matches && !rs.metadata.deletionTimestamp && !d.metadata.deletionTimestamp) {
          out.push(await this.o.client.patch(REPLICASETS, ns, rs.metadata.name as string, adoptPatch(rs, ref), 'merge'));
        }
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }

  async sync(key: string): Promise<void> {
    const cached = this.dInformer.get(key);
    if (!cached) return;
    const c: SyncContext = {
      client: this.o.client, recorder: this.recorder, now: () => this.o.clock.now(),
      d: withKind(structuredClone(cached), 'apps/v1', 'Deployment'),
    };
    const sel = selectorOf(c.d);
    if (!sel) {
      this.recorder.event(c.d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((dstatus(c.d).observedGeneration ?? 0) < (c.d.metadata.generation ?? 0)) {
        await updateStatus(c, { ...dstatus(c.d), observedGeneration: c.d.metadata.generation });
      }
      return;
    }
    const rsList = await this.claimReplicaSets(c.d, sel);
    const newOne = findNewReplicaSet(c.d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== newOne);
    let outcome: SyncOutcome = {};
    if (c.d.metadata.deletionTimestamp) {
      await syncDeploymentStatus(c, rsList, newOne);
    } else {
      await this.checkPausedConditions(c);
      if (dspec(c.d).paused || this.isScalingEvent(c.d, rsList)) await this.scaleOnly(c, rsList, oldRSs);
      else if (dspec(c.d).strategy?.type === 'Recreate') outcome = await rolloutRecreate(c, rsList, oldRSs);
      else outcome = await rolloutRolling(c, rsList, oldRSs);
    }
    if (outcome.requeueAfterMs !== undefined) this.queue.addAfter(key, outcome.requeueAfterMs);
  }

  /** isScalingEvent: an active ReplicaSet was annotated for another size than spec.replicas. */
  private isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    return activeReplicaSets(rsList).some((rs) => {
      const desired = annotationInt(rs, DESIRED_REPLICAS);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  /** sync (deployment_controller "sync"): scale only; a paused Deployment also trims its history. */
  private async scaleOnly(c: SyncContext, rsList: KubeObject[], oldRSs: KubeObject[]): Promise<void> {
    const newRS = await getNewReplicaSet(c, rsList, oldRSs, false);
    await scale(c, newRS, oldRSs);
    if (dspec(c.d).paused) await cleanupDeployment(c, oldRSs);
    const fresh = rsList.map((rs) => this.rsInformer.get(objectKey(rs)) ?? rs);
    const freshNew = newRS ? this.rsInformer.get(objectKey(newRS)) ?? newRS : undefined;
    await syncDeploymentStatus(c, fresh, freshNew);
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
  private async checkPausedConditions(c: SyncContext): Promise<void> {
    if (!hasProgressDeadline(c.d)) return;
    const cond = getCondition(dstatus(c.d), 'Progressing');
    if (cond?.reason === REASON.TimedOut) return;
    const pausedCond = cond?.reason === REASON.Paused;
    const paused = dspec(c.d).paused === true;
    if (paused === pausedCond) return;
    const status = structuredClone(dstatus(c.d));
    setCondition(status, paused
      ? newCondition('Progressing', 'Unknown', REASON.Paused, 'Deployment is paused', c.now())
      : newCondition('Progressing', 'Unknown', REASON.Resumed, 'Deployment is resumed', c.now()));
    await updateStatus(c, status);
  }
}

function selectorOf(d: KubeObject): LabelSelector | undefined {
  try {
    const s = labelSelectorFromMeta((d.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
    return s.empty ? undefined : s;
  } catch {
    return undefined;
  }
}
