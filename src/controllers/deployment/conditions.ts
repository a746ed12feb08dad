/**
 * Deployment status and conditions (sync.go calculateStatus, progress.go syncRolloutStatus,
 * deployment_util.go SetDeploymentCondition / DeploymentComplete / DeploymentProgressing /
 * DeploymentTimedOut), with upstream's reasons and messages.
 */
import type { KubeObject } from '../../api/types.js';
import { canonicalJson } from '../util/hash.js';
import { dspec, hasProgressDeadline, maxUnavailable, replicasOf, rsStatus, specReplicas, statusSum } from './util.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';
/** RFC 3339 at second precision, as metav1.Time (re-exported for this module's users). */
export { rfc3339 };

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export const REASON = {
  NewRS: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  RSUpdated: 'ReplicaSetUpdated',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  FailedRSCreate: 'ReplicaSetCreateError',
  MinimumAvailable: 'MinimumReplicasAvailable',
  MinimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function dstatus(d: KubeObject): DeploymentStatus {
  return (d.status ?? {}) as DeploymentStatus;
}

export function getCondition(s: DeploymentStatus, type: string): DeploymentCondition | undefined {
  return s.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: same status and reason → no change; same status keeps lastTransitionTime; appended last. */
export function setCondition(s: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(s: DeploymentStatus, type: string): void {
  if (!s.conditions) return;
  s.conditions = s.conditions.filter((c) => c.type !== type);
  if (s.conditions.length === 0) delete s.conditions;
}

/** calculateStatus: counters over all ReplicaSets and the Available condition. */
export function calculateStatus(all: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, nowMs: number): DeploymentStatus {
  const available = statusSum(all, 'availableReplicas');
  const unavailable = Math.max(0, specReplicas(all) - available);
  const old = dstatus(d);
  const s: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: statusSum(all, 'replicas'),
    updatedReplicas: newRS ? rsStatus(newRS).replicas ?? 0 : 0,
    readyReplicas: statusSum(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (old.conditions?.length) s.conditions = old.conditions.map((c) => ({ ...c }));
  if (old.collisionCount !== undefined) s.collisionCount = old.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(s, newCondition('Available', 'True', REASON.MinimumAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(s, newCondition('Available', 'False', REASON.MinimumUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return s;
}

/** DeploymentComplete. */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated/ready/available replicas, or fewer old ones, than last recorded. */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const o = dstatus(d);
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld
    || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** DeploymentTimedOut: no progress recorded for progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === REASON.NewRSAvailable) return false;
  if (c.reason === REASON.TimedOut) return true;
  const from = c.lastUpdateTime ? Date.parse(c.lastUpdateTime) : nowMs;
  return from + (dspec(d).progressDeadlineSeconds as number) * 1000 < nowMs;
}

/**
 * syncRolloutStatus's status: calculateStatus plus the Progressing condition estimate and the
 * ReplicaFailure condition copied from a ReplicaSet.
 */
export function rolloutStatus(all: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, nowMs: number): DeploymentStatus {
  const s = calculateStatus(all, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(dstatus(d), 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === REASON.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', REASON.NewRSAvailable, msg, nowMs));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const c = newCondition('Progressing', 'True', REASON.RSUpdated, msg, nowMs);
      if (cur) {
        if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, nowMs)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', REASON.TimedOut, msg, nowMs));
    }
  }
  const failure = [newRS, ...all].filter((x): x is KubeObject => !!x).flatMap((rs) => rsStatus(rs).conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) setCondition(s, { type: 'ReplicaFailure', status: 'True', lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime, reason: failure.reason, message: failure.message });
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/** requeueStuckDeployment: ms after which to look again for a deadline, or undefined. */
export function stuckRequeueMs(d: KubeObject, s: DeploymentStatus, nowMs: number): number | undefined {
  const cur = getCondition(dstatus(d), 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return undefined;
  if (deploymentComplete(d, s) || cur.reason === REASON.TimedOut) return undefined;
  const after = Date.parse(cur.lastUpdateTime ?? '') + (dspec(d).progressDeadlineSeconds as number) * 1000 - nowMs;
  if (Number.isNaN(after)) return undefined;
  return after < 1000 ? 1000 : after + 1000;
}

/** Status equality ignoring key order. */
export function sameStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus): string => canonicalJson(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== 0)));
  return norm(a) === norm(b);
}
