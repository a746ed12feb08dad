/**
 * One StatefulSet reconciliation (stateful_set_control.go updateStatefulSet): pods are slotted by
 * ordinal into the replicas wanted and the condemned beyond; missing replicas are created (claims
 * first), failed ones recreated; condemned ones deleted highest ordinal first; then a
 * RollingUpdate deletes the highest-ordinal pod not at the update revision, down to the
 * partition, one at a time and only while every pod above is healthy (maxUnavailable 1);
 * OnDelete leaves pods alone. OrderedReady ("monotonic") stops at the first pod that is not yet
 * Running and Ready (or is terminating) — so web-1 is created only once web-0 is Ready, and scale
 * down removes web-2 before web-1; Parallel does everything in one pass.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { identityMatches, newStatefulSetPod, ordinalOf, podRevision, stsSpec } from './identity.js';

export interface StsStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount?: number;
}

export interface StsOps {
  /** Creates the pod's missing claims, then the pod; records the events. */
  createPod(pod: KubeObject): Promise<void>;
  /** Deletes a pod; `condemned`: it is beyond the replicas wanted (a scale down), not replaced. */
  deletePod(pod: KubeObject, condemned?: boolean): Promise<void>;
  /** Restores the identity labels of a pod that drifted. */
  fixIdentity(pod: KubeObject): Promise<void>;
}

export interface StsState {
  set: KubeObject;
  /** The set with the template of the current revision. */
  currentSet: KubeObject;
  pods: KubeObject[];
  currentRevision: string;
  updateRevision: string;
  ownerRef: OwnerReference;
  now: number;
}

const phaseOf = (p: KubeObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;
const isTerminating = (p: KubeObject): boolean => !!p.metadata.deletionTimestamp;
const isFinished = (p: KubeObject): boolean => phaseOf(p) === 'Failed' || phaseOf(p) === 'Succeeded';
/** isRunningAndReady. */
export const isRunningAndReady = (p: KubeObject): boolean => phaseOf(p) === 'Running' && isPodReady(p);

/** newVersionedStatefulSetPod: ordinals below the partition keep the current revision under RollingUpdate. */
function versionedPod(s: StsState, index: number, ordinal: number): KubeObject {
  const strategy = stsSpec(s.currentSet).updateStrategy;
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  const keepCurrent = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && index < partition;
  return keepCurrent ? newStatefulSetPod(s.currentSet, ordinal, s.currentRevision, s.ownerRef) : newStatefulSetPod(s.set, ordinal, s.updateRevision, s.ownerRef);
}

/** computeReplicaStatus over the pods as they are. */
export function computeStatus(s: StsState, collisionCount: number | undefined): StsStatus {
  const minReady = stsSpec(s.set).minReadySeconds ?? 0;
  const st: StsStatus = {
    observedGeneration: s.set.metadata.generation, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0,
    currentRevision: s.currentRevision, updateRevision: s.updateRevision,
  };
  if (collisionCount !== undefined) st.collisionCount = collisionCount;
  for (const p of s.pods) {
    st.replicas++;
    if (isRunningAndReady(p)) {
      st.readyReplicas++;
      if (isPodAvailable(p, minReady, s.now)) st.availableReplicas++;
    }
    if (isTerminating(p)) continue;
    if (podRevision(p) === s.currentRevision) st.currentReplicas++;
    if (podRevision(p) === s.updateRevision) st.updatedReplicas++;
  }
  // completeRollingUpdate: every pod updated and ready → the update revision becomes current.
  const type = stsSpec(s.set).updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'RollingUpdate' && st.updatedReplicas === st.replicas && st.readyReplicas === st.replicas) {
    st.currentReplicas = st.updatedReplicas;
    st.currentRevision = st.updateRevision;
  }
  return st;
}

/** Performs at most the next step(s) of the set's reconciliation through `ops`. */
export async function updateStatefulSet(s: StsState, ops: StsOps): Promise<void> {
  const spec = stsSpec(s.set);
  const count = spec.replicas ?? 1;
  const start = spec.ordinals?.start ?? 0;
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const minReady = spec.minReadySeconds ?? 0;
  const healthy = (p: KubeObject): boolean => isRunningAndReady(p) && !isTerminating(p) && isPodAvailable(p, minReady, s.now);

  const replicas: Array<KubeObject | undefined> = new Array(count).fill(undefined);
  const condemned: KubeObject[] = [];
  for (const p of s.pods) {
    const o = ordinalOf(p);
    if (o >= start && o < start + count) replicas[o - start] = p;
    else if (o >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(a) - ordinalOf(b));
  const firstUnhealthy = [...replicas, ...condemned].find((p) => p && !healthy(p));
  if (s.set.metadata.deletionTimestamp) return;

  for (let i = 0; i < count; i++) {
    let pod = replicas[i];
    if (pod && isFinished(pod) && !isTerminating(pod)) {
      // A failed (or exited) pod is deleted and recreated under the same identity.
      await ops.deletePod(pod);
      if (monotonic) return;
      continue;
    }
    if (!pod) {
      pod = versionedPod(s, i, start + i);
      await ops.createPod(pod);
      if (monotonic) return;
      continue;
    }
    if (isTerminating(pod)) { if (monotonic) return; continue; }
    if (!healthy(pod) && monotonic) return;
    if (!identityMatches(s.set, pod)) await ops.fixIdentity(pod);
  }

  for (let t = condemned.length - 1; t >= 0; t--) {
    const pod = condemned[t]!;
    if (isTerminating(pod)) { if (monotonic) return; continue; }
    if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return;
    await ops.deletePod(pod, true);
    if (monotonic) return;
  }

  if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'OnDelete') return;
  const partition = Math.max(0, spec.updateStrategy?.rollingUpdate?.partition ?? 0);
  for (let t = count - 1; t >= partition; t--) {
    const pod = replicas[t];
    if (!pod) return;
    if (podRevision(pod) !== s.updateRevision && !isTerminating(pod)) {
      await ops.deletePod(pod);
      return;
    }
    if (!healthy(pod)) return;
  }
}
