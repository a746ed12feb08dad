/**
 * The service ↔ pod relation both endpoint controllers watch (endpoints_controller.go
 * addPod/updatePod/deletePod → GetPodServiceMemberships): a pod event enqueues every Service of
 * its namespace whose selector matches the pod's old or new labels; a service event enqueues
 * the Service. Pod updates that cannot change endpoints (status heartbeats without IP,
 * readiness, deletion or label changes) are dropped, as podEndpointsChanged does.
 *
 * Cost per pod event: O(services in the pod's namespace).
 */
import type { KubeObject } from '../../api/types.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import type { ApiClient } from '../../client/client.js';
import type { Clock } from '../../util/clock.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { PODS } from '../util/resources.js';
import { SERVICES } from './refs.js';
import { asObj, isPodReady, podIP, serviceSelector } from './pod-endpoints.js';

export class ServicePodLookup {
  readonly services: Informer;
  readonly pods: Informer;
  private readonly servicesByNs: NamespaceIndex;
  private readonly podsByNs: NamespaceIndex;

  constructor(o: { client: ApiClient; clock: Clock; enqueue: (serviceKey: string) => void }) {
    this.services = sharedInformersFor(o.client, o.clock).informerFor({ ref: SERVICES });
    this.pods = sharedInformersFor(o.client, o.clock).informerFor({ ref: PODS });
    this.servicesByNs = new NamespaceIndex(this.services);
    this.podsByNs = new NamespaceIndex(this.pods);
    this.services.addHandlers({
      add: (s) => o.enqueue(objectKey(s)),
      update: (_old, s) => o.enqueue(objectKey(s)),
      delete: (s) => o.enqueue(objectKey(s)),
    });
    const forPod = (pod: KubeObject, old?: KubeObject): void => {
      for (const k of this.servicesFor(pod, old)) o.enqueue(k);
    };
    this.pods.addHandlers({
      add: (p) => forPod(p),
      update: (old, p) => { if (endpointRelevantChange(old, p)) forPod(p, old); },
      delete: (p) => forPod(p),
    });
  }

  start(): void {
    this.services.start();
    this.pods.start();
  }

  stop(): void {
    this.services.stop();
    this.pods.stop();
  }

  /** Keys of the Services selecting the pod (or, on a label change, its old self). */
  servicesFor(pod: KubeObject, old?: KubeObject): string[] {
    const out: string[] = [];
    for (const svc of this.servicesByNs.list(pod.metadata.namespace ?? '')) {
      const sel = serviceSelector(svc);
      if (!sel) continue;
      if (sel.matches(pod.metadata.labels ?? {}) || (old && sel.matches(old.metadata.labels ?? {}))) out.push(objectKey(svc));
    }
    return out;
  }

  /** The pods of the Service's namespace its selector matches. */
  podsFor(svc: KubeObject): KubeObject[] {
    const sel = serviceSelector(svc);
    if (!sel) return [];
    return this.podsByNs.list(svc.metadata.namespace ?? '').filter((p) => sel.matches(p.metadata.labels ?? {}));
  }
}

/** podEndpointsChanged (endpointslice utils): anything an Endpoint is built from. */
function endpointRelevantChange(old: KubeObject, pod: KubeObject): boolean {
  if (podIP(old) !== podIP(pod)) return true;
  if (isPodReady(old) !== isPodReady(pod)) return true;
  if (!!old.metadata.deletionTimestamp !== !!pod.metadata.deletionTimestamp) return true;
  if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) return true;
  const o = asObj(old.spec);
  const n = asObj(pod.spec);
  if (o.nodeName !== n.nodeName || o.hostname !== n.hostname || o.subdomain !== n.subdomain) return true;
  return asObj(old.status).phase !== asObj(pod.status).phase;
}
