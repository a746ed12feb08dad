/**
 * What both endpoint controllers derive from a pod for a Service, as
 * k8s.io/endpointslice/utils.go and pkg/controller/endpoint: ShouldPodBeInEndpoints (not
 * terminal, has an IP, terminating only when asked for), FindPort (pkg/api/v1/pod: a named
 * targetPort resolves per pod through its containers' ports of the same protocol),
 * ShouldSetHostname, and the Service's selector (a Service without one is left to its user).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromSet, type LabelSelector } from '../../apimachinery/labels.js';

export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export interface ServicePort { name?: string; port: number; protocol: string; targetPort?: number | string; appProtocol?: string }

export function servicePorts(svc: KubeObject): ServicePort[] {
  return asArr(asObj(svc.spec).ports).map((p) => ({
    name: typeof p.name === 'string' ? p.name : undefined,
    port: Number(p.port ?? 0),
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
    targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined,
    appProtocol: typeof p.appProtocol === 'string' ? p.appProtocol : undefined,
  }));
}

/** The selector the controllers act on, or undefined (no selector, or ExternalName). */
export function serviceSelector(svc: KubeObject): LabelSelector | undefined {
  const spec = asObj(svc.spec);
  if (spec.type === 'ExternalName') return undefined;
  const sel = spec.selector as Record<string, string> | undefined;
  // An empty selector is stored as none (protobuf drops empty maps): no managed endpoints.
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return labelSelectorFromSet(sel);
}

export function isHeadlessService(svc: KubeObject): boolean {
  return asObj(svc.spec).clusterIP === 'None';
}

export function publishNotReady(svc: KubeObject): boolean {
  return asObj(svc.spec).publishNotReadyAddresses === true;
}

export function podIP(pod: KubeObject): string {
  const st = asObj(pod.status);
  if (typeof st.podIP === 'string' && st.podIP) return st.podIP;
  const first = asArr(st.podIPs)[0];
  return typeof first?.ip === 'string' ? first.ip : '';
}

export function isPodReady(pod: KubeObject): boolean {
  return asArr(asObj(pod.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The Ready condition's lastTransitionTime (getPodTriggerTime), or undefined. */
export function podTriggerTime(pod: KubeObject): string | undefined {
  const c = asArr(asObj(pod.status).conditions).find((x) => x.type === 'Ready');
  return typeof c?.lastTransitionTime === 'string' ? c.lastTransitionTime : undefined;
}

/** ShouldPodBeInEndpoints(pod, includeTerminating). */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = asObj(pod.status).phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIP(pod)) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** FindPort: the container port a service port's targetPort names, or undefined when the pod has none. */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of [...asArr(asObj(pod.spec).containers)]) {
    for (const p of asArr(c.ports)) {
      if (p.name === target && (p.protocol ?? 'TCP') === sp.protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}

/** ShouldSetHostname: the pod names a hostname and this Service as its subdomain. */
export function podHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const spec = asObj(pod.spec);
  const h = typeof spec.hostname === 'string' ? spec.hostname : '';
  return h && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined;
}

export function podRef(pod: KubeObject): { kind: string; namespace: string; name: string; uid: string } {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}
