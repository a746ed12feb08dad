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
  /** Has preferred pod (anti-)affinity terms (scored for incoming pods; scanned, not indexed). */
  hasPreferredTerms: boolean;
  /** spec.priority (set by the Priority admission plugin; 0 when absent), as corev1helpers.PodPriority. */
  priority: number;
}

export function podPriority(pod: KubeObject): number {
  const p = (pod.spec as { priority?: number } | undefined)?.priority;
  return typeof p === 'number' ? p : 0;
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
  const aff = ((pod.spec as { affinity?: { podAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: unknown[] }; podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown[]; preferredDuringSchedulingIgnoredDuringExecution?: unknown[] } } } | undefined)?.affinity) ?? {};
  return {
    key, pod,
    requests: podRequests(pod),
    nonZero: podRequests(pod, true),
    ports: hostPorts(pod),
    hasAffinity: !!(aff.podAffinity || aff.podAntiAffinity),
    hasRequiredAntiAffinity: (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
    hasPreferredTerms: (aff.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) + (aff.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
    priority: podPriority(pod),
  };
}

export function labelKey(ns: string, k: string, v: string): string {
  return `${ns}\0${k}=${v}`;
}

/** The one key/value of a selector that is exactly one matchLabels entry (no expressions), else undefined. */
export function singleLabel(sel: { matchLabels?: Record<string, string> | null; matchExpressions?: unknown[] | null } | null | undefined): [string, string] | undefined {
  if (!sel || (sel.matchExpressions?.length ?? 0) > 0 || !sel.matchLabels) return undefined;
  const keys = Object.keys(sel.matchLabels);
  return keys.length === 1 ? [keys[0], sel.matchLabels[keys[0]]] : undefined;
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
  /** "namespace\0key=value" → pods carrying that label (single-label selectors count without a scan). */
  readonly podLabels = new Map<string, number>();
  /** Pods with a deletionTimestamp (some plugins do not count them: those fall back to a scan). */
  terminatingPods = 0;

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

  /** An independent copy (preemption's what-if: remove victims, add nominated pods). O(pods on the node). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const pi of this.pods.values()) c.addPod(pi);
    return c;
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
    if (pi.pod.metadata.deletionTimestamp) this.terminatingPods += sign;
    const ns = pi.pod.metadata.namespace ?? '';
    const labels = pi.pod.metadata.labels;
    if (labels) {
      for (const k in labels) {
        const key = labelKey(ns, k, labels[k]);
        const n = (this.podLabels.get(key) ?? 0) + sign;
        if (n > 0) this.podLabels.set(key, n); else this.podLabels.delete(key);
      }
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
