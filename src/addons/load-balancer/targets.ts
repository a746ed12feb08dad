/**
 * What a target group should hold for a Service port, as the controller's TargetGroupBinding
 * reconciler computes it (pkg/targetgroupbinding/resource_manager.go, pkg/backend/endpoint_resolver.go):
 *
 * - ip mode: the ready, not terminating endpoints of the Service's EndpointSlices for that port
 *   (when the Service has no slices yet: its selected Running pods with an IP, Ready ones only),
 *   each `podIP:targetPort`, zone from the slice;
 * - instance mode: every Ready node with an EC2 providerID (`aws:///<az>/<instance id>`) that is
 *   not excluded (label node.kubernetes.io/exclude-from-external-load-balancers) and matches the
 *   binding's nodeSelector, on the port's NodePort. Its health check passes when the node can
 *   serve: with externalTrafficPolicy Cluster, when any ready endpoint exists; with Local, only
 *   when a ready endpoint runs on that node (kube-proxy's healthCheckNodePort answers 503 otherwise).
 */
import type { KubeObject } from '../../api/types.js';
import { matchLabels } from './labels.js';

export interface ServicePort { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol?: string }

export interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
  zone?: string;
  ready: boolean;
  terminating: boolean;
}

export interface DesiredTarget {
  id: string;
  port: number;
  availabilityZone?: string;
  healthy: boolean;
}

export interface ClusterView {
  slicesOf(namespace: string, service: string): KubeObject[];
  podsIn(namespace: string): KubeObject[];
  nodes(): KubeObject[];
}

/** The Service port a binding names: by number or by name. */
export function findServicePort(svc: KubeObject, ref: number | string): ServicePort | undefined {
  const ports = ((svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []);
  return ports.find((p) => (typeof ref === 'number' ? p.port === ref : p.name === ref || String(p.port) === ref));
}

function podReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A pod's port for a Service targetPort (number, or a named containerPort). */
export function podPort(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (target === undefined) return fallback;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of (pod.spec as { containers?: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> }).containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  }
  return undefined;
}

export function serviceEndpoints(view: ClusterView, svc: KubeObject, port: ServicePort): Endpoint[] {
  const ns = svc.metadata.namespace ?? '';
  const slices = view.slicesOf(ns, svc.metadata.name ?? '');
  const out: Endpoint[] = [];
  if (slices.length > 0) {
    for (const s of slices) {
      const sp = ((s.ports as Array<{ name?: string; port?: number }> | undefined) ?? []).find((p) => (p.name ?? '') === (port.name ?? ''));
      if (!sp?.port) continue;
      for (const e of (s.endpoints as Array<{ addresses: string[]; conditions?: { ready?: boolean; terminating?: boolean }; nodeName?: string; zone?: string }> | null) ?? []) {
        const ip = e.addresses?.[0];
        if (!ip) continue;
        out.push({ ip, port: sp.port, nodeName: e.nodeName, zone: e.zone, ready: e.conditions?.ready !== false, terminating: e.conditions?.terminating === true });
      }
    }
    return out;
  }
  const selector = (svc.spec as { selector?: Record<string, string> }).selector;
  if (!selector || Object.keys(selector).length === 0) return out;
  for (const pod of view.podsIn(ns)) {
    if (!matchLabels(selector, pod.metadata.labels ?? {})) continue;
    const st = pod.status as { phase?: string; podIP?: string } | undefined;
    if (!st?.podIP || st.phase !== 'Running') continue;
    const p = podPort(pod, port.targetPort, port.port);
    if (p === undefined) continue;
    out.push({ ip: st.podIP, port: p, nodeName: (pod.spec as { nodeName?: string }).nodeName, ready: podReady(pod) && !pod.metadata.deletionTimestamp, terminating: !!pod.metadata.deletionTimestamp });
  }
  return out;
}

export function ipTargets(endpoints: Endpoint[]): DesiredTarget[] {
  const seen = new Set<string>();
  const out: DesiredTarget[] = [];
  for (const e of endpoints) {
    if (!e.ready || e.terminating || seen.has(`${e.ip}:${e.port}`)) continue;
    seen.add(`${e.ip}:${e.port}`);
    out.push({ id: e.ip, port: e.port, ...(e.zone ? { availabilityZone: e.zone } : {}), healthy: true });
  }
  return out;
}

/** `aws:///us-east-1a/i-0abc…` → zone and instance id. */
export function parseProviderId(id: string | undefined): { zone: string; instanceId: string } | undefined {
  const m = /^aws:\/\/\/([^/]+)\/(i-[0-9a-zA-Z]+)$/.exec(id ?? '');
  return m ? { zone: m[1], instanceId: m[2] } : undefined;
}

function nodeReady(node: KubeObject): boolean {
  const conds = (node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

export interface InstanceNode { name: string; instanceId: string; zone: string }

/** Nodes that may be instance targets (Ready, EC2-backed, not excluded, matching nodeSelector labels). */
export function eligibleNodes(view: ClusterView, nodeSelector?: Record<string, string>): InstanceNode[] {
  const out: InstanceNode[] = [];
  for (const n of view.nodes()) {
    const labels = n.metadata.labels ?? {};
    if ('node.kubernetes.io/exclude-from-external-load-balancers' in labels) continue;
    if (nodeSelector && !matchLabels(nodeSelector, labels)) continue;
    if (!nodeReady(n)) continue;
    const p = parseProviderId((n.spec as { providerID?: string } | undefined)?.providerID);
    if (p) out.push({ name: n.metadata.name ?? '', ...p });
  }
  return out;
}

export function instanceTargets(nodes: InstanceNode[], nodePort: number, endpoints: Endpoint[], local: boolean): DesiredTarget[] {
  const ready = endpoints.filter((e) => e.ready && !e.terminating);
  return nodes.map((n) => ({
    id: n.instanceId, port: nodePort, availabilityZone: n.zone,
    healthy: local ? ready.some((e) => e.nodeName === n.name) : ready.length > 0,
  }));
}
