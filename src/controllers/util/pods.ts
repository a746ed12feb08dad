/**
 * Pod predicates and the deletion ranking that workload controllers share
 * (pkg/api/v1/pod/util.go IsPodReady/IsPodAvailable, pkg/controller/controller_utils.go
 * IsPodActive and ActivePodsWithRanks).
 */
import type { KubeObject } from '../../api/types.js';

interface PodCondition { type: string; status: string; lastTransitionTime?: string }
interface ContainerStatus { restartCount?: number }
interface PodStatusShape { phase?: string; conditions?: PodCondition[]; containerStatuses?: ContainerStatus[] }

function podStatus(pod: KubeObject): PodStatusShape {
  return (pod.status ?? {}) as PodStatusShape;
}

function readyCondition(pod: KubeObject): PodCondition | undefined {
  return podStatus(pod).conditions?.find((c) => c.type === 'Ready');
}

/** IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podStatus(pod).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** IsPodAvailable: ready, and ready for at least minReadySeconds (by the condition's lastTransitionTime). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(t) && t + minReadySeconds * 1000 <= nowMs;
}

/** Milliseconds until a ready pod becomes available, or undefined if it is not ready / already available. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || minReadySeconds <= 0 || !c.lastTransitionTime) return undefined;
  const left = Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 - nowMs;
  return left > 0 ? left : undefined;
}

function phaseRank(phase: string | undefined): number {
  return phase === 'Pending' ? 0 : phase === 'Unknown' ? 1 : phase === 'Running' ? 2 : 3;
}

function readySince(pod: KubeObject): number {
  const c = readyCondition(pod);
  return c?.status === 'True' && c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.NaN;
}

function restarts(pod: KubeObject): number {
  let max = 0;
  for (const c of podStatus(pod).containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

function created(pod: KubeObject): number {
  return pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : Number.NaN;
}

/**
 * The deletion order of ActivePodsWithRanks.Less: negative when `a` should be deleted before `b`.
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; more pods of the same
 * owner on its node first (`rank`); ready for less time first; more restarts first; newer first.
 */
export function compareForDeletion(a: KubeObject, b: KubeObject, rank: (p: KubeObject) => number = () => 0): number {
  const na = (a.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  const nb = (b.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  if ((na === '') !== (nb === '')) return na === '' ? -1 : 1;
  const pa = phaseRank(podStatus(a).phase);
  const pb = phaseRank(podStatus(b).phase);
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ka = rank(a);
  const kb = rank(b);
  if (ka !== kb) return kb - ka;
  if (ra && rb) {
    const ta = readySince(a);
    const tb = readySince(b);
    if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
      if (Number.isNaN(ta)) return -1;
      if (Number.isNaN(tb)) return 1;
      return tb - ta; // later ready (ready for less time) first
    }
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ca = created(a);
  const cb = created(b);
  if (ca !== cb && !(Number.isNaN(ca) && Number.isNaN(cb))) {
    if (Number.isNaN(ca)) return -1;
    if (Number.isNaN(cb)) return 1;
    return cb - ca; // newer first
  }
  return 0;
}
