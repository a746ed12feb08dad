/**
 * PodDisruptionBudget status arithmetic (pkg/controller/disruption/disruption.go getExpectedPodCount,
 * countHealthyPods, buildDisruptedPodMap-free subset, updatePdbStatus).
 *
 * Simplification (documented): upstream resolves a percentage against the *scale* of the pods'
 * controllers (Deployment/ReplicaSet/StatefulSet replicas). keks uses the number of pods the
 * selector matches (active pods) as expectedPods for every form, which equals the controller scale
 * once the workload has converged.
 */
import type { KubeObject } from '../../api/types.js';
import { isPodActive, isPodReady } from '../util/pods.js';

type IntOrString = number | string;
interface PdbSpec { minAvailable?: IntOrString; maxUnavailable?: IntOrString }
interface Condition { type: string; status: string; reason?: string; message?: string; observedGeneration?: number; lastTransitionTime?: string }

export interface PdbStatus {
  observedGeneration: number;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions: Condition[];
  disruptedPods?: Record<string, string>;
}

/** intstr.GetScaledValueFromIntOrPercent: "50%" of total, rounded up (roundUp=true as upstream). */
export function scaledValue(v: IntOrString, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.isFinite(Number(v)) ? Number(v) : 0;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** The healthy count a PDB demands of `expected` pods. */
export function desiredHealthyOf(spec: PdbSpec, expected: number): number {
  if (spec.maxUnavailable !== undefined) return Math.max(0, expected - scaledValue(spec.maxUnavailable, expected));
  if (spec.minAvailable !== undefined) return scaledValue(spec.minAvailable, expected);
  return 0;
}

/** The status a PDB should have given the pods its selector matches (any phase). */
export function calculatePdbStatus(pdb: KubeObject, pods: KubeObject[], now: string): PdbStatus {
  const active = pods.filter(isPodActive);
  const expectedPods = active.length;
  const disruptedPods = liveDisruptedPods(pdb, pods, Date.parse(now));
  const currentHealthy = active.filter((p) => isPodReady(p) && !disruptedPods[p.metadata.name ?? '']).length;
  const desiredHealthy = desiredHealthyOf((pdb.spec ?? {}) as PdbSpec, expectedPods);
  const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
  const allowed = disruptionsAllowed > 0;
  const generation = pdb.metadata.generation ?? 0;
  const prev = ((pdb.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
  const status = allowed ? 'True' : 'False';
  const cond: Condition = {
    type: 'DisruptionAllowed', status, reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '',
    observedGeneration: generation,
    lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  const out: PdbStatus = { observedGeneration: generation, disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods, conditions: [cond] };
  if (Object.keys(disruptedPods).length) out.disruptedPods = disruptedPods;
  return out;
}

/** How long an eviction's DisruptedPods entry is honoured when the pod is not deleted (DeletionTimeout). */
export const DISRUPTED_POD_TIMEOUT_MS = 2 * 60 * 1000;

/**
 * buildDisruptedPodMap: entries the eviction subresource recorded for pods that still exist and are
 * not yet marked for deletion, and not older than DISRUPTED_POD_TIMEOUT_MS.
 */
function liveDisruptedPods(pdb: KubeObject, pods: KubeObject[], nowMs: number): Record<string, string> {
  const recorded = ((pdb.status as { disruptedPods?: Record<string, string> } | undefined)?.disruptedPods) ?? {};
  const out: Record<string, string> = {};
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const at = recorded[name];
    if (!at || pod.metadata.deletionTimestamp) continue;
    if (Date.parse(at) + DISRUPTED_POD_TIMEOUT_MS > nowMs) out[name] = at;
  }
  return out;
}

/** True when the stored status differs from `next` in anything but timestamps. */
export function pdbStatusChanged(pdb: KubeObject, next: PdbStatus): boolean {
  const cur = (pdb.status ?? {}) as Partial<PdbStatus>;
  const c = cur.conditions?.find((x) => x.type === 'DisruptionAllowed');
  const n = next.conditions[0];
  return cur.observedGeneration !== next.observedGeneration || cur.disruptionsAllowed !== next.disruptionsAllowed
    || cur.currentHealthy !== next.currentHealthy || cur.desiredHealthy !== next.desiredHealthy
    || cur.expectedPods !== next.expectedPods || c?.status !== n.status || c?.reason !== n.reason
    || c?.observedGeneration !== n.observedGeneration
    || JSON.stringify(cur.disruptedPods ?? {}) !== JSON.stringify(next.disruptedPods ?? {});
}
