/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): a Service
 * without a selector whose Endpoints are written by hand gets EndpointSlices mirroring them —
 * one port list per subset, `addresses` as ready endpoints and `notReadyAddresses` as not ready
 * (only the `ready` condition, as upstream mirrors), at most 1000 addresses per subset — labelled
 * with the Endpoints' labels plus `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`, owned by
 * the Endpoints. Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"` (the
 * API server's own `kubernetes` ones) and Services with a selector are not mirrored; mirrored
 * slices go when that stops being true.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { ENDPOINTS, ENDPOINTSLICES, SERVICES } from '../endpoints/refs.js';
import { LAST_CHANGE_TRIGGER_TIME } from '../endpoints/trigger-time.js';
import type { EndpointAddress, EndpointSubset } from '../endpoints/subsets.js';
import type { SliceEndpoint, SlicePort } from './endpoint.js';
import { planSlices, type DesiredGroup } from './reconcile.js';
import {
  deleteSlice, MANAGED_BY_LABEL, MIRRORING_CONTROLLER_NAME, SERVICE_NAME_LABEL, ServiceSlices, sliceEndpoints, slicePorts, writeSlice,
} from './slices.js';

export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** maxEndpointsPerSubset: addresses mirrored per subset. */
const MAX_PER_SUBSET = 1000;

export interface EndpointSliceMirroringOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

function toEndpoint(a: EndpointAddress, ready: boolean): SliceEndpoint {
  const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
  if (a.hostname) e.hostname = a.hostname;
  if (a.targetRef) e.targetRef = a.targetRef;
  if (a.nodeName) e.nodeName = a.nodeName;
  return e;
}

export class EndpointSliceMirroringController {
  readonly services: Informer;
  readonly endpoints: Informer;
  readonly sliceInformer: Informer;
  private readonly slices: ServiceSlices;
  private readonly o: EndpointSliceMirroringOptions;
  private readonly queue: WorkQueue<string>;
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: EndpointSliceMirroringOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    const enqueue = (o: KubeObject): void => this.queue.add(objectKey(o));
    this.services = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: SERVICES });
    this.endpoints = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: ENDPOINTS });
    this.sliceInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: ENDPOINTSLICES });
    for (const inf of [this.services, this.endpoints]) inf.addHandlers({ add: enqueue, update: (_o, n) => enqueue(n), delete: enqueue });
    this.slices = new ServiceSlices(this.sliceInformer, (k) => this.queue.add(k), MIRRORING_CONTROLLER_NAME);
  }

  start(): void {
    for (const i of [this.services, this.endpoints, this.sliceInformer]) i.start();
    this.running = this.life.afterSync([this.services, this.endpoints, this.sliceInformer],
      () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    for (const i of [this.services, this.endpoints, this.sliceInformer]) i.stop();
    this.queue.shutdown();
    await this.running;
  }

  private shouldMirror(ep: KubeObject | undefined, svc: KubeObject | undefined): ep is KubeObject {
    if (!ep || !svc || ep.metadata.labels?.[SKIP_MIRROR_LABEL] === 'true') return false;
    const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    return !sel || Object.keys(sel).length === 0;
  }

  /** syncEndpoints. */
  async sync(key: string): Promise<void> {
    const ep = this.endpoints.get(key);
    const existing = this.slices.list(key);
    if (!this.shouldMirror(ep, this.services.get(key))) {
      for (const s of existing) await deleteSlice(this.o.client, this.slices, s);
      return;
    }
    const groups: DesiredGroup[] = [];
    for (const subset of (ep.subsets as EndpointSubset[] | undefined) ?? []) {
      const ports: SlicePort[] = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      const eps = [...(subset.addresses ?? []).map((a) => toEndpoint(a, true)), ...(subset.notReadyAddresses ?? []).map((a) => toEndpoint(a, false))];
      groups.push({ ports, endpoints: eps.slice(0, MAX_PER_SUBSET) });
    }
    const plan = planSlices(groups.filter((g) => g.endpoints.length > 0), existing, ep.metadata.uid ?? '');
    const ns = ep.metadata.namespace ?? '';
    const labels = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name ?? '', [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const annotations = { ...(ep.metadata.annotations ?? {}) };
    delete annotations[LAST_CHANGE_TRIGGER_TIME];
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    const meta: KubeObject['metadata'] = {
      namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: ep.metadata.name ?? '', uid: ep.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    };
    // No placeholder for mirrored Endpoints: an empty Endpoints mirrors to no slice.
    const creates = plan.create.filter((c) => c.endpoints.length > 0);
    for (const c of creates) await writeSlice(this.o.client, this.slices, ns, null, { ...meta, generateName: `${ep.metadata.name}-` }, c.ports, c.endpoints);
    for (const u of plan.update) await writeSlice(this.o.client, this.slices, ns, u.slice, { ...u.slice.metadata, ...meta }, slicePorts(u.slice), u.endpoints);
    for (const s of plan.keep) {
      if (sliceEndpoints(s).length === 0) { await deleteSlice(this.o.client, this.slices, s); continue; }
      if (JSON.stringify(s.metadata.labels) !== JSON.stringify(labels)) await writeSlice(this.o.client, this.slices, ns, s, { ...s.metadata, labels }, slicePorts(s), sliceEndpoints(s));
    }
    for (const s of plan.delete) await deleteSlice(this.o.client, this.slices, s);
  }
}
