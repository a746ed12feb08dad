/**
 * One scheduling decision (pkg/scheduler/schedule_one.go findNodesThatFitPod + prioritizeNodes):
 * run the filters over nodes starting at a rotating index until enough feasible nodes are
 * found (percentageOfNodesToScore, adaptive: 50% − nodes/125, at least 5% and 100 nodes), score
 * the feasible ones with the weighted, normalised plugin scores, and pick the best (ties broken
 * by reservoir sampling). A pod with status.nominatedNodeName (set by preemption) is tried on that
 * node first (evaluateNominatedNode). Pods nominated to a node with priority ≥ the incoming
 * pod's count as if already there (RunFilterPluginsWithNominatedPods), so the room preemption
 * made is kept for its preemptor.
 */
import type { KubeObject } from '../api/types.js';
import { MAX_NODE_SCORE, type CycleState, type FilterFailure, type Plugin } from './framework.js';
import type { SchedulerCache } from './cache.js';
import { makePodInfo, type NodeInfo, type PodInfo } from './node-info.js';

export type Decision =
  | { ok: true; node: string; evaluated: number; feasible: number }
  /** failures[i] is why nodes[i] failed (every node was evaluated). */
  | { ok: false; numNodes: number; failures: FilterFailure[]; nodes: NodeInfo[]; state: CycleState };

/** Pods nominated to nodes by preemption (the queue's nominator). */
export interface Nominations {
  /** Nominated pods on a node (undefined or empty when none). */
  on(node: string): Iterable<PodInfo> | undefined;
  readonly size: number;
}

export function numFeasibleNodesToFind(n: number): number {
  if (n < 100) return n;
  const pct = Math.max(5, 50 - Math.floor(n / 125));
  return Math.max(100, Math.floor((n * pct) / 100));
}

export class Algorithm {
  private start = 0;
  private seed = 12345;

  constructor(readonly plugins: readonly Plugin[]) {}

  private rand(): number {
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return this.seed / 2 ** 32;
  }

  private runFilters(state: CycleState, node: NodeInfo): FilterFailure | undefined {
    for (const p of this.plugins) {
      if (!p.filter) continue;
      const f = p.filter(state, node);
      if (f) return f;
    }
    return undefined;
  }

  /** Filters with higher-or-equal priority pods nominated to the node added (on a copy). */
  private filterNode(state: CycleState, node: NodeInfo, nominations: Nominations | undefined): FilterFailure | undefined {
    if (nominations && nominations.size) {
      const noms = nominations.on(node.name);
      if (noms) {
        let sim: NodeInfo | undefined;
        for (const pi of noms) {
          if (pi.key === state.podInfo.key || pi.priority < state.podInfo.priority) continue;
          sim ??= node.clone();
          sim.addPod(pi);
        }
        if (sim) return this.runFilters(state, sim);
      }
    }
    return this.runFilters(state, node);
  }

  schedule(cache: SchedulerCache, key: string, pod: KubeObject, nominations?: Nominations): Decision {
    const nodes = cache.nodes();
    const state: CycleState = {
      pod, podInfo: makePodInfo(key, pod), allNodes: nodes, data: new Map(),
      ownerCounts: (u) => cache.ownerCounts(u), ownerZoneCounts: (u) => cache.ownerZoneCounts(u), domains: (k) => cache.domains(k), affinityNodes: cache.affinityNodes, nodeByName: (n) => cache.node(n), existingAntiTerms: () => cache.antiTerms.values(),
    };
    const failures: FilterFailure[] = [];
    for (const p of this.plugins) {
      const f = p.preFilter?.(state);
      if (f) return { ok: false, numNodes: nodes.length, failures: nodes.map(() => f), nodes, state };
    }
    const nominated = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    const nominatedNode = nominated ? cache.node(nominated) : undefined;
    if (nominatedNode && !this.filterNode(state, nominatedNode, nominations)) return { ok: true, node: nominatedNode.name, evaluated: 1, feasible: 1 };
    const want = numFeasibleNodesToFind(nodes.length);
    const feasible: NodeInfo[] = [];
    const failedNodes: NodeInfo[] = [];
    const n = nodes.length;
    let i = 0;
    for (; i < n && feasible.length < want; i++) {
      const node = nodes[(this.start + i) % n];
      const failed = this.filterNode(state, node, nominations);
      if (failed) { failures.push(failed); failedNodes.push(node); } else feasible.push(node);
    }
    if (n) this.start = (this.start + i) % n;
    if (feasible.length === 0) return { ok: false, numNodes: n, failures, nodes: failedNodes, state };
    if (feasible.length === 1) return { ok: true, node: feasible[0].name, evaluated: i, feasible: 1 };
    const totals = new Array<number>(feasible.length).fill(0);
    const scores = new Array<number>(feasible.length);
    for (const p of this.plugins) {
      if (!p.score) continue;
      p.preScore?.(state, feasible);
      for (let k = 0; k < feasible.length; k++) scores[k] = p.score(state, feasible[k]);
      p.normalize?.(state, scores);
      const w = p.weight ?? 1;
      for (let k = 0; k < scores.length; k++) totals[k] += Math.max(0, Math.min(MAX_NODE_SCORE, scores[k])) * w;
    }
    let best = 0;
    let ties = 1;
    for (let k = 1; k < totals.length; k++) {
      if (totals[k] > totals[best]) { best = k; ties = 1; } else if (totals[k] === totals[best]) { ties++; if (this.rand() * ties < 1) best = k; }
    }
    return { ok: true, node: feasible[best].name, evaluated: i, feasible: feasible.length };
  }
}
