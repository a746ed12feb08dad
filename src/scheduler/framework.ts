/**
 * The scheduling framework's shapes (pkg/scheduler/framework): plugins with PreFilter/Filter/
 * PreScore/Score/NormalizeScore extension points, a per-cycle state, and filter statuses whose
 * codes decide what preemption could do (Unschedulable: maybe, by removing pods;
 * UnschedulableAndUnresolvable: no).
 */
import type { KubeObject } from '../api/types.js';
import type { NodeInfo, PodInfo } from './node-info.js';

export const MAX_NODE_SCORE = 100;

export type FailureCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterFailure {
  code: FailureCode;
  /** Reasons as upstream words them (one node can fail several, e.g. Insufficient cpu and memory). */
  reasons: string[];
}

export function unschedulable(...reasons: string[]): FilterFailure {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): FilterFailure {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** Everything one scheduling attempt computes once and its plugins share. */
export interface CycleState {
  pod: KubeObject;
  podInfo: PodInfo;
  /** Every node in the snapshot (some plugins count pods across all of them). */
  allNodes: NodeInfo[];
  /** Pods per controller owner uid, per node name (kept by the cache; default topology spreading). */
  ownerCounts(ownerUid: string): ReadonlyMap<string, number> | undefined;
  /** Pods per controller owner uid, per zone. */
  ownerZoneCounts(ownerUid: string): ReadonlyMap<string, number> | undefined;
  /** Values of a node label with the number of nodes carrying each (kept by the cache). */
  domains(labelKey: string): ReadonlyMap<string, number> | undefined;
  /** Nodes that hold pods with (anti-)affinity terms. */
  affinityNodes: ReadonlySet<NodeInfo>;
  /**
   * Existing pods' required anti-affinity terms grouped by (namespace, term), each with the
   * topology values their pods occupy (kept by the cache; symmetry check without a pod scan).
   * Absent: the plugin scans the pods with affinity instead.
   */
  existingAntiTerms?: () => Iterable<AntiTermGroup>;
  /** Look up a node by name. */
  nodeByName(name: string): NodeInfo | undefined;
  data: Map<string, unknown>;
}

export interface AntiTermGroup {
  /** The term as declared (a PodAffinityTerm). */
  term: { topologyKey: string; labelSelector?: unknown; namespaces?: string[]; namespaceSelector?: unknown };
  /** Namespace of the pods declaring it. */
  ns: string;
  /** Topology value → pods declaring the term there. */
  domains: Map<string, number>;
}

export interface Plugin {
  name: string;
  /** Score weight (default plugin weights of kube-scheduler 1.32). */
  weight?: number;
  preFilter?(s: CycleState): FilterFailure | undefined;
  filter?(s: CycleState, node: NodeInfo): FilterFailure | undefined;
  preScore?(s: CycleState, feasible: NodeInfo[]): void;
  score?(s: CycleState, node: NodeInfo): number;
  /** Rescales raw scores (index-aligned with the feasible nodes) into 0..MAX_NODE_SCORE. */
  normalize?(s: CycleState, scores: number[]): void;
}

/** Scales so the highest score becomes MAX_NODE_SCORE (reverse: the lowest), as helper.DefaultNormalizeScore. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const v of scores) max = Math.max(max, v);
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const v = Math.floor((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - v : v;
  }
}
