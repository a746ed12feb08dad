/**
 * The pod failure backoff of the Job controller (pkg/controller/job/backoff_utils.go): after
 * consecutive pod failures (no success since), replacement pods wait 10 s × 2^(failures−1),
 * at most 6 minutes, counted from the last failure's finish time.
 */
import type { KubeObject } from '../../api/types.js';

export const DEFAULT_POD_BACKOFF_MS = 10_000;
export const MAX_POD_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureTime: number }

/** When a pod finished: its containers' latest finishedAt, else its deletion time, else `fallback`. */
export function podFinishTime(pod: KubeObject, fallback: number): number {
  const st = (pod.status ?? {}) as { containerStatuses?: Array<{ state?: { terminated?: { finishedAt?: string } } }> };
  let latest = Number.NaN;
  for (const c of st.containerStatuses ?? []) {
    const t = Date.parse(c.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && !(t <= latest)) latest = t;
  }
  if (!Number.isNaN(latest)) return latest;
  const d = Date.parse(pod.metadata.deletionTimestamp ?? '');
  return Number.isNaN(d) ? fallback : d;
}

/** newBackoffRecord: a success after the last failure resets the count; failures after it add up. */
export function nextBackoffRecord(prev: BackoffRecord | undefined, succeeded: KubeObject[], failed: KubeObject[], now: number): BackoffRecord {
  let rec: BackoffRecord = prev ? { ...prev } : { failuresAfterLastSuccess: 0, lastFailureTime: 0 };
  const lastSuccess = Math.max(-Infinity, ...succeeded.map((p) => podFinishTime(p, now)));
  const failTimes = failed.map((p) => podFinishTime(p, now));
  if (succeeded.length) {
    const after = failTimes.filter((t) => t > lastSuccess);
    rec = after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: Math.max(...after) } : { failuresAfterLastSuccess: 0, lastFailureTime: 0 };
  } else if (failTimes.length) {
    rec = { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + failTimes.length, lastFailureTime: Math.max(rec.lastFailureTime, ...failTimes) };
  }
  return rec;
}

/** getRemainingTime: ms to wait before creating pods (0: go ahead). */
export function remainingBackoffMs(rec: BackoffRecord | undefined, now: number, baseMs = DEFAULT_POD_BACKOFF_MS, maxMs = MAX_POD_BACKOFF_MS): number {
  if (!rec || rec.failuresAfterLastSuccess === 0) return 0;
  const backoff = Math.min(maxMs, baseMs * 2 ** Math.min(30, rec.failuresAfterLastSuccess - 1));
  const elapsed = now - rec.lastFailureTime;
  return backoff <= elapsed ? 0 : backoff - elapsed;
}
