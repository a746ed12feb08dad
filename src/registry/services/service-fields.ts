/**
 * Pure rules over a Service's allocated fields, as kube-apiserver 1.32 applies them around the
 * allocators: NormalizeClusterIPs and dropTypeDependentFields (pkg/registry/core/service/
 * strategy.go), patchAllocatedValues (storage/storage.go: an update that omits clusterIP,
 * nodePorts or healthCheckNodePort keeps the allocated ones) and the type predicates of
 * pkg/api/service (NeedsHealthCheck, ExternallyAccessible).
 */
import type { KubeObject } from '../../api/types.js';

export type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : []);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function specOf(svc: KubeObject): Obj {
  if (!svc.spec || typeof svc.spec !== 'object') svc.spec = {};
  return svc.spec as Obj;
}

export function portsOf(svc: KubeObject): Obj[] {
  const p = specOf(svc).ports;
  return Array.isArray(p) ? (p as Obj[]) : [];
}

export function serviceType(svc: KubeObject): string {
  return typeof specOf(svc).type === 'string' ? (specOf(svc).type as string) : 'ClusterIP';
}

export function clusterIPs(svc: KubeObject): string[] {
  return strs(specOf(svc).clusterIPs);
}

export function needsClusterIP(svc: KubeObject): boolean {
  return serviceType(svc) !== 'ExternalName';
}

export function isHeadless(svc: KubeObject): boolean {
  const s = specOf(svc);
  return s.clusterIP === 'None' || clusterIPs(svc)[0] === 'None';
}

export function needsNodePort(svc: KubeObject): boolean {
  const t = serviceType(svc);
  return t === 'NodePort' || t === 'LoadBalancer';
}

/** shouldAllocateNodePorts: NodePort always; LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(svc: KubeObject): boolean {
  const t = serviceType(svc);
  if (t === 'NodePort') return true;
  return t === 'LoadBalancer' && specOf(svc).allocateLoadBalancerNodePorts !== false;
}

/** apiservice.NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(svc: KubeObject): boolean {
  return serviceType(svc) === 'LoadBalancer' && specOf(svc).externalTrafficPolicy === 'Local';
}

function externallyAccessible(svc: KubeObject): boolean {
  const t = serviceType(svc);
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && strs(specOf(svc).externalIPs).length > 0);
}

function nodePortOf(p: Obj): number {
  return typeof p.nodePort === 'number' ? p.nodePort : 0;
}

/** collectServiceNodePorts: the distinct non-zero nodePorts of the ports. */
export function nodePortsOf(svc: KubeObject): number[] {
  return [...new Set(portsOf(svc).map(nodePortOf).filter((n) => n > 0))];
}

export function healthCheckNodePort(svc: KubeObject): number {
  const v = specOf(svc).healthCheckNodePort;
  return typeof v === 'number' ? v : 0;
}

/** NormalizeClusterIPs: keep the singular and plural fields in step (old clients send only clusterIP). */
export function normalizeClusterIPs(svc: KubeObject, old: KubeObject | null): void {
  const s = specOf(svc);
  const ip = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (!old) {
    if (ip && clusterIPs(svc).length === 0) s.clusterIPs = [ip];
    return;
  }
  const o = specOf(old);
  const oldIp = typeof o.clusterIP === 'string' ? o.clusterIP : '';
  if (clusterIPs(old).length > 0 && clusterIPs(svc).length === 0 && oldIp === ip) s.clusterIPs = o.clusterIPs;
  if (oldIp !== ip) {
    const sameIPs = same(o.clusterIPs, s.clusterIPs);
    if (oldIp && !ip) { if (sameIPs) delete s.clusterIPs; } else if (sameIPs) s.clusterIPs = [ip];
  }
}

/** patchAllocatedValues: values the client omitted on update but that were allocated stay. */
export function patchAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const s = specOf(svc);
  const o = specOf(old);
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if (clusterIPs(svc).length === 0 && clusterIPs(old).length > 0) s.clusterIPs = o.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set(nodePortsOf(svc));
    const used = new Set(nodePortsOf(old).filter((n) => newUsed.has(n)));
    const byName = new Map(portsOf(old).map((p) => [typeof p.name === 'string' ? p.name : '', nodePortOf(p)]));
    for (const p of portsOf(svc)) {
      if (nodePortOf(p) !== 0) continue;
      const was = byName.get(typeof p.name === 'string' ? p.name : '') ?? 0;
      if (was && !used.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && healthCheckNodePort(svc) === 0 && healthCheckNodePort(old) !== 0) {
    s.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/** dropTypeDependentFields: on a type change, wipe what no longer applies and the user did not touch. */
export function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const s = specOf(svc);
  const o = specOf(old);
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(o.clusterIPs, s.clusterIPs) && (s.clusterIP ?? '') === (o.clusterIP ?? '')) { delete s.clusterIP; delete s.clusterIPs; }
    if (same(o.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if (same(o.ipFamilyPolicy, s.ipFamilyPolicy)) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc) && same(portsOf(old).map(nodePortOf), portsOf(svc).map(nodePortOf))) {
    for (const p of portsOf(svc)) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && healthCheckNodePort(old) === healthCheckNodePort(svc)) delete s.healthCheckNodePort;
  if (serviceType(old) === 'LoadBalancer' && serviceType(svc) !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts;
    if (same(o.loadBalancerClass, s.loadBalancerClass)) delete s.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && same(o.externalTrafficPolicy, s.externalTrafficPolicy)) delete s.externalTrafficPolicy;
  if (serviceType(svc) !== 'LoadBalancer') svc.status = { ...asObj(svc.status), loadBalancer: {} };
}
