/**
 * One Job sync decided without I/O (job_controller.go syncJob + manageJob +
 * trackJobStatusAndRemoveFinalizers, 1.32 with JobPodReplacementPolicy and JobManagedBy on):
 * which finished pods to record and release, whether the Job has failed (backoffLimit,
 * activeDeadlineSeconds) or succeeded, which pods to delete, how many (which indexes) to
 * create, and the status to write afterwards.
 */
import type { KubeObject } from '../../api/types.js';
import type { EventType } from '../../client/events.js';
import { compareForDeletion, isPodActive } from '../util/pods.js';
import { matchPodFailurePolicy, type PodFailurePolicy } from './pod-failure-policy.js';
import {
  BACKOFF_LIMIT, COMPLETIONS, DEADLINE, JOB_TRACKING_FINALIZER, countReady, findCondition, formatIndexes, isPodFailedForJob,
  isPodSucceeded, isPodTerminating, jobSpec, jobStatus, msUntilDeadline, newCondition, parseIndexes, pastBackoffLimitOnFailure,
  pendingIndexes, podIndex, rfc3339, wantActive, withCondition, type JobCondition, type JobStatus,
} from './status.js';

export interface JobPlanInput {
  job: KubeObject;
  /** Pods controlled by the Job. */
  pods: KubeObject[];
  now: number;
  /** Pods whose finalizer was already removed (the cache may not show it yet). */
  skipUids: ReadonlySet<string>;
}

export interface JobEvent { type: EventType; reason: string; message: string }

export interface JobPlan {
  /** Write `intermediate` before removing finalizers (new uncounted pods or completed indexes). */
  flushFirst: boolean;
  intermediate: Record<string, unknown>;
  removeFinalizers: KubeObject[];
  toDelete: KubeObject[];
  /** NonIndexed: pods to create. */
  create: number;
  /** Indexed: the indexes to create pods for. */
  createIndexes?: number[];
  /** The status once this round's finalizers are gone and `activeDelta` pods were created (+) / deleted (−). */
  finalStatus(activeDelta: number): Record<string, unknown>;
  events: JobEvent[];
  requeueAfterMs?: number;
  /** Pods counted as succeeded / failed for the first time in this round (for the pod failure backoff). */
  newlySucceeded: KubeObject[];
  newlyFailed: KubeObject[];
}

const hasFinalizer = (p: KubeObject): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Deep equality that ignores key order (the stored status may come back reordered). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function compact(s: JobStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!out[k]) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v === undefined || v === '') delete out[k];
  return out;
}

export function planJob(input: JobPlanInput): JobPlan {
  const { job, pods, now, skipUids } = input;
  const spec = jobSpec(job);
  const st: JobStatus = structuredClone(jobStatus(job));
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? undefined;
  const policy = (job.spec as { podFailurePolicy?: PodFailurePolicy } | undefined)?.podFailurePolicy;
  const uncSucc = new Set(st.uncountedTerminatedPods?.succeeded ?? []);
  const uncFail = new Set(st.uncountedTerminatedPods?.failed ?? []);
  const succIdx = indexed ? parseIndexes(st.completedIndexes, completions ?? 0) : new Set<number>();
  const prevIdx = succIdx.size;
  const removeFinalizers: KubeObject[] = [];
  const newlySucceeded: KubeObject[] = [];
  const newlyFailed: KubeObject[] = [];
  let flush = false;

  for (const pod of pods) {
    const uid = pod.metadata.uid as string;
    if (!hasFinalizer(pod) || skipUids.has(uid)) continue;
    if (isPodSucceeded(pod)) {
      if (indexed) {
        const ix = podIndex(pod, completions ?? 0);
        if (ix !== undefined && !succIdx.has(ix)) { succIdx.add(ix); newlySucceeded.push(pod); }
      } else if (!uncSucc.has(uid) && !uncFail.has(uid)) {
        uncSucc.add(uid);
        newlySucceeded.push(pod);
        flush = true;
      }
      removeFinalizers.push(pod);
    } else if (isPodFailedForJob(pod)) {
      // A failure the pod failure policy ignores is released without being counted.
      const counts = matchPodFailurePolicy(policy, pod).countFailed;
      if (counts && !uncSucc.has(uid) && !uncFail.has(uid)) { uncFail.add(uid); newlyFailed.push(pod); flush = true; }
      removeFinalizers.push(pod);
    }
  }
  // getFailJobMessage: a failed pod matching a FailJob rule fails the Job.
  let failJobMessage: string | undefined;
  for (const pod of pods) {
    if (failJobMessage || !policy || (pod.status as { phase?: string } | undefined)?.phase !== 'Failed') continue;
    failJobMessage = matchPodFailurePolicy(policy, pod).failJobMessage;
  }
  if (succIdx.size !== prevIdx) flush = true;

  const events: JobEvent[] = [];
  const active = pods.filter(isPodActive);
  const terminating = pods.filter(isPodTerminating);
  const succeeded = indexed ? succIdx.size : (st.succeeded ?? 0) + uncSucc.size;
  const failed = (st.failed ?? 0) + uncFail.size;
  let conditions = st.conditions;

  // The Suspended condition and startTime (a resumed Job starts its deadline again).
  if (spec.suspend) {
    if (!findCondition(st, 'Suspended')) {
      conditions = withCondition(conditions, newCondition('Suspended', 'JobSuspended', 'Job suspended', now));
      events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    }
  } else {
    if (findCondition(st, 'Suspended')) {
      conditions = withCondition(conditions, { ...newCondition('Suspended', 'JobResumed', 'Job resumed', now), status: 'False' });
      events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
      st.startTime = rfc3339(now);
    }
    st.startTime ??= rfc3339(now);
  }
  const withStart = { ...job, status: st } as KubeObject;

  let failureTarget: JobCondition | undefined = findCondition(st, 'FailureTarget');
  let successMet: JobCondition | undefined = findCondition(st, 'SuccessCriteriaMet');
  let requeueAfterMs: number | undefined;
  if (!failureTarget && !successMet) {
    const left = spec.suspend ? undefined : msUntilDeadline(withStart, now);
    const complete = indexed ? succIdx.size >= (completions ?? 0)
      : completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    if (failJobMessage) {
      failureTarget = newCondition('FailureTarget', 'PodFailurePolicy', failJobMessage, now);
    } else if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, active)) {
      failureTarget = newCondition('FailureTarget', BACKOFF_LIMIT.reason, BACKOFF_LIMIT.message, now);
    } else if (left !== undefined && left <= 0) {
      failureTarget = newCondition('FailureTarget', DEADLINE.reason, DEADLINE.message, now);
    } else if (complete) {
      successMet = newCondition('SuccessCriteriaMet', COMPLETIONS.reason, COMPLETIONS.message, now);
    } else if (left !== undefined) {
      requeueAfterMs = left + 10;
    }
    if (failureTarget) conditions = withCondition(conditions, failureTarget);
    if (successMet) conditions = withCondition(conditions, successMet);
  }

  let toDelete: KubeObject[] = [];
  let create = 0;
  let createIndexes: number[] | undefined;
  if (failureTarget || successMet || spec.suspend) {
    toDelete = active;
  } else {
    let keep = active;
    if (indexed) {
      // Active pods with no valid index, an index already completed, or a duplicate index go.
      const seen = new Set<number>();
      keep = [];
      for (const p of active) {
        const ix = podIndex(p, completions ?? 0);
        if (ix === undefined || succIdx.has(ix) || seen.has(ix)) toDelete.push(p);
        else { seen.add(ix); keep.push(p); }
      }
    }
    const want = wantActive(spec, succeeded, keep.length);
    if (keep.length > want) {
      toDelete.push(...[...keep].sort((a, b) => compareForDeletion(a, b)).slice(0, keep.length - want));
    } else {
      const occupied = keep.length + (spec.podReplacementPolicy === 'Failed' ? terminating.length : 0);
      create = Math.max(0, want - occupied);
      if (indexed) {
        const held = new Set(keep.map((p) => podIndex(p, completions ?? 0) as number));
        if (spec.podReplacementPolicy === 'Failed') for (const p of terminating) { const ix = podIndex(p, completions ?? 0); if (ix !== undefined) held.add(ix); }
        createIndexes = pendingIndexes(create, completions ?? 0, succIdx, held);
        create = createIndexes.length;
      }
    }
  }

  const removedUids = new Set([...removeFinalizers, ...pods.filter((p) => !hasFinalizer(p) || skipUids.has(p.metadata.uid as string))].map((p) => p.metadata.uid as string));
  const live = new Set(pods.map((p) => p.metadata.uid as string));
  const intermediate = compact({
    ...st, conditions,
    uncountedTerminatedPods: { ...(uncSucc.size ? { succeeded: [...uncSucc] } : {}), ...(uncFail.size ? { failed: [...uncFail] } : {}) },
    ...(indexed ? { completedIndexes: formatIndexes(succIdx), succeeded } : {}),
  });

  const finalStatus = (activeDelta: number): Record<string, unknown> => {
    // Uncounted pods whose finalizer is gone (or that are gone) move to the counters.
    const stillS = [...uncSucc].filter((u) => live.has(u) && !removedUids.has(u));
    const stillF = [...uncFail].filter((u) => live.has(u) && !removedUids.has(u));
    const deletedNow = Math.max(0, -activeDelta);
    const activeNow = Math.max(0, active.length + activeDelta);
    const terminatingNow = terminating.length + deletedNow;
    const s: JobStatus = {
      ...st, conditions,
      active: activeNow,
      succeeded: indexed ? succeeded : (st.succeeded ?? 0) + uncSucc.size - stillS.length,
      failed: (st.failed ?? 0) + uncFail.size - stillF.length,
      terminating: terminatingNow,
      ready: countReady(active.filter((p) => !toDelete.includes(p))),
      uncountedTerminatedPods: { ...(stillS.length ? { succeeded: stillS } : {}), ...(stillF.length ? { failed: stillF } : {}) },
    };
    if (indexed) s.completedIndexes = formatIndexes(succIdx);
    const pendingFinalizers = pods.some((p) => hasFinalizer(p) && !removedUids.has(p.metadata.uid as string) && !isPodActive(p));
    const settled = activeNow === 0 && terminatingNow === 0 && deletedNow === 0 && !stillS.length && !stillF.length && !pendingFinalizers;
    if (settled && failureTarget && !findCondition(st, 'Failed')) {
      s.conditions = withCondition(s.conditions, newCondition('Failed', failureTarget.reason as string, failureTarget.message as string, now));
      events.push({ type: 'Warning', reason: failureTarget.reason as string, message: failureTarget.message as string });
    } else if (settled && successMet && !findCondition(st, 'Complete')) {
      s.conditions = withCondition(s.conditions, newCondition('Complete', COMPLETIONS.reason, COMPLETIONS.message, now));
      s.completionTime = rfc3339(now);
      events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
    }
    return compact(s);
  };

  return { flushFirst: flush, intermediate, removeFinalizers, toDelete, create, createIndexes, finalStatus, events, requeueAfterMs, newlySucceeded, newlyFailed };
}
