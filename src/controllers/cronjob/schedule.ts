/**
 * When a CronJob should run (pkg/controller/cronjob/utils.go): the most recent unmet schedule
 * time since the last one (or creation), bounded by startingDeadlineSeconds, the requeue delay
 * to the next one (+100 ms, nextScheduleDelta), and the Job built from the template
 * (getJobFromTemplate2: `<cronjob>-<scheduled unix minutes>`, the scheduled-timestamp annotation).
 */
import type { KubeObject } from '../../api/types.js';
import { newControllerRef } from '../util/owner-refs.js';
import { formatRfc3339In, nextAfter, type Schedule } from './cron.js';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const NEXT_SCHEDULE_DELTA_MS = 100;

export interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}
export interface ObjectRef { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string }
export interface CronJobStatus { active?: ObjectRef[]; lastScheduleTime?: string; lastSuccessfulTime?: string }

export function cronSpec(cj: KubeObject): CronJobSpec {
  return (cj.spec ?? {}) as CronJobSpec;
}

export interface MostRecent {
  /** The most recent missed/due time, if any is due. */
  time?: number;
  /** How many schedule times were due (more than 100: TooManyMissedTimes). */
  missed: number;
}

/** mostRecentScheduleTime: the latest schedule time in (earliest, now]. */
export function mostRecentScheduleTime(cj: KubeObject, sched: Schedule, now: number, withDeadline: boolean): MostRecent & { earliest: number } {
  const status = (cj.status ?? {}) as CronJobStatus;
  let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  const sds = cronSpec(cj).startingDeadlineSeconds;
  if (withDeadline && sds !== undefined && sds !== null) earliest = Math.max(earliest, now - sds * 1000);
  const t1 = nextAfter(sched, earliest);
  if (t1 === undefined || t1 > now) return { earliest, missed: 0 };
  const t2 = nextAfter(sched, t1);
  if (t2 === undefined || t2 > now) return { earliest, time: t1, missed: 1 };
  // Walk the due times; after 1000 of them jump by the first interval and walk the rest.
  let last = t2;
  let missed = 2;
  let n = nextAfter(sched, t2);
  while (n !== undefined && n <= now && missed < 1000) { last = n; missed++; n = nextAfter(sched, n); }
  if (n !== undefined && n <= now) {
    const step = t2 - t1;
    missed = Math.floor((now - t1) / step) + 1;
    n = nextAfter(sched, t1 + Math.max(0, missed - 3) * step - 1000);
    for (let i = 0; n !== undefined && n <= now && i < 10_000; i++) { last = n; n = nextAfter(sched, n); }
  }
  return { earliest, time: last, missed };
}

/** nextScheduleTimeDuration: ms from now until just after the next schedule time. */
export function msUntilNext(cj: KubeObject, sched: Schedule, now: number): number | undefined {
  const r = mostRecentScheduleTime(cj, sched, now, false);
  const next = nextAfter(sched, r.time ?? r.earliest);
  if (next === undefined) return undefined;
  return Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}

/** getJobName: `<cronjob>-<unix minutes of the scheduled time>`. */
export function jobName(cj: KubeObject, scheduled: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
}

/** getJobFromTemplate2. */
export function jobFromTemplate(cj: KubeObject, scheduled: number): KubeObject {
  const spec = cronSpec(cj);
  const t = spec.jobTemplate ?? {};
  const annotations = { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: formatRfc3339In(scheduled, spec.timeZone ?? 'UTC') };
  const metadata: KubeObject['metadata'] = {
    name: jobName(cj, scheduled), namespace: cj.metadata.namespace, annotations,
    ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
  };
  if (t.metadata?.labels) metadata.labels = { ...t.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(t.spec ?? {}) };
}

/** RFC 1123 with numeric zone, as the MissSchedule event prints it (time.RFC1123Z, UTC). */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
