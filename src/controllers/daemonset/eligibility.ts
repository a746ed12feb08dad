/**
 * Which nodes run a DaemonSet's pod (pkg/controller/daemon/daemon_controller.go
 * NodeShouldRunDaemonPod and predicates): the node must match the pod's nodeName (if set),
 * nodeSelector and required node affinity, and the pod must tolerate the node's NoSchedule and
 * NoExecute taints — an untolerated NoExecute taint also stops a pod already there. The pod
 * considered carries the tolerations every daemon pod gets (pkg/controller/daemon/util
 * AddOrUpdateDaemonPodTolerations), so not-ready, unreachable, pressure and unschedulable
 * (cordoned) nodes still run daemons. Created pods are pinned with a required node affinity
 * `metadata.name In [node]` (ReplaceDaemonSetPodNodeNameNodeAffinity) and left to the scheduler.
 */
import type { KubeObject } from '../../api/types.js';

export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }
export interface Taint { key: string; value?: string; effect: string }
interface Requirement { key: string; operator: string; values?: string[] }
interface Term { matchExpressions?: Requirement[]; matchFields?: Requirement[] }
export interface PodSpecShape {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  hostNetwork?: boolean;
  tolerations?: Toleration[];
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Term[] }; [k: string]: unknown }; [k: string]: unknown };
  [k: string]: unknown;
}

/** The tolerations AddOrUpdateDaemonPodTolerations adds (network-unavailable only for hostNetwork pods). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** v1helper.AddOrUpdateTolerationInPodSpec for each daemon toleration: same key/operator/value/effect replaces. */
export function addDaemonTolerations(spec: PodSpecShape): void {
  const list = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(!!spec.hostNetwork)) {
    const i = list.findIndex((x) => (x.key ?? '') === t.key && (x.effect ?? '') === t.effect);
    if (i >= 0) list[i] = t; else list.push(t);
  }
  spec.tolerations = list;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one term `metadata.name In [node]`. */
export function pinToNode(spec: PodSpecShape, nodeName: string): void {
  const affinity = spec.affinity ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  spec.affinity = { ...affinity, nodeAffinity };
}

/** The node a daemon pod is for: its nodeName, else the `metadata.name In [x]` of its required affinity (GetTargetNodeName). */
export function targetNode(pod: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as PodSpecShape;
  if (spec.nodeName) return spec.nodeName;
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return !t.key ? false : (t.value ?? '') === (taint.value ?? '');
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default: return false;
  }
}

/** A node selector term: all expressions on labels and fields (metadata.name) hold; an empty term matches nothing. */
function termMatches(term: Term, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, labels[r.key]))
    && fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name));
}

/** component-helpers nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector and required terms (ORed). */
export function matchesNodeAffinity(spec: PodSpecShape, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

export function nodeTaints(node: KubeObject): Taint[] {
  return ((node.spec as { taints?: Taint[] } | undefined)?.taints) ?? [];
}

export interface Eligibility {
  /** Whether a daemon pod should be created on the node. */
  shouldRun: boolean;
  /** Whether a daemon pod already there may stay. */
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod for the DaemonSet's template on `node`. */
export function nodeShouldRunDaemonPod(template: PodSpecShape, node: KubeObject): Eligibility {
  const spec: PodSpecShape = { ...template };
  addDaemonTolerations(spec);
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const untolerated = nodeTaints(node).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !(spec.tolerations ?? []).some((x) => tolerates(x, t)));
  if (untolerated.length) return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
  return { shouldRun: true, shouldContinueRunning: true };
}
