/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread): hard constraints
 * (whenUnsatisfiable DoNotSchedule) filter nodes whose domain would exceed maxSkew; soft ones
 * (ScheduleAnyway) and, for pods without constraints, the system defaults (hostname maxSkew 3,
 * zone maxSkew 5, pods of the same controller) score nodes with fewer matching pods higher.
 * Only nodes passing the pod's node affinity/selector count (nodeAffinityPolicy Honor), and
 * terminating pods are not counted, as upstream.
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import { MAX_NODE_SCORE, unresolvable, unschedulable, type CycleState, type Plugin } from '../framework.js';
import { labelKey, singleLabel, type NodeInfo } from '../node-info.js';
import { podMatchesNode } from './node-affinity.js';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  hard: boolean;
  minDomains: number;
  /** Matches a counted pod (same namespace is checked separately). */
  matches(pod: KubeObject): boolean;
  /** Set when the selector is one matchLabels pair: counted from NodeInfo.podLabels without a scan. */
  single?: [string, string];
  /** NodeInfo.podLabels key of `single` in the pod's namespace. */
  singleKey?: string;
}

interface SpreadState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods. */
  counts: Array<Map<string, number>>;
  /** Per constraint: how many topology domains the eligible nodes form. */
  sizes: number[];
  /** Per constraint: counts are keyed by node name (the default hostname constraint's fast path). */
  keyedByNode: boolean[];
  /** Per constraint: the smallest domain count (0 when fewer domains than minDomains), computed once per cycle. */
  mins: number[];
  /** Per constraint: 1 when the incoming pod matches its own selector. */
  self: number[];
  /** Per constraint: the score weight log(domains + 2), as upstream's topologyNormalizingWeight. */
  weights: number[];
}

export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

interface RawConstraint { maxSkew: number; topologyKey: string; whenUnsatisfiable: string; labelSelector?: MetaLabelSelector; minDomains?: number; matchLabelKeys?: string[] }

export function controllerUid(pod: KubeObject): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

function selectorOf(raw: RawConstraint, pod: KubeObject): LabelSelector | undefined {
  const sel: MetaLabelSelector = { matchLabels: { ...(raw.labelSelector?.matchLabels ?? {}) }, matchExpressions: [...(raw.labelSelector?.matchExpressions ?? [])] };
  for (const k of raw.matchLabelKeys ?? []) { const v = pod.metadata.labels?.[k]; if (v !== undefined) (sel.matchLabels as Record<string, string>)[k] = v; }
  if (!raw.labelSelector) return undefined;
  try { return labelSelectorFromMeta(sel); } catch { return undefined; }
}

function constraintsOf(pod: KubeObject): Constraint[] {
  const raw = (pod.spec as { topologySpreadConstraints?: RawConstraint[] } | undefined)?.topologySpreadConstraints ?? [];
  if (raw.length) {
    return raw.map((r) => {
      const sel = selectorOf(r, pod);
      const single = r.matchLabelKeys?.length ? undefined : singleLabel(r.labelSelector);
      return { maxSkew: r.maxSkew, topologyKey: r.topologyKey, hard: r.whenUnsatisfiable !== 'ScheduleAnyway', minDomains: r.minDomains ?? 1, matches: (p: KubeObject) => !!sel && sel.matches(p.metadata.labels ?? {}), single, singleKey: single ? labelKey(pod.metadata.namespace ?? '', single[0], single[1]) : undefined };
    });
  }
  const owner = controllerUid(pod);
  if (!owner) return [];
  const same = (p: KubeObject): boolean => controllerUid(p) === owner;
  return [
    { maxSkew: 3, topologyKey: 'kubernetes.io/hostname', hard: false, minDomains: 1, matches: same },
    { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', hard: false, minDomains: 1, matches: same },
  ];
}

function countPods(node: NodeInfo, ns: string, c: Constraint, s: CycleState, usesOwner: boolean): number {
  if (usesOwner) {
    const owner = controllerUid(s.pod) as string;
    return s.ownerCounts(owner)?.get(node.name) ?? 0;
  }
  if (c.singleKey !== undefined && node.terminatingPods === 0) return node.podLabels.get(c.singleKey) ?? 0;
  let n = 0;
  for (const pi of node.pods.values()) {
    const p = pi.pod;
    if (p.metadata.namespace === ns && !p.metadata.deletionTimestamp && c.matches(p)) n++;
  }
  return n;
}

function hasNodeConstraints(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeSelector?: Record<string, string>; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } } };
  return Object.keys(spec.nodeSelector ?? {}).length > 0 || !!spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

function compute(s: CycleState): SpreadState {
  const cached = s.data.get('PodTopologySpread') as SpreadState | undefined;
  if (cached) return cached;
  const constraints = constraintsOf(s.pod);
  const usesOwner = !((s.pod.spec as { topologySpreadConstraints?: unknown[] } | undefined)?.topologySpreadConstraints?.length);
  const counts = constraints.map(() => new Map<string, number>());
  const sizes = constraints.map(() => 0);
  const keyedByNode = constraints.map(() => false);
  const ns = s.pod.metadata.namespace ?? '';
  const owner = controllerUid(s.pod);
  if (constraints.length && usesOwner && owner && !hasNodeConstraints(s.pod)) {
    // Default spreading of an unconstrained pod: every node is eligible, so counts come straight
    // from the cache's per-owner indexes (by node name = hostname, by zone) and domain sizes
    // from its label index — no scan over nodes or pods.
    const byNode = s.ownerCounts(owner) ?? new Map<string, number>();
    const byZone = s.ownerZoneCounts(owner) ?? new Map<string, number>();
    constraints.forEach((c, i) => {
      counts[i] = (c.topologyKey === 'kubernetes.io/hostname' ? byNode : byZone) as Map<string, number>;
      keyedByNode[i] = c.topologyKey === 'kubernetes.io/hostname';
      sizes[i] = s.domains(c.topologyKey)?.size ?? 0;
    });
  } else if (constraints.length) {
    const nodeFilter = hasNodeConstraints(s.pod);
    const nc = constraints.length;
    nodes: for (const node of s.allNodes) {
      if (nodeFilter && !podMatchesNode(s.pod, node)) continue;
      const labels = node.labels;
      for (let i = 0; i < nc; i++) if (labels[constraints[i].topologyKey] === undefined) continue nodes;
      for (let i = 0; i < nc; i++) {
        const v = labels[constraints[i].topologyKey];
        const n = node.pods.size === 0 ? 0 : countPods(node, ns, constraints[i], s, usesOwner);
        counts[i].set(v, (counts[i].get(v) ?? 0) + n);
      }
    }
    constraints.forEach((_c, i) => { sizes[i] = counts[i].size; });
  }
  const mins = constraints.map((c, i) => {
    if (counts[i].size < c.minDomains) return 0;
    let min = Infinity;
    for (const n of counts[i].values()) if (n < min) min = n;
    return min === Infinity ? 0 : min;
  });
  const self = constraints.map((c) => (c.matches(s.pod) ? 1 : 0));
  const st = { constraints, counts, sizes, keyedByNode, mins, self, weights: sizes.map((n) => Math.log(n + 2)) };
  s.data.set('PodTopologySpread', st);
  return st;
}

export const topologySpreadPlugin: Plugin = {
  name: 'PodTopologySpread',
  weight: 2,
  filter(s, node) {
    const st = compute(s);
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i];
      if (!c.hard) continue;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return unresolvable(ERR_SPREAD_LABEL);
      if ((st.counts[i].get(v) ?? 0) + st.self[i] - st.mins[i] > c.maxSkew) return unschedulable(ERR_SPREAD);
    }
    return undefined;
  },
  score(s, node) {
    const st = compute(s);
    let total = 0;
    let any = false;
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i];
      if (c.hard) continue;
      any = true;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return -1;
      total += (st.counts[i].get(st.keyedByNode[i] ? node.name : v) ?? 0) * st.weights[i] + (c.maxSkew - 1);
    }
    return any ? total : 0;
  },
  normalize(_s, scores) {
    let max = 0;
    let min = Infinity;
    for (const v of scores) { if (v < 0) continue; max = Math.max(max, v); min = Math.min(min, v); }
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] < 0) { scores[i] = 0; continue; }
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  },
};
