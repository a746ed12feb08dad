/**
 * The DaemonSet's decisions as pure functions over nodes and pods (daemon_controller.go
 * podsShouldBeOnNode / syncNodes, update.go rollingUpdate / updatedDesiredNodeCounts and
 * updateDaemonSetStatus): which nodes need a pod, which pods go, how a RollingUpdate replaces old
 * pods within maxUnavailable (delete then create) or maxSurge (create then delete), and status.
 */
import type { KubeObject } from '../../api/types.js';
import { POD_REVISION_LABEL } from '../util/history.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import type { Eligibility } from './eligibility.js';

export interface NodePlanInput {
  /** Every node with its eligibility for this DaemonSet. */
  nodes: Map<string, Eligibility>;
  /** The DaemonSet's pods by target node (terminating pods excluded). */
  podsByNode: Map<string, KubeObject[]>;
  /** The current revision's hash. */
  hash: string;
  generation: number;
  minReadySeconds: number;
  now: number;
  /** maxSurge > 0: two pods on a node during an update are expected. */
  surging: boolean;
  /** Nodes where a pod of the DaemonSet is still terminating: no replacement until it is gone. */
  terminatingOn?: Set<string>;
}

export interface NodePlan {
  createOn: string[];
  deletes: KubeObject[];
  /** Failed pods being deleted (for the FailedDaemonPod event). */
  failed: Array<{ pod: KubeObject; node: string }>;
}

const phaseOf = (p: KubeObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;
const created = (p: KubeObject): string => String(p.metadata.creationTimestamp ?? '');
const byAge = (a: KubeObject, b: KubeObject): number => created(a).localeCompare(created(b)) || String(a.metadata.name).localeCompare(String(b.metadata.name));

/** util.IsPodUpdated: the pod's template generation or revision hash is the DaemonSet's current one. */
export function isPodUpdated(pod: KubeObject, hash: string, generation: number): boolean {
  const l = pod.metadata.labels ?? {};
  return l['pod-template-generation'] === String(generation) || l[POD_REVISION_LABEL] === hash;
}

/** syncNodes' per-node decision (podsShouldBeOnNode); pods on nodes that no longer exist go too (PodGC's job upstream). */
export function planNodes(i: NodePlanInput): NodePlan {
  const plan: NodePlan = { createOn: [], deletes: [], failed: [] };
  for (const [node, pods] of i.podsByNode) if (!i.nodes.has(node)) plan.deletes.push(...pods);
  for (const [node, e] of i.nodes) {
    const pods = i.podsByNode.get(node) ?? [];
    if (e.shouldRun && pods.length === 0) {
      // As upstream, a terminating pod still "exists": the replacement waits for it to go (host ports, volumes).
      if (!i.terminatingOn?.has(node)) plan.createOn.push(node);
      continue;
    }
    if (!e.shouldContinueRunning) { plan.deletes.push(...pods); continue; }
    const running: KubeObject[] = [];
    for (const p of pods) {
      if (phaseOf(p) === 'Failed') { plan.deletes.push(p); plan.failed.push({ pod: p, node }); } else running.push(p);
    }
    if (running.length <= 1) continue;
    running.sort(byAge);
    if (i.surging) {
      // Keep the oldest updated pod (preferring an available one) and the oldest old pod; the rolling update removes the latter.
      const updated = running.filter((p) => isPodUpdated(p, i.hash, i.generation));
      const keepNew = updated.find((p) => isPodAvailable(p, i.minReadySeconds, i.now)) ?? updated[0];
      const keepOld = running.find((p) => !isPodUpdated(p, i.hash, i.generation));
      plan.deletes.push(...running.filter((p) => p !== keepNew && p !== keepOld));
    } else {
      plan.deletes.push(...running.slice(1));
    }
  }
  return plan;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : dflt;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export interface RollingInput extends NodePlanInput {
  maxSurge: number | string | undefined;
  maxUnavailable: number | string | undefined;
}

/** updatedDesiredNodeCounts: surge rounds up, unavailable down; both 0 → 1 unavailable. */
export function updateBudgets(i: RollingInput): { maxSurge: number; maxUnavailable: number; desired: number } {
  let desired = 0;
  for (const e of i.nodes.values()) if (e.shouldRun) desired++;
  const maxSurge = scaledValue(i.maxSurge, desired, true, 0);
  let maxUnavailable = scaledValue(i.maxUnavailable, desired, false, 1);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

/** update.go rollingUpdate: old pods to delete and (with surge) nodes that get a new pod beside the old one. */
export function planRollingUpdate(i: RollingInput): { deletes: KubeObject[]; createOn: string[] } {
  const { maxSurge, maxUnavailable } = updateBudgets(i);
  const avail = (p: KubeObject): boolean => isPodAvailable(p, i.minReadySeconds, i.now);
  const deletes: KubeObject[] = [];
  const createOn: string[] = [];
  const candidates: KubeObject[] = [];
  let unavailable = 0;
  let surged = 0;
  const nodes = [...i.nodes.keys()].sort();
  for (const node of nodes) {
    if (!i.nodes.get(node)!.shouldRun) continue;
    const pods = i.podsByNode.get(node) ?? [];
    const news = pods.filter((p) => isPodUpdated(p, i.hash, i.generation));
    const olds = pods.filter((p) => !isPodUpdated(p, i.hash, i.generation));
    if (news.length > 1 || olds.length > 1) { unavailable++; continue; } // syncNodes settles duplicates first
    const newPod = news[0];
    const oldPod = olds[0];
    if (maxSurge === 0) {
      if (!oldPod) { if (!newPod || !avail(newPod)) unavailable++; continue; }
      if (newPod) continue;
      if (!avail(oldPod)) deletes.push(oldPod); // an unavailable old pod can go at once
      else candidates.push(oldPod);
      continue;
    }
    if (!oldPod) { if (!newPod || !avail(newPod)) unavailable++; continue; }
    if (!newPod) {
      if (!avail(oldPod)) { unavailable++; deletes.push(oldPod); continue; }
      if (surged < maxSurge) { surged++; createOn.push(node); }
      continue;
    }
    if (avail(newPod)) deletes.push(oldPod); else surged++;
  }
  if (maxSurge === 0) deletes.push(...candidates.slice(0, Math.max(0, maxUnavailable - unavailable)));
  return { deletes, createOn };
}

export interface DsStatus {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
  observedGeneration: number;
}

/** updateDaemonSetStatus: counted over each node's oldest daemon pod. */
export function computeDsStatus(i: NodePlanInput): DsStatus {
  const s: DsStatus = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, updatedNumberScheduled: 0, observedGeneration: i.generation };
  for (const [node, e] of i.nodes) {
    const pods = [...(i.podsByNode.get(node) ?? [])].sort(byAge);
    if (!e.shouldRun) { if (pods.length) s.numberMisscheduled++; continue; }
    s.desiredNumberScheduled++;
    const pod = pods[0];
    if (!pod) continue;
    s.currentNumberScheduled++;
    if (isPodReady(pod)) {
      s.numberReady++;
      if (isPodAvailable(pod, i.minReadySeconds, i.now)) s.numberAvailable++;
    }
    if (isPodUpdated(pod, i.hash, i.generation)) s.updatedNumberScheduled++;
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}
