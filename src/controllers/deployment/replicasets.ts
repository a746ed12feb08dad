/**
 * What the Deployment controller does to ReplicaSets (sync.go): find or create the new one
 * (`<deployment>-<pod-template-hash>`, revision = max old revision + 1, hash collisions bump
 * status.collisionCount), scale one with a ScalingReplicaSet event, proportional scaling of
 * all active ones when the Deployment is resized mid-rollout, and history cleanup.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { computeTemplateHash } from '../util/hash.js';
import { controllerOf, newControllerRef } from '../util/owner-refs.js';
import { DEPLOYMENTS, REPLICASETS } from '../util/resources.js';
import { dstatus, getCondition, newCondition, REASON, setCondition, type DeploymentStatus } from './conditions.js';
import {
  activeReplicaSets, byCreation, dspec, equalIgnoreHash, findNewReplicaSet, hasProgressDeadline, isRollingUpdate, isSaturated, maxRevision,
  maxSurge, newRSNewReplicas, POD_TEMPLATE_HASH, proportion, replicasAnnotationsNeedUpdate, replicasOf, REVISION, revisionOf, rsStatus,
  setNewReplicaSetAnnotations, setReplicasAnnotations, specReplicas,
} from './util.js';

export interface SyncContext {
  client: ApiClient;
  recorder: EventRecorder;
  now(): number;
  /** The Deployment being synced (a private copy, kind set); its status may be edited in place. */
  d: KubeObject;
}

export async function updateStatus(c: SyncContext, status: DeploymentStatus): Promise<void> {
  c.d = { ...c.d, status };
  const next = await c.client.update(DEPLOYMENTS, c.d.metadata.namespace as string, c.d, 'status');
  c.d = { ...c.d, metadata: next.metadata };
}

/** SetDeploymentRevision, written to the main resource (the status subresource keeps metadata). */
async function syncDeploymentRevision(c: SyncContext, revision: string): Promise<void> {
  if (c.d.metadata.annotations?.[REVISION] === revision) return;
  const next = await c.client.patch(DEPLOYMENTS, c.d.metadata.namespace as string, c.d.metadata.name as string, { metadata: { annotations: { [REVISION]: revision } } }, 'merge');
  c.d = { ...c.d, metadata: next.metadata };
}

/** scaleReplicaSet: resize and refresh the replicas annotations; event when the size changed. */
export async function scaleReplicaSet(c: SyncContext, rs: KubeObject, newScale: number): Promise<[boolean, KubeObject]> {
  const d = c.d;
  const oldScale = replicasOf(rs);
  const sizeChange = oldScale !== newScale;
  const want = replicasOf(d);
  if (!sizeChange && !replicasAnnotationsNeedUpdate(rs, want, want + maxSurge(d))) return [false, rs];
  const copy = structuredClone(rs);
  (copy.spec as { replicas: number }).replicas = newScale;
  setReplicasAnnotations(copy, want, want + maxSurge(d));
  const updated = await c.client.update(REPLICASETS, rs.metadata.namespace as string, copy);
  if (sizeChange) {
    c.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${oldScale < newScale ? 'up' : 'down'} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
  }
  return [sizeChange, updated];
}

/** getNewReplicaSet: the existing new ReplicaSet (annotations synced) or, if asked, a freshly created one. */
export async function getNewReplicaSet(c: SyncContext, rsList: KubeObject[], oldRSs: KubeObject[], create: boolean): Promise<KubeObject | undefined> {
  const d = c.d;
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const spec = dspec(d);
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReady = spec.minReadySeconds ?? 0;
    if (annotationsChanged || ((copy.spec as { minReadySeconds?: number }).minReadySeconds ?? 0) !== minReady) {
      (copy.spec as { minReadySeconds?: number }).minReadySeconds = minReady;
      return c.client.update(REPLICASETS, copy.metadata.namespace as string, copy);
    }
    await syncDeploymentRevision(c, copy.metadata.annotations?.[REVISION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(dstatus(d), 'Progressing')) {
      const status = structuredClone(dstatus(d));
      setCondition(status, newCondition('Progressing', 'True', REASON.FoundNewRS, `Found new replica set "${copy.metadata.name}"`, c.now()));
      await updateStatus(c, status);
    }
    return copy;
  }
  if (!create) return undefined;

  const collisionCount = dstatus(d).collisionCount;
  const hash = computeTemplateHash(spec.template, collisionCount);
  const template = structuredClone(spec.template ?? {});
  template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const rs: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: d.metadata.namespace, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], labels: template.metadata.labels },
    spec: { replicas: 0, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  (rs.spec as { replicas: number }).replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  let created: KubeObject;
  let alreadyExisted = false;
  try {
    created = await c.client.create(REPLICASETS, d.metadata.namespace as string, rs);
  } catch (e) {
    if (e instanceof ApiError && e.reason === 'AlreadyExists') {
      const other = rsList.find((x) => x.metadata.name === name) ?? await c.client.get(REPLICASETS, d.metadata.namespace as string, name);
      if (controllerOf(other)?.uid === d.metadata.uid && equalIgnoreHash((other.spec as { template?: unknown }).template, spec.template)) {
        created = other;
        alreadyExisted = true;
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        const status = structuredClone(dstatus(d));
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await updateStatus(c, status);
        throw e;
      }
    } else {
      const msg = `Failed to create new replica set "${name}": ${(e as Error).message}`;
      if (hasProgressDeadline(d)) {
        const status = structuredClone(dstatus(d));
        setCondition(status, newCondition('Progressing', 'False', REASON.FailedRSCreate, msg, c.now()));
        await updateStatus(c, status).catch(() => undefined);
      }
      c.recorder.event(d, 'Warning', REASON.FailedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExisted && replicas > 0) {
    c.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  }
  await syncDeploymentRevision(c, String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    const status = structuredClone(dstatus(c.d));
    setCondition(status, newCondition('Progressing', 'True', REASON.NewRS, `Created new replica set "${created.metadata.name}"`, c.now()));
    await updateStatus(c, status);
  }
  return created;
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
function activeOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort(byCreation).reverse();
  const active = activeReplicaSets([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  return active.length === 1 ? active[0] : undefined;
}

/** Larger first; ties newest first (scaling up) or oldest first (scaling down). */
function bySize(newerFirst: boolean) {
  return (a: KubeObject, b: KubeObject): number => (replicasOf(b) - replicasOf(a)) || (newerFirst ? byCreation(b, a) : byCreation(a, b));
}

/** scale: a resize of the Deployment, spread over its ReplicaSets (proportionally during a rollout). */
export async function scale(c: SyncContext, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
  const d = c.d;
  const want = replicasOf(d);
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    if (replicasOf(single) !== want) await scaleReplicaSet(c, single, want);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSet(c, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(all);
  if (toAdd > 0) all.sort(bySize(true)); else if (toAdd < 0) all.sort(bySize(false));
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added, dstatus(d).replicas ?? 0);
      sizes.set(rs.metadata.name as string, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name as string, replicasOf(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]!;
    const n = rs.metadata.name as string;
    if (i === 0 && toAdd !== 0) sizes.set(n, Math.max(0, (sizes.get(n) ?? 0) + toAdd - added));
    await scaleReplicaSet(c, rs, sizes.get(n) ?? 0);
  }
}

/** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(c: SyncContext, oldRSs: KubeObject[]): Promise<void> {
  const limit = dspec(c.d).revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    const st = rsStatus(rs);
    if ((st.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) continue;
    try {
      await c.client.delete(REPLICASETS, rs.metadata.namespace as string, rs.metadata.name as string);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
