/**
 * TriggerTimeTracker (pkg/controller/util/endpoint/trigger_time_tracker.go): the
 * `endpoints.kubernetes.io/last-change-trigger-time` annotation is the earliest trigger time —
 * a pod's Ready condition lastTransitionTime, or the Service's creationTimestamp — among those
 * that changed since the previous sync of that Service; none changed → no annotation.
 */
import type { KubeObject } from '../../api/types.js';
import { podTriggerTime } from './pod-endpoints.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface State { pods: Map<string, number>; service: number }

export class TriggerTimeTracker {
  private readonly state = new Map<string, State>();

  /** The annotation value for this sync (RFC 3339), or undefined; records the times seen. */
  compute(key: string, svc: KubeObject, pods: KubeObject[]): string | undefined {
    const st = this.state.get(key) ?? { pods: new Map<string, number>(), service: 0 };
    let min: number | undefined;
    const next = new Map<string, number>();
    for (const p of pods) {
      const t = Date.parse(podTriggerTime(p) ?? '');
      if (Number.isNaN(t)) continue;
      next.set(p.metadata.name ?? '', t);
      if (t > (st.pods.get(p.metadata.name ?? '') ?? 0)) min = min === undefined ? t : Math.min(min, t);
    }
    const s = Date.parse(svc.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(s) && s > st.service) min = min === undefined ? s : Math.min(min, s);
    this.state.set(key, { pods: next, service: Number.isNaN(s) ? st.service : s });
    return min === undefined ? undefined : new Date(min).toISOString().replace(/\.000Z$/, 'Z');
  }

  forget(key: string): void {
    this.state.delete(key);
  }
}
