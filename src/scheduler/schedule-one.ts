/**
 * One scheduling decision (pkg/scheduler/schedule_one.go findNodesThatFitPod + prioritizeNodes):
 * run the filters over nodes starting at a rotating index until enough feasible nodes are
 * found (percentageOfNodesToScore, adaptive: 50% − nodes/125, at least 5% and 100 nodes), score
 * the feasible ones with the weighted, normalised plugin scores, and pick the best (ties broken
 * by reservoir sampling).
 */
import type { KubeObject } from '../api/types.js';
import { MAX_NODE_SCORE, type CycleState, type FilterFailure, type Plugin } from './framework.js';
import type { SchedulerCache } from './cache.js';
import { makePodInfo, type NodeInfo } from './node-info.js';

export type Decision =
  | { ok: true; node: string; evaluated: number; feasible: number }
  | { ok: false; numNodes: number; failures: FilterFailure[] };

export function numFeasibleNodesToFind(n: number): number {
  if (n < 100) return n;
  const pct = Math.max(5, 50 - Math.floor(n / 125));
  return Math.max(100, Math.floor((n * pct) / 100));
}

export class Algorithm {
  private start = 0;
  private seed = 12345;

  constructor(private readonly plugins: readonly Plugin[]) {}

  private rand(): number {
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return this.seed / 2 ** 32;
  }

  schedule(cache: SchedulerCache, key: string, pod: KubeObject): Decision {
    const nodes = cache.nodes();
    const state: CycleState = {
      pod, podInfo: makePodInfo(key, pod), allNodes: nodes, data: new Map(),
      ownerCounts: (u) => cache.ownerCounts(u), ownerZoneCounts: (u) => cache.ownerZoneCounts(u), domains: (k) => cache.domains(k), affinityNodes: cache.affinityNodes, nodeByName: (n) => cache.node(n),
    };
    const failures: FilterFailure[] = [];
    for (const p of this.plugins) {
      const f = p.preFilter?.(state);
      if (f) return { ok: false, numNodes: nodes.length, failures: nodes.map(() => f) };
    }
    const want = numFeasibleNodesToFind(nodes.length);
    const feasible: NodeInfo[] = [];
    const n = nodes.length;
    let i = 0;
    for (; i < n && feasible.length < want; i++) {
      const node = nodes[(this.start + i) % n];
      let failed: FilterFailure | undefined;
      for (const p of this.plugins) {
        if (!p.filter) continue;
        failed = p.filter(state, node);
        if (failed) break;
      }
      if (failed) failures.push(failed); else feasible.push(node);
    }
    if (n) this.start = (this.start + i) % n;
    if (feasible.length === 0) return { ok: false, numNodes: n, failures };
    if (feasible.length === 1) return { ok: true, node: feasible[0].name, evaluated: i, feasible: 1 };
    const totals = new Array<number>(feasible.length).fill(0);
    for (const p of this.plugins) {
      if (!p.score) continue;
      p.preScore?.(state, feasible);
      const scores = feasible.map((node) => p.score?.(state, node) ?? 0);
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
