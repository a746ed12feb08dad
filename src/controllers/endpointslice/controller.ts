/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go with
 * k8s.io/endpointslice's reconciler): for every Service with a selector, IPv4 EndpointSlices
 * named `<service>-<random>` with the Service's labels plus `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io` (and
 * `service.kubernetes.io/headless` when headless), owned by the Service, holding at most 100
 * endpoints each with ready/serving/terminating conditions, nodeName, zone and — for
 * trafficDistribution PreferClose or topology-mode Auto — same-zone hints; the
 * `endpoints.kubernetes.io/last-change-trigger-time` annotation on written slices. Slices of a
 * deleted Service go with it through the garbage collector (owner reference).
 *
 * Cost per sync: O(pods in the Service's namespace + its slices); writes only for slices whose
 * endpoints, ports, labels or owner changed.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { type Informer } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { HEADLESS_LABEL } from '../endpoints/controller.js';
import { isHeadlessService, serviceSelector, shouldPodBeInEndpoints } from '../endpoints/pod-endpoints.js';
import { ENDPOINTSLICES, NODES } from '../endpoints/refs.js';
import { ServicePodLookup } from '../endpoints/service-pods.js';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from '../endpoints/trigger-time.js';
import { applyZoneHints, endpointPorts, podToEndpoint, wantsZoneHints, ZONE_LABEL, type SliceEndpoint } from './endpoint.js';
import { planSlices, portsKey, type DesiredGroup } from './reconcile.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, ServiceSlices, deleteSlice, sliceEndpoints, slicePorts, writeSlice } from './slices.js';

export interface EndpointSliceControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  maxEndpointsPerSlice?: number;
  onError?: (key: string, err: unknown) => void;
}

export class EndpointSliceController {
  readonly lookup: ServicePodLookup;
  readonly sliceInformer: Informer;
  readonly nodes: Informer;
  private readonly slices: ServiceSlices;
  private readonly o: EndpointSliceControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly triggers = new TriggerTimeTracker();
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: EndpointSliceControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.lookup = new ServicePodLookup({ client: opts.client, clock: opts.clock, enqueue: (k) => this.queue.add(k) });
    this.sliceInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: ENDPOINTSLICES });
    this.nodes = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: NODES });
    this.slices = new ServiceSlices(this.sliceInformer, (k) => this.queue.add(k));
  }

  start(): void {
    this.lookup.start();
    this.sliceInformer.start();
    this.nodes.start();
    this.running = this.life.afterSync([this.lookup.services, this.lookup.pods, this.sliceInformer, this.nodes],
      () => runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.lookup.stop();
    this.sliceInformer.stop();
    this.nodes.stop();
    this.queue.shutdown();
    await this.running;
  }

  private zoneOf = (node: string): string | undefined => this.nodes.get(node)?.metadata.labels?.[ZONE_LABEL];

  /** syncService. */
  async sync(key: string): Promise<void> {
    const svc = this.lookup.services.get(key);
    if (!svc) { this.triggers.forget(key); return; } // the garbage collector removes owned slices
    if (!serviceSelector(svc) || svc.metadata.deletionTimestamp) return;
    const pods = this.lookup.podsFor(svc);
    const groups = new Map<string, DesiredGroup>();
    const all: SliceEndpoint[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPorts(svc, pod);
      // A pod offering none of a ported Service's ports has no endpoint (the reconciler skips it).
      if (ports.length === 0 && ((svc.spec as { ports?: unknown[] }).ports?.length ?? 0) > 0) continue;
      const ep = podToEndpoint(pod, svc, this.zoneOf);
      const k = portsKey(ports);
      let g = groups.get(k);
      if (!g) { g = { ports, endpoints: [] }; groups.set(k, g); }
      g.endpoints.push(ep);
      all.push(ep);
    }
    if (wantsZoneHints(svc)) applyZoneHints(all);
    const existing = this.slices.list(key);
    const plan = planSlices([...groups.values()], existing, svc.metadata.uid ?? '', this.o.maxEndpointsPerSlice);
    const trigger = this.triggers.compute(key, svc, pods);
    const meta = this.sliceMeta(svc, trigger);
    const { namespace } = { namespace: svc.metadata.namespace ?? '' };
    for (const c of plan.create) await writeSlice(this.o.client, this.slices, namespace, null, { ...meta, generateName: `${svc.metadata.name}-` }, c.ports, c.endpoints);
    for (const u of plan.update) await writeSlice(this.o.client, this.slices, namespace, u.slice, { ...u.slice.metadata, ...meta }, slicePorts(u.slice), u.endpoints);
    for (const s of plan.keep) {
      // Unchanged endpoints; labels or owner may still need refreshing (service labels changed).
      if (JSON.stringify(s.metadata.labels) !== JSON.stringify(meta.labels) || JSON.stringify(s.metadata.ownerReferences) !== JSON.stringify(meta.ownerReferences)) {
        await writeSlice(this.o.client, this.slices, namespace, s, { ...s.metadata, labels: meta.labels, ownerReferences: meta.ownerReferences }, slicePorts(s), sliceEndpoints(s));
      }
    }
    for (const s of plan.delete) await deleteSlice(this.o.client, this.slices, s);
  }

  private sliceMeta(svc: KubeObject, trigger: string | undefined): KubeObject['metadata'] {
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    delete labels[HEADLESS_LABEL];
    if (isHeadlessService(svc)) labels[HEADLESS_LABEL] = '';
    labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
    return {
      namespace: svc.metadata.namespace, labels,
      ...(trigger ? { annotations: { [LAST_CHANGE_TRIGGER_TIME]: trigger } } : {}),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    };
  }
}
