/**
 * FailedScheduling wording, as kube-scheduler's FitError.Error() (pkg/scheduler/framework/types.go):
 * "0/N nodes are available: <count reason, …sorted>." followed by the PostFilter (preemption)
 * message " preemption: 0/N nodes are available: <…>." — preemption's own FitError text already
 * ends in a period, so upstream prints two ("…for incoming pod.."); we keep that byte-for-byte.
 * The same holds for "preemption: not eligible due to preemptionPolicy=Never.." .
 */
import type { FilterFailure } from './framework.js';
import { NO_VICTIMS_REASON, NOT_ELIGIBLE_NEVER, NOT_HELPFUL_REASON } from './preemption.js';

export const NO_VICTIMS = NO_VICTIMS_REASON;
export const NOT_HELPFUL = NOT_HELPFUL_REASON;

function histogram(failures: Iterable<FilterFailure>): string {
  const counts = new Map<string, number>();
  for (const f of failures) for (const r of f.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/** FitError.Error(): "0/N nodes are available: <histogram>." (+ " <postFilter>."). */
export function fitErrorMessage(numNodes: number, failures: FilterFailure[], postFilter?: string): string {
  let msg = `0/${numNodes} nodes are available:`;
  const h = histogram(failures);
  if (h) msg += ` ${h}.`;
  if (postFilter) msg += ` ${postFilter}.`;
  return msg;
}

/**
 * The message of a pod that fits no node. `postFilter` is preemption's message ("preemption: …");
 * null when preemption succeeded (upstream then prints no PostFilter part). Left undefined, the
 * message is what DefaultPreemption reports when no node holds lower-priority pods: resolvable
 * nodes "No preemption victims found", the others "Preemption is not helpful" (or the Never text).
 */
export function failedSchedulingMessage(numNodes: number, failures: FilterFailure[], postFilter?: string | null, preemptionPolicy?: string): string {
  let post = postFilter ?? undefined;
  if (postFilter === undefined) {
    post = preemptionPolicy === 'Never' ? `preemption: ${NOT_ELIGIBLE_NEVER}`
      : `preemption: ${fitErrorMessage(numNodes, failures.map((f) => ({ code: f.code, reasons: [f.code === 'Unschedulable' ? NO_VICTIMS : NOT_HELPFUL] })))}`;
  }
  return fitErrorMessage(numNodes, failures, post);
}
