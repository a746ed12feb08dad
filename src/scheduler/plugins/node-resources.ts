/**
 * NodeResourcesFit and NodeResourcesBalancedAllocation (pkg/scheduler/framework/plugins/noderesources):
 * the filter checks the pod count and every requested resource against allocatable minus what
 * the node's pods request; scores are LeastAllocated (cpu and memory, weight 1 each, on
 * non-zero requests) and balanced allocation (1 − standard deviation of the cpu/memory fractions).
 */
import { MAX_NODE_SCORE, unschedulable, type Plugin } from '../framework.js';

function leastAllocated(req: number, cap: number): number {
  return cap === 0 || req > cap ? 0 : ((cap - req) * MAX_NODE_SCORE) / cap;
}

function fraction(req: number, cap: number): number {
  return cap === 0 ? 1 : Math.min(1, req / cap);
}

export const nodeResourcesFitPlugin: Plugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(s, node) {
    const reasons: string[] = [];
    if (node.pods.size + 1 > node.allowedPods) reasons.push('Too many pods');
    const r = s.podInfo.requests;
    if (r.cpu > 0 && r.cpu > node.allocatable.cpu - node.requested.cpu) reasons.push('Insufficient cpu');
    if (r.memory > 0 && r.memory > node.allocatable.memory - node.requested.memory) reasons.push('Insufficient memory');
    if (r.ephemeral > 0 && r.ephemeral > node.allocatable.ephemeral - node.requested.ephemeral) reasons.push('Insufficient ephemeral-storage');
    return reasons.length ? unschedulable(...reasons) : undefined;
  },
  score(s, node) {
    const cpu = leastAllocated(node.nonZeroRequested.cpu + s.podInfo.nonZero.cpu, node.allocatable.cpu);
    const mem = leastAllocated(node.nonZeroRequested.memory + s.podInfo.nonZero.memory, node.allocatable.memory);
    return Math.floor((cpu + mem) / 2);
  },
};

export const balancedAllocationPlugin: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(s, node) {
    const c = fraction(node.requested.cpu + s.podInfo.requests.cpu, node.allocatable.cpu);
    const m = fraction(node.requested.memory + s.podInfo.requests.memory, node.allocatable.memory);
    const std = Math.abs(c - m) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
};
