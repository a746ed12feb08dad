/**
 * ReplicaSet status (pkg/controller/replicaset/replica_set_utils.go calculateStatus): counts
 * over the active pods the ReplicaSet owns, observedGeneration, and the ReplicaFailure
 * condition, set when creating or deleting pods failed and cleared once a sync succeeds.
 */
import type { KubeObject } from '../../api/types.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';

export interface ReplicaSetCondition { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** Go's omitempty for the counters (replicas is always present). */
function compact(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}

/** calculateStatus: `manageError` is the error of this sync's create/delete step, if any. */
export function calculateStatus(rs: KubeObject, activePods: KubeObject[], manageError: Error | undefined, nowMs: number): ReplicaSetStatus {
  const spec = (rs.spec ?? {}) as { minReadySeconds?: number; template?: { metadata?: { labels?: Record<string, string> } } };
  const templateLabels = spec.template?.metadata?.labels ?? {};
  const minReady = spec.minReadySeconds ?? 0;
  let fully = 0, ready = 0, available = 0;
  for (const pod of activePods) {
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fully++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const old = (rs.status ?? {}) as ReplicaSetStatus;
  let conditions = [...(old.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const desired = ((rs.spec as { replicas?: number }).replicas ?? 1);
    const reason = activePods.length < desired ? 'FailedCreate' : 'FailedDelete';
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: manageError.message });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  return compact({
    replicas: activePods.length, fullyLabeledReplicas: fully, readyReplicas: ready, availableReplicas: available,
    observedGeneration: rs.metadata.generation, conditions,
  });
}

/** True when the status the API holds differs from `next`. */
export function statusChanged(rs: KubeObject, next: ReplicaSetStatus): boolean {
  return JSON.stringify(compact((rs.status ?? { replicas: 0 }) as ReplicaSetStatus)) !== JSON.stringify(next);
}
