/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): creates a Job for
 * each schedule time (in spec.timeZone), at most the most recent missed one, not when later than
 * startingDeadlineSeconds; concurrencyPolicy Allow/Forbid/Replace; suspend; keeps status.active,
 * lastScheduleTime and lastSuccessfulTime; deletes finished Jobs beyond the history limits; and
 * requeues itself for the next schedule time through the injected clock.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { JOBS } from '../job/controller.js';
import { findCondition, jobStatus, rfc3339 } from '../job/status.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { controllerOf } from '../util/owner-refs.js';
import { keyOf, withKind } from '../util/resources.js';
import { isValidTimeZone, parseSchedule, type Schedule } from './cron.js';
import { cronSpec, jobFromTemplate, jobName, mostRecentScheduleTime, msUntilNext, rfc1123z, type CronJobStatus, type ObjectRef } from './schedule.js';

export const CRONJOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true };

export interface CronJobControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

function finishedType(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const s = jobStatus(job);
  return findCondition(s, 'Complete') ? 'Complete' : findCondition(s, 'Failed') ? 'Failed' : undefined;
}

function refOf(job: KubeObject): ObjectRef {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

export class CronJobController {
  readonly cronInformer: Informer;
  readonly jobInformer: Informer;
  private readonly o: CronJobControllerOptions;
  private readonly queue: WorkQueue<string>;
  /** Jobs by the uid of the CronJob that controls them. */
  private readonly jobsByOwner = new Map<string, Map<string, KubeObject>>();
  private readonly recorder: EventRecorder;
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: CronJobControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'cronjob-controller' });
    this.cronInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: CRONJOBS });
    this.jobInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: JOBS });
    this.cronInformer.addHandlers({
      add: (cj) => this.queue.add(objectKey(cj)),
      update: (_o, cj) => this.queue.add(objectKey(cj)),
    });
    this.jobInformer.addHandlers({
      add: (j) => this.jobChanged(undefined, j),
      update: (old, j) => this.jobChanged(old, j),
      delete: (j) => this.jobChanged(j, undefined),
    });
  }

  start(): void {
    this.cronInformer.start();
    this.jobInformer.start();
    this.running = this.life.afterSync([this.cronInformer, this.jobInformer], () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.cronInformer.stop();
    this.jobInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  private jobChanged(old: KubeObject | undefined, job: KubeObject | undefined): void {
    for (const [o, add] of [[old, false], [job, true]] as const) {
      if (!o) continue;
      const ref = controllerOf(o);
      if (!ref || ref.kind !== 'CronJob') continue;
      let m = this.jobsByOwner.get(ref.uid);
      if (add) {
        if (!m) { m = new Map(); this.jobsByOwner.set(ref.uid, m); }
        m.set(objectKey(o), o);
      } else {
        m?.delete(objectKey(o));
        if (m?.size === 0) this.jobsByOwner.delete(ref.uid);
      }
      const key = keyOf(o.metadata.namespace, ref.name);
      if (this.cronInformer.get(key)?.metadata.uid === ref.uid) this.queue.add(key);
    }
  }

  /** sync: syncCronJob, cleanupFinishedJobs, one status update, requeue for the next time. */
  async sync(key: string): Promise<void> {
    const cached = this.cronInformer.get(key);
    if (!cached) return;
    const cj = withKind(structuredClone(cached), 'batch/v1', 'CronJob');
    const status: CronJobStatus = (cj.status ?? {}) as CronJobStatus;
    cj.status = status as Record<string, unknown>;
    const before = JSON.stringify(tidy(status));
    const jobs = [...(this.jobsByOwner.get(cj.metadata.uid as string)?.values() ?? [])];
    const requeue = await this.syncCronJob(cj, status, jobs);
    await this.cleanupFinishedJobs(cj, status, jobs);
    if (JSON.stringify(tidy(status)) !== before) {
      try {
        await this.o.client.update(CRONJOBS, cj.metadata.namespace as string, { ...cached, status: tidy(status) as Record<string, unknown> }, 'status');
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return;
      }
    }
    if (requeue !== undefined) this.queue.addAfter(key, requeue);
  }

  private async syncCronJob(cj: KubeObject, status: CronJobStatus, jobs: KubeObject[]): Promise<number | undefined> {
    const now = this.o.clock.now();
    const active = (status.active ??= []);
    const childUids = new Set<string>();
    let fresh: KubeObject | undefined;
    for (const j of jobs) {
      childUids.add(j.metadata.uid as string);
      const inActive = active.some((r) => r.uid === j.metadata.uid);
      const fin = finishedType(j);
      if (!inActive && !fin) {
        // The cache may predate our own status write: ask the API before complaining (as upstream).
        fresh ??= await this.o.client.get(CRONJOBS, cj.metadata.namespace as string, cj.metadata.name as string).catch(() => cj);
        if (((fresh.status ?? {}) as CronJobStatus).active?.some((r) => r.uid === j.metadata.uid)) throw new Error(`cronjob ${cj.metadata.name}: cache behind the API, retrying`);
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inActive && fin) {
        status.active = status.active?.filter((r) => r.uid !== j.metadata.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${fin}`);
      }
      if (fin === 'Complete') {
        const done = jobStatus(j).completionTime;
        if (done && (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = done;
      }
    }
    for (const r of [...(status.active ?? [])]) {
      if (r.uid && childUids.has(r.uid)) continue;
      try {
        await this.o.client.get(JOBS, r.namespace ?? (cj.metadata.namespace as string), r.name ?? '');
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
        status.active = status.active?.filter((x) => x.uid !== r.uid);
      }
    }
    if (cj.metadata.deletionTimestamp) return undefined;
    const spec = cronSpec(cj);
    if (spec.timeZone && !isValidTimeZone(spec.timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": unknown time zone ${spec.timeZone}`);
      return undefined;
    }
    if (spec.suspend) return undefined;
    let sched: Schedule;
    try {
      sched = parseSchedule(spec.schedule ?? '', spec.timeZone ?? 'UTC');
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${(e as Error).message}`);
      return undefined;
    }
    const recent = mostRecentScheduleTime(cj, sched, now, true);
    if (recent.missed > 100) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const next = (): number | undefined => msUntilNext(cj, sched, now);
    const scheduled = recent.time;
    if (scheduled === undefined) return next();
    const sds = spec.startingDeadlineSeconds;
    if (sds !== undefined && sds !== null && scheduled + sds * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return next();
    }
    const name = jobName(cj, scheduled);
    if ((status.active ?? []).some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) return next();
    if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return next();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const r of [...(status.active ?? [])]) {
        const job = jobs.find((j) => j.metadata.uid === r.uid);
        if (job) await this.deleteJob(cj, status, job);
      }
    }
    let created: KubeObject;
    let exists = false;
    try {
      created = await this.o.client.create(JOBS, cj.metadata.namespace as string, jobFromTemplate(cj, scheduled));
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
      exists = true;
      created = await this.o.client.get(JOBS, cj.metadata.namespace as string, name);
    }
    if (!exists) this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    if (!exists || (controllerOf(created)?.uid === cj.metadata.uid && !finishedType(created))) {
      if (!(status.active ?? []).some((r) => r.uid === created.metadata.uid)) (status.active ??= []).push(refOf(created));
    }
    status.lastScheduleTime = rfc3339(scheduled);
    return msUntilNext(cj, sched, now);
  }

  /** deleteJob: background deletion, SuccessfulDelete, and out of the active list. */
  private async deleteJob(cj: KubeObject, status: CronJobStatus, job: KubeObject): Promise<void> {
    try {
      await this.o.client.delete(JOBS, job.metadata.namespace as string, job.metadata.name as string, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
        throw e;
      }
    }
    status.active = status.active?.filter((r) => r.uid !== job.metadata.uid);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
  }

  /** cleanupFinishedJobs: keep the newest successful/failed Jobs up to the history limits (by start time). */
  private async cleanupFinishedJobs(cj: KubeObject, status: CronJobStatus, jobs: KubeObject[]): Promise<void> {
    const spec = cronSpec(cj);
    const limits: Array<['Complete' | 'Failed', number | undefined]> = [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]];
    for (const [type, limit] of limits) {
      if (limit === undefined || limit === null) continue;
      const done = jobs.filter((j) => finishedType(j) === type && !j.metadata.deletionTimestamp);
      if (done.length <= limit) continue;
      const start = (j: KubeObject): number => Date.parse(jobStatus(j).startTime ?? '') || Number.MAX_SAFE_INTEGER;
      done.sort((a, b) => start(a) - start(b) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
      for (const j of done.slice(0, done.length - limit)) await this.deleteJob(cj, status, j);
    }
  }
}

/** The status as written: an empty active list is omitted (omitempty). */
function tidy(s: CronJobStatus): CronJobStatus {
  const out = { ...s };
  if (!out.active?.length) delete out.active;
  return out;
}
