/**
 * Which pods a ResourceQuota's scopes select (pkg/quota/v1/evaluator/core/pods.go podMatchesScopeFunc):
 * Terminating / NotTerminating (activeDeadlineSeconds set or not), BestEffort / NotBestEffort
 * (no requests or limits at all), and scopeSelector PriorityClass expressions.
 */
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, unknown>;

function isBestEffort(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as Obj;
  const all = [...((spec.containers as Obj[] | undefined) ?? []), ...((spec.initContainers as Obj[] | undefined) ?? [])];
  return all.every((c) => {
    const r = (c.resources ?? {}) as { requests?: Obj; limits?: Obj };
    return !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length;
  });
}

function scopeMatches(scope: string, pod: KubeObject, expr?: { operator?: string; values?: string[] }): boolean {
  const spec = (pod.spec ?? {}) as Obj;
  switch (scope) {
    case 'Terminating': return spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null;
    case 'NotTerminating': return spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds === null;
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'PriorityClass': {
      const pc = spec.priorityClassName as string | undefined;
      const op = expr?.operator ?? 'Exists';
      if (op === 'Exists') return !!pc;
      if (op === 'DoesNotExist') return !pc;
      if (op === 'In') return !!pc && (expr?.values ?? []).includes(pc);
      if (op === 'NotIn') return !pc || !(expr?.values ?? []).includes(pc);
      return false;
    }
    case 'CrossNamespacePodAffinity': return false;
    default: return false;
  }
}

export function quotaMatchesPod(quota: KubeObject, pod: KubeObject, _nowMs: number): boolean {
  const spec = (quota.spec ?? {}) as { scopes?: string[]; scopeSelector?: { matchExpressions?: Array<{ scopeName: string; operator?: string; values?: string[] }> } };
  for (const s of spec.scopes ?? []) if (!scopeMatches(s, pod)) return false;
  for (const e of spec.scopeSelector?.matchExpressions ?? []) if (!scopeMatches(e.scopeName, pod, e)) return false;
  return true;
}
