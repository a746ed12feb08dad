/**
 * The pure parts of the Job controller (pkg/controller/job/job_controller.go, indexed_job_utils.go):
 * labels and condition types, conditions as 1.32 writes them (FailureTarget / SuccessCriteriaMet
 * before the terminal Failed / Complete, as JobPodReplacementPolicy and JobManagedBy are on),
 * the backoff checks, the number of pods wanted, and completed-index intervals ("0-2,4").
 */
import type { KubeObject } from '../../api/types.js';
import { isPodActive, isPodReady } from '../util/pods.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';
/** RFC 3339 at second precision, as metav1.Time (re-exported for this module's users). */
export { rfc3339 };

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export interface JobCondition { type: string; status: string; reason?: string; message?: string; lastProbeTime?: string; lastTransitionTime?: string }
export interface UncountedTerminatedPods { succeeded?: string[]; failed?: string[] }
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
}
export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  ttlSecondsAfterFinished?: number;
  template?: { metadata?: Record<string, unknown>; spec?: { restartPolicy?: string } & Record<string, unknown> };
}

export function jobSpec(job: KubeObject): JobSpec {
  return (job.spec ?? {}) as JobSpec;
}

export function jobStatus(job: KubeObject): JobStatus {
  return (job.status ?? {}) as JobStatus;
}

export function findCondition(status: JobStatus, type: string): JobCondition | undefined {
  return status.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** util.IsJobFinished: a Complete or Failed condition is True. */
export function isJobFinished(job: KubeObject): boolean {
  const s = jobStatus(job);
  return !!(findCondition(s, 'Complete') ?? findCondition(s, 'Failed'));
}

/** When the Job finished (its terminal condition's transition), for the TTL controller. */
export function jobFinishTime(job: KubeObject): number | undefined {
  const s = jobStatus(job);
  const c = findCondition(s, 'Complete') ?? findCondition(s, 'Failed');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? s.completionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

export function newCondition(type: string, reason: string, message: string, nowMs: number): JobCondition {
  const t = rfc3339(nowMs);
  return { type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** Adds or refreshes a True condition (ensureJobConditionStatus). Returns the new list. */
export function withCondition(list: JobCondition[] | undefined, c: JobCondition): JobCondition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) out.push(c);
  else if (out[i]!.status !== 'True' || out[i]!.reason !== c.reason || out[i]!.message !== c.message) out[i] = c;
  return out;
}

export const BACKOFF_LIMIT = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const COMPLETIONS = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

function restartPolicy(job: KubeObject): string | undefined {
  return jobSpec(job).template?.spec?.restartPolicy;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure container restarts count against the limit. */
export function pastBackoffLimitOnFailure(job: KubeObject, activePods: KubeObject[]): boolean {
  if (restartPolicy(job) !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of activePods) {
    const st = (p.status ?? {}) as { initContainerStatuses?: Array<{ restartCount?: number }>; containerStatuses?: Array<{ restartCount?: number }> };
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  const limit = jobSpec(job).backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** pastActiveDeadline: startTime + activeDeadlineSeconds has passed. Returns ms left otherwise (undefined: no deadline). */
export function msUntilDeadline(job: KubeObject, nowMs: number): number | undefined {
  const d = jobSpec(job).activeDeadlineSeconds;
  const start = Date.parse(jobStatus(job).startTime ?? '');
  if (d === undefined || Number.isNaN(start)) return undefined;
  return start + d * 1000 - nowMs;
}

/** A pod the Job counts as failed: phase Failed, or (with the finalizer) deleted before it succeeded. */
export function isPodFailedForJob(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Failed') return true;
  return phase !== 'Succeeded' && !!pod.metadata.deletionTimestamp && (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export function isPodSucceeded(pod: KubeObject): boolean {
  return (pod.status as { phase?: string } | undefined)?.phase === 'Succeeded';
}

/** Terminating: being deleted, not yet terminal (status.terminating). */
export function isPodTerminating(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function countReady(pods: KubeObject[]): number {
  return pods.filter((p) => isPodActive(p) && isPodReady(p)).length;
}

/**
 * manageJob's wantActive: suspended → 0; no completions → parallelism until one pod succeeded,
 * then keep what runs; else min(completions − succeeded, parallelism), never negative.
 */
export function wantActive(spec: JobSpec, succeeded: number, active: number): number {
  if (spec.suspend) return 0;
  const parallelism = spec.parallelism ?? 1;
  if (spec.completions === undefined || spec.completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(spec.completions - succeeded, parallelism));
}

/** The completion index a pod carries (annotation, else label), if valid for `completions`. */
export function podIndex(pod: KubeObject, completions: number): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n < completions ? n : undefined;
}

/** parseIndexesFromString: "1,3-5" → {1,3,4,5} (indexes ≥ completions dropped). */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) continue;
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/** orderedIntervals.String: sorted, consecutive runs joined "a-b", single numbers alone. */
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(j === i ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** firstPendingIndexes: the `n` lowest indexes neither succeeded nor held by an active pod. */
export function pendingIndexes(n: number, completions: number, succeeded: Set<number>, active: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < n; i++) if (!succeeded.has(i) && !active.has(i)) out.push(i);
  return out;
}
