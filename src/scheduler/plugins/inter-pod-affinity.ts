/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): required pod affinity
 * (some matching pod in the node's topology domain; the first pod of a group that matches its
 * own term may go anywhere), required anti-affinity (no matching pod in the domain), existing
 * pods' required anti-affinity (symmetry), and preferred terms (both directions) as a score.
 * Terms select pods in the pod's own namespace or the listed namespaces (namespaceSelector: {}
 * = all namespaces; other namespace selectors are not evaluated yet).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import { unresolvable, unschedulable, type CycleState, type Plugin } from '../framework.js';
import { labelKey, singleLabel, type NodeInfo } from '../node-info.js';

interface Term { labelSelector?: MetaLabelSelector; namespaces?: string[]; namespaceSelector?: MetaLabelSelector; topologyKey: string }
interface Weighted { weight: number; podAffinityTerm: Term }
interface PodAffinity { requiredDuringSchedulingIgnoredDuringExecution?: Term[]; preferredDuringSchedulingIgnoredDuringExecution?: Weighted[] }

function affinity(pod: KubeObject): { podAffinity?: PodAffinity; podAntiAffinity?: PodAffinity } {
  return ((pod.spec as { affinity?: { podAffinity?: PodAffinity; podAntiAffinity?: PodAffinity } } | undefined)?.affinity) ?? {};
}

/** Does `term`, declared by a pod in namespace `ownerNs`, select `pod`? */
interface CompiledTerm { allNs: boolean; namespaces: string[] | undefined; selector: LabelSelector | undefined }
/** Terms compiled once per term object (pods are immutable in the cache; a changed pod is a new object). */
const compiled = new WeakMap<Term, CompiledTerm>();

function compile(term: Term): CompiledTerm {
  let c = compiled.get(term);
  if (!c) {
    const allNs = !!term.namespaceSelector && Object.keys(term.namespaceSelector.matchLabels ?? {}).length === 0 && (term.namespaceSelector.matchExpressions ?? []).length === 0;
    let selector: LabelSelector | undefined;
    try { selector = labelSelectorFromMeta(term.labelSelector ?? null); } catch { selector = undefined; }
    c = { allNs, namespaces: term.namespaces?.length ? term.namespaces : undefined, selector };
    compiled.set(term, c);
  }
  return c;
}

export function termSelects(term: Term, ownerNs: string, pod: KubeObject): boolean {
  const c = compile(term);
  const ns = pod.metadata.namespace ?? '';
  if (!c.allNs && !(c.namespaces ? c.namespaces.includes(ns) : ns === ownerNs)) return false;
  return !!c.selector && c.selector.matches(pod.metadata.labels ?? {});
}

function countLabel(node: NodeInfo, key: string): number {
  return node.podLabels.get(key) ?? 0;
}

interface AffinityState {
  /** Per required affinity term: topology value → matching pods. */
  affinityCounts: Array<Map<string, number>>;
  anyAffinityMatch: boolean[];
  antiCounts: Array<Map<string, number>>;
  /** "key=value" domains forbidden by existing pods' required anti-affinity. */
  existingAnti: Set<string>;
  /** "key=value" → preferred score contribution. */
  preferred: Map<string, number>;
}

function compute(s: CycleState): AffinityState {
  const cached = s.data.get('InterPodAffinity') as AffinityState | undefined;
  if (cached) return cached;
  const pod = s.pod;
  const ns = pod.metadata.namespace ?? '';
  const a = affinity(pod);
  const req = a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const anti = a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const prefA = a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const prefAnti = a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const st: AffinityState = {
    affinityCounts: req.map(() => new Map()), anyAffinityMatch: req.map(() => false), antiCounts: anti.map(() => new Map()),
    existingAnti: new Set(), preferred: new Map(),
  };
  const bump = (m: Map<string, number>, k: string, by: number): void => { m.set(k, (m.get(k) ?? 0) + by); };
  const fastOf = (t: Term): [string, string] | undefined => (t.namespaceSelector || t.namespaces?.length ? undefined : singleLabel(t.labelSelector));
  const keyOf = (kv: [string, string] | undefined): string | undefined => (kv ? labelKey(ns, kv[0], kv[1]) : undefined);
  const fast = { req: req.map(fastOf), anti: anti.map(fastOf), reqKeys: [] as Array<string | undefined>, antiKeys: [] as Array<string | undefined>, scan: false };
  fast.reqKeys = fast.req.map(keyOf);
  fast.antiKeys = fast.anti.map(keyOf);
  fast.scan = fast.req.some((f) => !f) || fast.anti.some((f) => !f) || prefA.length > 0 || prefAnti.length > 0;
  const needScan = req.length + anti.length + prefA.length + prefAnti.length > 0;
  // Existing pods' required anti-affinity (symmetry) from the cache's term index when present.
  const groups = s.existingAntiTerms?.();
  const indexed = groups !== undefined;
  if (groups) {
    for (const g of groups) {
      if (!termSelects(g.term as Term, g.ns, pod)) continue;
      for (const v of g.domains.keys()) st.existingAnti.add(`${g.term.topologyKey}=${v}`);
    }
  }
  // Without terms of its own, only nodes holding pods with terms can matter (symmetry).
  for (const node of needScan ? s.allNodes : s.affinityNodes) {
    const labels = node.labels;
    if (needScan && node.pods.size) {
      // Required terms with one matchLabels pair in the pod's own namespace count from the node's
      // label index; only other terms need the scan over the node's pods.
      for (let i = 0; i < req.length; i++) { const f = fast.reqKeys[i]; if (f === undefined) continue; const n = countLabel(node, f); const v = labels[req[i].topologyKey]; if (n) { st.anyAffinityMatch[i] = true; if (v !== undefined) bump(st.affinityCounts[i], v, n); } }
      for (let i = 0; i < anti.length; i++) { const f = fast.antiKeys[i]; if (f === undefined) continue; const n = countLabel(node, f); const v = labels[anti[i].topologyKey]; if (n && v !== undefined) bump(st.antiCounts[i], v, n); }
      if (fast.scan) for (const pi of node.pods.values()) {
        const p = pi.pod;
        for (let i = 0; i < req.length; i++) { const t = req[i]; if (!fast.req[i] && termSelects(t, ns, p)) { st.anyAffinityMatch[i] = true; const v = labels[t.topologyKey]; if (v !== undefined) bump(st.affinityCounts[i], v, 1); } }
        for (let i = 0; i < anti.length; i++) { const t = anti[i]; if (!fast.anti[i] && termSelects(t, ns, p)) { const v = labels[t.topologyKey]; if (v !== undefined) bump(st.antiCounts[i], v, 1); } }
        for (const w of prefA) if (termSelects(w.podAffinityTerm, ns, p)) { const v = labels[w.podAffinityTerm.topologyKey]; if (v !== undefined) bump(st.preferred, `${w.podAffinityTerm.topologyKey}=${v}`, w.weight); }
        for (const w of prefAnti) if (termSelects(w.podAffinityTerm, ns, p)) { const v = labels[w.podAffinityTerm.topologyKey]; if (v !== undefined) bump(st.preferred, `${w.podAffinityTerm.topologyKey}=${v}`, -w.weight); }
      }
    }
    for (const pi of node.podsWithAffinity) {
      if (indexed && !pi.hasPreferredTerms) continue;
      const ea = affinity(pi.pod);
      const ens = pi.pod.metadata.namespace ?? '';
      if (!indexed) for (const t of ea.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const v = labels[t.topologyKey];
        if (v !== undefined && termSelects(t, ens, pod)) st.existingAnti.add(`${t.topologyKey}=${v}`);
      }
      for (const w of ea.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        const v = labels[w.podAffinityTerm.topologyKey];
        if (v !== undefined && termSelects(w.podAffinityTerm, ens, pod)) bump(st.preferred, `${w.podAffinityTerm.topologyKey}=${v}`, w.weight);
      }
      for (const w of ea.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        const v = labels[w.podAffinityTerm.topologyKey];
        if (v !== undefined && termSelects(w.podAffinityTerm, ens, pod)) bump(st.preferred, `${w.podAffinityTerm.topologyKey}=${v}`, -w.weight);
      }
    }
  }
  s.data.set('InterPodAffinity', st);
  return st;
}

export const interPodAffinityPlugin: Plugin = {
  name: 'InterPodAffinity',
  weight: 2,
  filter(s, node) {
    const st = compute(s);
    const a = affinity(s.pod);
    const ns = s.pod.metadata.namespace ?? '';
    const req = a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (let i = 0; i < req.length; i++) {
      const v = node.labels[req[i].topologyKey];
      const ok = v !== undefined && (st.affinityCounts[i].get(v) ?? 0) > 0;
      // No pod anywhere matches and the pod matches its own term: it may start the group.
      const first = !st.anyAffinityMatch.some(Boolean) && req.every((t) => termSelects(t, ns, s.pod)) && v !== undefined;
      if (!ok && !first) return unresolvable("node(s) didn't match pod affinity rules");
    }
    const anti = a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (let i = 0; i < anti.length; i++) {
      const v = node.labels[anti[i].topologyKey];
      if (v !== undefined && (st.antiCounts[i].get(v) ?? 0) > 0) return unschedulable("node(s) didn't match pod anti-affinity rules");
    }
    if (st.existingAnti.size) {
      for (const [k, v] of Object.entries(node.labels)) if (st.existingAnti.has(`${k}=${v}`)) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    }
    return undefined;
  },
  score(s, node) {
    const st = compute(s);
    if (st.preferred.size === 0) return 0;
    let total = 0;
    for (const [k, v] of Object.entries(node.labels)) total += st.preferred.get(`${k}=${v}`) ?? 0;
    return total;
  },
  normalize(_s, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) { min = Math.min(min, v); max = Math.max(max, v); }
    if (!(max > min)) { scores.fill(0); return; }
    for (let i = 0; i < scores.length; i++) scores[i] = Math.floor((100 * (scores[i] - min)) / (max - min));
  },
};
