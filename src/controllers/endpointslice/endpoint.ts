/**
 * One pod as an EndpointSlice endpoint (k8s.io/endpointslice/utils.go podToEndpoint, 1.32):
 * conditions ready = publishNotReadyAddresses || (Ready && not terminating), serving = Ready,
 * terminating = deletionTimestamp set; targetRef, nodeName, the node's zone, the hostname when
 * the pod names this Service as its subdomain; and the pod's own port list (a named targetPort
 * resolves per pod, so pods with different container ports land in different slices).
 */
import type { KubeObject } from '../../api/types.js';
import { findPort, isPodReady, podHostname, podIP, podRef, publishNotReady, servicePorts } from '../endpoints/pod-endpoints.js';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
  hints?: { forZones: Array<{ name: string }> };
}

export interface SlicePort { name: string; protocol: string; port: number; appProtocol?: string }

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function podToEndpoint(pod: KubeObject, svc: KubeObject, nodeZone: (node: string) => string | undefined): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ep: SliceEndpoint = {
    addresses: [podIP(pod)],
    conditions: { ready: publishNotReady(svc) || (serving && !terminating), serving, terminating },
    targetRef: podRef(pod),
  };
  const host = podHostname(pod, svc);
  if (host) ep.hostname = host;
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (node) {
    ep.nodeName = node;
    const zone = nodeZone(node);
    if (zone) ep.zone = zone;
  }
  return ep;
}

/** getEndpointPorts: every service port the pod offers (name "" for unnamed ports, as the controller writes). */
export function endpointPorts(svc: KubeObject, pod: KubeObject): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of servicePorts(svc)) {
    const n = findPort(pod, sp);
    if (n === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol, port: n, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** Whether the Service asks for same-zone routing hints (trafficDistribution PreferClose, or topology-mode Auto). */
export function wantsZoneHints(svc: KubeObject): boolean {
  const spec = (svc.spec ?? {}) as { trafficDistribution?: string };
  const ann = svc.metadata.annotations ?? {};
  const mode = ann['service.kubernetes.io/topology-mode'] ?? ann['service.kubernetes.io/topology-aware-hints'] ?? '';
  return spec.trafficDistribution === 'PreferClose' || mode.toLowerCase() === 'auto';
}

/** Zone hints: each endpoint hints its own zone; none at all unless every endpoint has a zone. */
export function applyZoneHints(eps: SliceEndpoint[]): void {
  const all = eps.every((e) => e.zone);
  for (const e of eps) {
    if (all) e.hints = { forZones: [{ name: e.zone as string }] };
    else delete e.hints;
  }
}
