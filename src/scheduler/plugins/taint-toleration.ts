/**
 * TaintToleration and NodeUnschedulable (pkg/scheduler/framework/plugins/tainttoleration,
 * nodeunschedulable): NoSchedule/NoExecute taints must be tolerated; PreferNoSchedule taints
 * lower the score; spec.unschedulable nodes (kubectl cordon) take only pods tolerating
 * node.kubernetes.io/unschedulable:NoSchedule.
 */
import type { KubeObject } from '../../api/types.js';
import { defaultNormalize, unresolvable, type Plugin } from '../framework.js';

export interface Taint { key: string; value?: string; effect: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

/** v1helper.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function tolerations(pod: KubeObject): Toleration[] {
  return (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? [];
}

export function taints(node: KubeObject): Taint[] {
  return (node.spec as { taints?: Taint[] } | undefined)?.taints ?? [];
}

export const taintTolerationPlugin: Plugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(s, node) {
    const ts = (node.node.spec as { taints?: Taint[] } | undefined)?.taints;
    if (!ts || ts.length === 0) return undefined;
    const tols = tolerations(s.pod);
    const bad = taints(node.node).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tols.some((x) => tolerates(x, t)));
    return bad ? unresolvable(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`) : undefined;
  },
  score(s, node) {
    const ts = (node.node.spec as { taints?: Taint[] } | undefined)?.taints;
    if (!ts || ts.length === 0) return 0;
    const tols = tolerations(s.pod).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return taints(node.node).filter((t) => t.effect === 'PreferNoSchedule' && !tols.some((x) => tolerates(x, t))).length;
  },
  normalize: (_s, scores) => defaultNormalize(scores, true),
};

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulablePlugin: Plugin = {
  name: 'NodeUnschedulable',
  filter(s, node) {
    if (!(node.node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) return undefined;
    return tolerations(s.pod).some((t) => tolerates(t, UNSCHEDULABLE_TAINT)) ? undefined : unresolvable('node(s) were unschedulable');
  },
};
