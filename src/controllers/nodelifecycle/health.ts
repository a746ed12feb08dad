/**
 * Pure node-health rules of the node lifecycle controller
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go: tryUpdateNodeHealth and the
 * NoSchedule/NoExecute tainting passes), as functions of a Node, its Lease and the time.
 *
 * - A node is stale when neither its kube-node-lease Lease renewTime nor its Ready condition's
 *   lastHeartbeatTime changed within the grace period (nodeMonitorGracePeriod, 40 s in 1.32).
 * - A stale node gets MemoryPressure, DiskPressure, PIDPressure and Ready set to Unknown
 *   (reason NodeStatusUnknown, "Kubelet stopped posting node status.").
 * - Ready=False taints the node `node.kubernetes.io/not-ready`, Ready=Unknown
 *   `node.kubernetes.io/unreachable`, each with effects NoSchedule and NoExecute (the NoExecute
 *   one carries timeAdded); Ready=True removes both.
 */
import type { KubeObject } from '../../api/types.js';
import { formatTime } from '../../apimachinery/time.js';

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
/** The conditions the controller marks Unknown, in the kubelet's order. */
export const MONITORED_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'] as const;

export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Taint { key: string; value?: string; effect: string; timeAdded?: string }

export function nodeConditions(node: KubeObject): NodeCondition[] {
  return ((node.status as { conditions?: NodeCondition[] } | undefined)?.conditions) ?? [];
}

export function nodeTaints(node: KubeObject): Taint[] {
  return ((node.spec as { taints?: Taint[] } | undefined)?.taints) ?? [];
}

/** Ready condition status ('True' | 'False' | 'Unknown'), or undefined before the first status. */
export function readyStatus(node: KubeObject): string | undefined {
  return nodeConditions(node).find((c) => c.type === 'Ready')?.status;
}

/**
 * What changes whenever the kubelet shows a sign of life: the Lease renewTime and the Ready
 * condition's lastHeartbeatTime. The controller times the grace period from when it last saw
 * this change (its own clock), as upstream's probeTimestamp, so a restarted controller gives every
 * node a full grace period and clock skew between kubelet and controller does not matter.
 */
export function heartbeatSignature(node: KubeObject, lease: KubeObject | undefined): string {
  const renew = (lease?.spec as { renewTime?: string } | undefined)?.renewTime ?? '';
  const ready = nodeConditions(node).find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? '';
  return `${renew}|${ready}`;
}

/**
 * The conditions a node last heard from at `probeTime` should have, or undefined when it needs
 * no change (within the grace period, or already Unknown). Heartbeats are kept; transition times
 * move to now for changed conditions.
 */
export function staleConditions(node: KubeObject, probeTime: number, now: number, graceMs: number): NodeCondition[] | undefined {
  if (now - probeTime <= graceMs) return undefined;
  const current = nodeConditions(node);
  const byType = new Map(current.map((c) => [c.type, c]));
  if (MONITORED_CONDITIONS.every((t) => byType.get(t)?.status === 'Unknown')) return undefined;
  const t = formatTime(now);
  const created = node.metadata.creationTimestamp ?? t;
  const out = current.filter((c) => !(MONITORED_CONDITIONS as readonly string[]).includes(c.type));
  for (const type of MONITORED_CONDITIONS) {
    const c = byType.get(type);
    if (!c) {
      out.push({ type, status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: t, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    } else if (c.status === 'Unknown') {
      out.push(c);
    } else {
      out.push({ ...c, status: 'Unknown', lastTransitionTime: t, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
  }
  return out;
}

/** The taint key a Ready status calls for (nodeConditionToTaintKeyStatusMap), if any. */
export function taintKeyFor(ready: string | undefined): string | undefined {
  if (ready === 'False') return NOT_READY_TAINT_KEY;
  if (ready === 'Unknown') return UNREACHABLE_TAINT_KEY;
  return undefined;
}

/**
 * The node's taints with the not-ready/unreachable pair brought in line with its Ready status,
 * or undefined when they already are. Other taints are kept in place; a taint already present
 * keeps its timeAdded.
 */
export function reconcileTaints(node: KubeObject, now: number): Taint[] | undefined {
  const key = taintKeyFor(readyStatus(node));
  const current = nodeTaints(node);
  const managed = (t: Taint): boolean => t.key === NOT_READY_TAINT_KEY || t.key === UNREACHABLE_TAINT_KEY;
  const kept = current.filter((t) => !managed(t) || (t.key === key && (t.effect === 'NoSchedule' || t.effect === 'NoExecute')));
  const out = [...kept];
  if (key) {
    if (!kept.some((t) => t.key === key && t.effect === 'NoSchedule')) out.push({ key, effect: 'NoSchedule' });
    if (!kept.some((t) => t.key === key && t.effect === 'NoExecute')) out.push({ key, effect: 'NoExecute', timeAdded: formatTime(now) });
  }
  const same = out.length === current.length && out.every((t, i) => t === current[i]);
  return same ? undefined : out;
}
