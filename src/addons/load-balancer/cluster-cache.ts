/**
 * The controller's informers (Services, Ingresses, IngressClasses, IngressClassParams,
 * EndpointSlices, Pods, Nodes, TargetGroupBindings) and the lookups the reconcilers make from
 * them, kept as indexes so a sync costs O(its own objects).
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { Informer, objectKey } from '../../client/informer.js';
import { InformerLease, sharedInformersFor } from '../../client/shared-informers.js';
import type { Clock } from '../../util/clock.js';
import { INGRESS_CLASS_PARAMS, TARGET_GROUP_BINDINGS } from './crds.js';
import type { ClusterView } from './targets.js';

export const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const ENDPOINTSLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true };
export const INGRESSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true };
export const INGRESS_CLASSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', namespaced: false };
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** A map of sets keyed by a string, for secondary indexes. */
class Index {
  private readonly m = new Map<string, Set<string>>();
  add(k: string, v: string): void {
    let s = this.m.get(k);
    if (!s) this.m.set(k, (s = new Set()));
    s.add(v);
  }
  remove(k: string, v: string): void {
    const s = this.m.get(k);
    if (!s) return;
    s.delete(v);
    if (s.size === 0) this.m.delete(k);
  }
  get(k: string): string[] {
    return [...(this.m.get(k) ?? [])];
  }
}

export class ClusterCache implements ClusterView {
  readonly services: Informer;
  readonly ingresses: Informer;
  readonly ingressClasses: Informer;
  readonly ingressClassParams: Informer;
  readonly slices: Informer;
  readonly pods: InformerLease;
  readonly nodeInformer: InformerLease;
  readonly bindings: Informer;
  private readonly slicesByService = new Index();
  private readonly podsByNamespace = new Index();

  constructor(client: ApiClient, clock: Clock) {
    const inf = (ref: ResourceRef): Informer => new Informer({ client, ref, clock });
    this.services = inf(SERVICES);
    this.ingresses = inf(INGRESSES);
    this.ingressClasses = inf(INGRESS_CLASSES);
    this.ingressClassParams = inf(INGRESS_CLASS_PARAMS);
    this.slices = inf(ENDPOINTSLICES);
    // Pods and nodes are the big caches: the cluster's shared ones (handlers leave with the add-on).
    const shared = sharedInformersFor(client, clock);
    this.pods = new InformerLease(shared.informerFor({ ref: PODS }));
    this.nodeInformer = new InformerLease(shared.informerFor({ ref: NODES }));
    this.bindings = inf(TARGET_GROUP_BINDINGS);
    const sliceKey = (s: KubeObject): string => `${s.metadata.namespace}/${s.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
    this.slices.addHandlers({
      add: (s) => this.slicesByService.add(sliceKey(s), objectKey(s)),
      update: (o, s) => { this.slicesByService.remove(sliceKey(o), objectKey(o)); this.slicesByService.add(sliceKey(s), objectKey(s)); },
      delete: (s) => this.slicesByService.remove(sliceKey(s), objectKey(s)),
    });
    this.pods.addHandlers({
      add: (p) => this.podsByNamespace.add(p.metadata.namespace ?? '', objectKey(p)),
      delete: (p) => this.podsByNamespace.remove(p.metadata.namespace ?? '', objectKey(p)),
    });
  }

  all(): Array<Informer | InformerLease> {
    return [this.services, this.ingresses, this.ingressClasses, this.ingressClassParams, this.slices, this.pods, this.nodeInformer, this.bindings];
  }

  start(): void {
    for (const i of this.all()) i.start();
  }

  stop(): void {
    for (const i of this.all()) i.stop();
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.all().map((i) => i.waitForSync()));
  }

  slicesOf(namespace: string, service: string): KubeObject[] {
    return this.slicesByService.get(`${namespace}/${service}`).map((k) => this.slices.get(k)).filter((s): s is KubeObject => !!s);
  }

  podsIn(namespace: string): KubeObject[] {
    return this.podsByNamespace.get(namespace).map((k) => this.pods.get(k)).filter((p): p is KubeObject => !!p);
  }

  nodes(): KubeObject[] {
    return this.nodeInformer.list();
  }

  service(namespace: string, name: string): KubeObject | undefined {
    return this.services.get(`${namespace}/${name}`);
  }
}
