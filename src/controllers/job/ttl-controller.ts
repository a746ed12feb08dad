/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go):
 * a finished Job with `spec.ttlSecondsAfterFinished` is deleted (propagationPolicy Foreground,
 * uid precondition) once that many seconds have passed since its Complete/Failed condition.
 */
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { JOBS } from './controller.js';
import { isJobFinished, jobFinishTime, jobSpec } from './status.js';

export interface TtlAfterFinishedControllerOptions {
  client: ApiClient;
  clock: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class TtlAfterFinishedController {
  readonly jobInformer: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(private readonly o: TtlAfterFinishedControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: o.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.jobInformer = sharedInformersFor(o.client, o.clock).informerFor({ ref: JOBS });
    const enqueue = (j: Parameters<typeof objectKey>[0]): void => {
      if (!j.metadata.deletionTimestamp && jobSpec(j).ttlSecondsAfterFinished !== undefined && isJobFinished(j)) this.queue.add(objectKey(j));
    };
    this.jobInformer.addHandlers({ add: enqueue, update: (_o, j) => enqueue(j) });
  }

  start(): void {
    this.jobInformer.start();
    this.running = this.life.afterSync([this.jobInformer], () => runWorkers(this.queue, 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.jobInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** processJob: delete when expired, else look again when it will be. */
  async sync(key: string): Promise<void> {
    const job = this.jobInformer.get(key);
    if (!job || job.metadata.deletionTimestamp || !isJobFinished(job)) return;
    const ttl = jobSpec(job).ttlSecondsAfterFinished;
    const finished = jobFinishTime(job);
    if (ttl === undefined || finished === undefined) return;
    const left = finished + ttl * 1000 - this.o.clock.now();
    if (left > 0) { this.queue.addAfter(key, left); return; }
    try {
      await this.o.client.delete(JOBS, job.metadata.namespace as string, job.metadata.name as string, {
        propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion },
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
