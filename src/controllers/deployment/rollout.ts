/**
 * The two rollout strategies (rolling.go, recreate.go) and the status writers they end with
 * (syncRolloutStatus, syncDeploymentStatus).
 */
import type { KubeObject } from '../../api/types.js';
import { PODS } from '../util/resources.js';
import { deploymentComplete, dstatus, rolloutStatus, calculateStatus, sameStatus, stuckRequeueMs } from './conditions.js';
import { cleanupDeployment, getNewReplicaSet, scaleReplicaSet, updateStatus, type SyncContext } from './replicasets.js';
import { activeReplicaSets, byCreation, maxUnavailable, newRSNewReplicas, replicasOf, rsStatus, specReplicas, statusSum } from './util.js';

/** Whatever the strategy decided, the sync ends by writing status; this says when to look again. */
export interface SyncOutcome { requeueAfterMs?: number }

export async function syncRolloutStatus(c: SyncContext, all: KubeObject[], newRS: KubeObject | undefined): Promise<SyncOutcome> {
  const s = rolloutStatus(all, newRS, c.d, c.now());
  if (sameStatus(dstatus(c.d), s)) return { requeueAfterMs: stuckRequeueMs(c.d, s, c.now()) };
  await updateStatus(c, s);
  return {};
}

export async function syncDeploymentStatus(c: SyncContext, all: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
  const s = calculateStatus(all, newRS, c.d, c.now());
  if (!sameStatus(dstatus(c.d), s)) await updateStatus(c, s);
}

/** rolloutRolling: scale the new ReplicaSet up within maxSurge, old ones down within maxUnavailable. */
export async function rolloutRolling(c: SyncContext, rsList: KubeObject[], oldRSs: KubeObject[]): Promise<SyncOutcome> {
  const newRS = await getNewReplicaSet(c, rsList, oldRSs, true) as KubeObject;
  let all = [...oldRSs, newRS];
  // reconcileNewReplicaSet
  const want = replicasOf(c.d);
  if (replicasOf(newRS) !== want) {
    const target = replicasOf(newRS) > want ? want : newRSNewReplicas(c.d, all, newRS);
    const [scaled, updated] = await scaleReplicaSet(c, newRS, target);
    if (scaled) return syncRolloutStatus(c, [...oldRSs, updated], updated);
  }
  // reconcileOldReplicaSets
  let olds = activeReplicaSets(oldRSs);
  const oldCount = specReplicas(olds);
  if (oldCount > 0) {
    const maxUnav = maxUnavailable(c.d);
    const minAvailable = want - maxUnav;
    const newUnavailable = replicasOf(newRS) - (rsStatus(newRS).availableReplicas ?? 0);
    const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown > 0) {
      // cleanupUnhealthyReplicas: unavailable old replicas go first, they cost no availability.
      olds.sort(byCreation);
      let cleaned = 0;
      for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
        const rs = olds[i]!;
        const avail = rsStatus(rs).availableReplicas ?? 0;
        if (replicasOf(rs) === 0 || replicasOf(rs) === avail) continue;
        const n = Math.min(maxScaledDown - cleaned, replicasOf(rs) - avail);
        const [, updated] = await scaleReplicaSet(c, rs, replicasOf(rs) - n);
        olds[i] = updated;
        cleaned += n;
      }
      // scaleDownOldReplicaSetsForRollingUpdate
      all = [...olds, newRS];
      const availableCount = statusSum(all, 'availableReplicas');
      let scaledDown = 0;
      if (availableCount > minAvailable) {
        const total = availableCount - minAvailable;
        for (const rs of olds.sort(byCreation)) {
          if (scaledDown >= total) break;
          if (replicasOf(rs) === 0) continue;
          const n = Math.min(replicasOf(rs), total - scaledDown);
          await scaleReplicaSet(c, rs, replicasOf(rs) - n);
          scaledDown += n;
        }
      }
      if (cleaned + scaledDown > 0) return syncRolloutStatus(c, [...oldRSs, newRS], newRS);
    }
  }
  if (deploymentComplete(c.d, dstatus(c.d))) await cleanupDeployment(c, oldRSs);
  olds = oldRSs;
  return syncRolloutStatus(c, [...olds, newRS], newRS);
}

/**
 * oldPodsRunning: an old ReplicaSet still reports replicas, or a pod of the Deployment outside
 * the new ReplicaSet has not finished (terminating pods count until they are gone).
 */
async function oldPodsRunning(c: SyncContext, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<boolean> {
  if (statusSum(oldRSs, 'replicas') > 0) return true;
  const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  const sel = (c.d.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
  const labelSelector = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await c.client.list(PODS, c.d.metadata.namespace as string, { labelSelector });
  return pods.items.some((p) => {
    const owner = p.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    if (!owner || owner === newRS?.metadata.uid || !oldUids.has(owner)) return false;
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    return phase !== 'Failed' && phase !== 'Succeeded';
  });
}

/** rolloutRecreate: every old pod gone before the new ReplicaSet is created and scaled up. */
export async function rolloutRecreate(c: SyncContext, rsList: KubeObject[], oldRSs: KubeObject[]): Promise<SyncOutcome> {
  let newRS = await getNewReplicaSet(c, rsList, oldRSs, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    const [scaled] = await scaleReplicaSet(c, rs, 0);
    scaledDown ||= scaled;
  }
  if (scaledDown) return syncRolloutStatus(c, [...oldRSs, newRS].filter((x): x is KubeObject => !!x), newRS);
  if (await oldPodsRunning(c, newRS, oldRSs)) {
    const out = await syncRolloutStatus(c, [...oldRSs, newRS].filter((x): x is KubeObject => !!x), newRS);
    // Pod deletions are not watched here: look again shortly.
    return { requeueAfterMs: Math.min(out.requeueAfterMs ?? 1000, 1000) };
  }
  newRS ??= await getNewReplicaSet(c, rsList, oldRSs, true) as KubeObject;
  if (replicasOf(newRS) !== replicasOf(c.d)) {
    const [, updated] = await scaleReplicaSet(c, newRS, replicasOf(c.d));
    newRS = updated;
  }
  if (deploymentComplete(c.d, dstatus(c.d))) await cleanupDeployment(c, oldRSs);
  return syncRolloutStatus(c, [...oldRSs, newRS], newRS);
}
