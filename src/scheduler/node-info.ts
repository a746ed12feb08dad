/**
 * What the scheduler knows about one node (pkg/scheduler/framework NodeInfo): the Node, the pods
 * assigned to it (bound or assumed), their summed requests, used host ports, and the pods that
 * carry (anti-)affinity terms. Kept up to date incrementally: O(1) per pod added or removed.
 */
import type { KubeObject } from '../api/types.js';
import { podRequests, fromList, zero, type Resources } from './resources.js';

export interface PodInfo {
  key: string;
  pod: KubeObject;
  requests: Resources;
  nonZero: Resources;
  ports: string[];
  hasAffinity: boolean;
  hasRequiredAntiAffinity: boolean;
}

interface Port { hostPort?: number; protocol?: string; hostIP?: string }

/** "protocol/hostIP/port" for each requested host port (NodePorts plugin; 0.0.0.0 when unset). */
export function hostPorts(pod: KubeObject): string[] {
  const out: string[] = [];
  const spec = (pod.spec ?? {}) as { containers?: Array<{ ports?: Port[] }>; initContainers?: Array<{ ports?: Port[]; restartPolicy?: string }> };
  const cs = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of cs) for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
  return out;
}

export function makePodInfo(key: string, pod: KubeObject): PodInfo {
  const aff = ((pod.spec as { affinity?: { podAffinity?: unknown; podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown[] } } } | undefined)?.affinity) ?? {};
  return {
    key, pod,
    requests: podRequests(pod),
    nonZero: podRequests(pod, true),
    ports: hostPorts(pod),
    hasAffinity: !!(aff.podAffinity || aff.podAntiAffinity),
    hasRequiredAntiAffinity: (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
  };
}

export class NodeInfo {
  node: KubeObject;
  readonly name: string;
  allocatable: Resources;
  allowedPods: number;
  readonly requested: Resources = zero();
  readonly nonZeroRequested: Resources = zero();
  readonly pods = new Map<string, PodInfo>();
  /** port → count of pods using it. */
  readonly usedPorts = new Map<string, number>();
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(node: KubeObject) {
    this.node = node;
    this.name = node.metadata.name as string;
    this.allocatable = zero();
    this.allowedPods = 0;
    this.setNode(node);
  }

  setNode(node: KubeObject): void {
    this.node = node;
    const alloc = (node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable;
    this.allocatable = fromList(alloc);
    this.allowedPods = Number(alloc?.pods ?? 0) || 0;
  }

  get labels(): Record<string, string> {
    return this.node.metadata.labels ?? {};
  }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.key)) this.removePod(pi.key);
    this.pods.set(pi.key, pi);
    this.adjust(pi, 1);
  }

  removePod(key: string): void {
    const pi = this.pods.get(key);
    if (!pi) return;
    this.pods.delete(key);
    this.adjust(pi, -1);
  }

  private adjust(pi: PodInfo, sign: 1 | -1): void {
    for (const k of ['cpu', 'memory', 'ephemeral'] as const) {
      this.requested[k] += sign * pi.requests[k];
      this.nonZeroRequested[k] += sign * pi.nonZero[k];
    }
    for (const p of pi.ports) {
      const n = (this.usedPorts.get(p) ?? 0) + sign;
      if (n > 0) this.usedPorts.set(p, n); else this.usedPorts.delete(p);
    }
    if (sign > 0) {
      if (pi.hasAffinity) this.podsWithAffinity.add(pi);
      if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.add(pi);
    } else {
      this.podsWithAffinity.delete(pi);
      this.podsWithRequiredAntiAffinity.delete(pi);
    }
  }
}
