/**
 * The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): every Service with
 * a selector gets an Endpoints object of the same name listing its pods (subsets.ts), with the
 * Service's labels (plus `service.kubernetes.io/headless` for headless ones), the
 * `endpoints.kubernetes.io/last-change-trigger-time` annotation, and
 * `endpoints.kubernetes.io/over-capacity: truncated` past 1000 addresses. Services without a
 * selector are left to their users; a deleted Service's Endpoints are deleted.
 *
 * Cost per sync: O(pods in the Service's namespace) to select, at most one write, none when
 * the subsets and labels are unchanged. Pod events reach only the Services selecting the pod.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { splitKey } from '../util/resources.js';
import { isHeadlessService, serviceSelector } from './pod-endpoints.js';
import { ENDPOINTS } from './refs.js';
import { ServicePodLookup } from './service-pods.js';
import { computeSubsets } from './subsets.js';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from './trigger-time.js';
import { resourceVersionOf, WrittenObjects } from './written.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';

export interface EndpointsControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class EndpointsController {
  readonly lookup: ServicePodLookup;
  readonly endpoints: Informer;
  private readonly o: EndpointsControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly written: WrittenObjects;
  private readonly triggers = new TriggerTimeTracker();
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: EndpointsControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.lookup = new ServicePodLookup({ client: opts.client, clock: opts.clock, enqueue: (k) => this.queue.add(k) });
    this.endpoints = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: ENDPOINTS });
    this.written = new WrittenObjects(this.endpoints);
    // onEndpointsDelete: a managed Endpoints removed by someone else is recreated.
    this.endpoints.addHandlers({ delete: (ep) => { this.written.forget(objectKey(ep)); this.queue.add(objectKey(ep)); } });
  }

  start(): void {
    this.lookup.start();
    this.endpoints.start();
    this.running = this.life.afterSync([this.lookup.services, this.lookup.pods, this.endpoints],
      () => runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.lookup.stop();
    this.endpoints.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** syncService. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.lookup.services.get(key);
    if (!svc) {
      this.triggers.forget(key);
      const cur = this.written.get(key);
      if (!cur) return;
      try {
        await this.o.client.delete(ENDPOINTS, namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.written.recordDelete(key, resourceVersionOf(cur));
      return;
    }
    if (!serviceSelector(svc)) return;
    const pods = this.lookup.podsFor(svc);
    const { subsets, truncated } = computeSubsets(svc, pods);
    const trigger = this.triggers.compute(key, svc, pods);
    const cur = this.written.get(key);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    delete labels[HEADLESS_LABEL];
    if (isHeadlessService(svc)) labels[HEADLESS_LABEL] = '';
    const curAnn = cur?.metadata.annotations ?? {};
    if (cur && JSON.stringify(cur.subsets ?? []) === JSON.stringify(subsets)
      && JSON.stringify(cur.metadata.labels ?? {}) === JSON.stringify(labels)
      && (curAnn[OVER_CAPACITY] === 'truncated') === truncated) return;
    const annotations: Record<string, string> = { ...curAnn };
    if (trigger) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger; else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (truncated) annotations[OVER_CAPACITY] = 'truncated'; else delete annotations[OVER_CAPACITY];
    const obj: KubeObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: {
        ...(cur?.metadata ?? {}), name, namespace, labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!Object.keys(annotations).length) delete obj.metadata.annotations;
    try {
      const out = cur ? await this.o.client.update(ENDPOINTS, namespace, obj) : await this.o.client.create(ENDPOINTS, namespace, obj);
      this.written.recordWrite(key, out);
    } catch (e) {
      // The namespace is terminating: nothing more to publish there.
      if (e instanceof ApiError && e.status === 403) return;
      if (!cur && e instanceof ApiError && e.reason === 'AlreadyExists') {
        // Our cache is behind: adopt the stored object and try again.
        this.written.recordWrite(key, await this.o.client.get(ENDPOINTS, namespace, name));
      }
      throw e;
    }
  }
}
