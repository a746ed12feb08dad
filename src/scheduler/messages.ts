/**
 * FailedScheduling wording, as kube-scheduler's FitError.Error() (pkg/scheduler/framework/types.go):
 * "0/N nodes are available: <count reason, …sorted>." followed by the PostFilter (preemption)
 * message " preemption: 0/N nodes are available: <…>." — preemption's own FitError text already
 * ends in a period, so upstream prints two ("…for incoming pod.."); we keep that byte-for-byte.
 */
import type { FilterFailure } from './framework.js';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

function histogram(failures: Iterable<FilterFailure>, reasonOf: (f: FilterFailure) => string[]): string {
  const counts = new Map<string, number>();
  for (const f of failures) for (const r of reasonOf(f)) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

function fitError(numNodes: number, failures: FilterFailure[], reasonOf: (f: FilterFailure) => string[], postFilter?: string): string {
  let msg = `0/${numNodes} nodes are available:`;
  const h = histogram(failures, reasonOf);
  if (h) msg += ` ${h}.`;
  if (postFilter) msg += ` ${postFilter}.`;
  return msg;
}

/**
 * The message of a pod that fits no node. Preemption is not implemented, so — as DefaultPreemption
 * reports when no lower-priority pods exist — every node that failed with a resolvable status
 * reports "No preemption victims found", the others "Preemption is not helpful".
 */
export function failedSchedulingMessage(numNodes: number, failures: FilterFailure[], preemptionPolicy?: string): string {
  let post: string;
  if (preemptionPolicy === 'Never') post = 'preemption: not eligible due to preemptionPolicy=Never';
  else post = `preemption: ${fitError(numNodes, failures, (f) => [f.code === 'Unschedulable' ? NO_VICTIMS : NOT_HELPFUL])}`;
  return fitError(numNodes, failures, (f) => f.reasons, post);
}
