/**
 * Toleration matching for taint-based eviction (k8s.io/api/core/v1 toleration.go ToleratesTaint;
 * pkg/controller/tainteviction getMatchingTolerations / getMinTolerationTime).
 */
import type { KubeObject } from '../../api/types.js';
import type { Taint } from './health.js';

export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }

/** Empty effect matches all effects; empty key with Exists matches all keys; Equal (default) compares values. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.key) return false;
  return (t.value ?? '') === (taint.value ?? '');
}

export type EvictionDecision =
  | { kind: 'keep' }
  /** Some NoExecute taint is not tolerated. */
  | { kind: 'now' }
  /** Tolerated, but only for this many milliseconds. */
  | { kind: 'after'; ms: number };

/**
 * What taint eviction does with a pod on a node with these taints: keep it (no NoExecute taint,
 * or every one tolerated forever), evict it now, or after the smallest tolerationSeconds of the
 * tolerations used (negative counts as 0; a used toleration without seconds tolerates forever).
 */
export function evictionDecision(pod: KubeObject, taints: Taint[]): EvictionDecision {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { kind: 'keep' };
  const tolerations = ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations) ?? [];
  let min = Infinity;
  for (const taint of noExecute) {
    // The first toleration that matches is the one used, as getMatchingTolerations.
    const used = tolerations.find((t) => tolerates(t, taint));
    if (!used) return { kind: 'now' };
    if (typeof used.tolerationSeconds === 'number') min = Math.min(min, Math.max(0, used.tolerationSeconds));
  }
  return min === Infinity ? { kind: 'keep' } : { kind: 'after', ms: min * 1000 };
}
