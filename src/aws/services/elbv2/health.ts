/**
 * The target health state machine of an emulated target group, as pure functions over a
 * TargetDoc (the backend persists the result and sets a timer for `until`).
 *
 * As ELB does (docs "Health checks for your target groups", botocore TargetHealthStateEnum):
 * - register → `initial` (Elb.RegistrationInProgress, then Elb.InitialHealthChecking) for
 *   HealthyThresholdCount × HealthCheckIntervalSeconds; then `healthy` when the check passes,
 *   else `unhealthy` (Target.FailedHealthChecks);
 * - a healthy target whose check starts failing turns `unhealthy` after UnhealthyThresholdCount
 *   intervals, and back to `healthy` after HealthyThresholdCount passing intervals;
 * - deregister → `draining` (Target.DeregistrationInProgress) for the target group's
 *   `deregistration_delay.timeout_seconds` (default 300), then the target is gone;
 * - a target group no listener forwards to shows `unused` (Target.NotInUse) — a view, not a state.
 *
 * Every duration is multiplied by `scale` (0 = transitions on the next tick; 1 = AWS's timing).
 */
import type { TargetDoc, TargetGroupDoc, TargetHealthView, TargetRef } from './model.js';

export const DEFAULT_DEREGISTRATION_DELAY_S = 300;

const REASONS = {
  registration: ['Elb.RegistrationInProgress', 'Target registration is in progress'],
  initial: ['Elb.InitialHealthChecking', 'Initial health checks in progress'],
  failed: ['Target.FailedHealthChecks', 'Health checks failed'],
  draining: ['Target.DeregistrationInProgress', 'Target deregistration is in progress'],
  unused: ['Target.NotInUse', 'Target group is not configured to receive traffic from the load balancer'],
} as const;

function reason(t: TargetDoc, r: keyof typeof REASONS): TargetDoc {
  return { ...t, reason: REASONS[r][0], description: REASONS[r][1] };
}

export function healthyAfterMs(tg: TargetGroupDoc, scale: number): number {
  return tg.healthCheck.intervalSeconds * tg.healthCheck.healthyThresholdCount * 1000 * scale;
}

export function unhealthyAfterMs(tg: TargetGroupDoc, scale: number): number {
  return tg.healthCheck.intervalSeconds * tg.healthCheck.unhealthyThresholdCount * 1000 * scale;
}

export function drainMs(tg: TargetGroupDoc, scale: number): number {
  const raw = Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? DEFAULT_DEREGISTRATION_DELAY_S);
  return (Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_DEREGISTRATION_DELAY_S) * 1000 * scale;
}

/** A newly registered target (or a draining one registered again). */
export function registered(ref: TargetRef, healthy: boolean, tg: TargetGroupDoc, now: number, scale: number): TargetDoc {
  const t: TargetDoc = { id: ref.id, port: ref.port, state: 'initial', since: now, until: now + healthyAfterMs(tg, scale), probe: healthy };
  if (ref.availabilityZone) t.availabilityZone = ref.availabilityZone;
  return reason(t, 'registration');
}

export function deregistered(t: TargetDoc, tg: TargetGroupDoc, now: number, scale: number): TargetDoc {
  if (t.state === 'draining') return t;
  return reason({ ...t, state: 'draining', since: now, until: now + drainMs(tg, scale) }, 'draining');
}

/** A new health-check verdict: flips of a settled target take the threshold count of intervals. */
export function probed(t: TargetDoc, healthy: boolean, tg: TargetGroupDoc, now: number, scale: number): TargetDoc {
  if (t.state === 'draining' || t.state === 'initial') return { ...t, probe: healthy };
  if (t.probe === healthy) return t;
  const settled = (t.state === 'healthy') === healthy;
  const next: TargetDoc = { ...t, probe: healthy };
  if (settled) delete next.until;
  else next.until = now + (healthy ? healthyAfterMs(tg, scale) : unhealthyAfterMs(tg, scale));
  return next;
}

/** Applies the transition due by `now`, if any; null = the target is gone (drained). */
export function advance(t: TargetDoc, now: number): TargetDoc | null {
  if (t.until === undefined || now < t.until) return t;
  if (t.state === 'draining') return null;
  const { until: _done, ...rest } = t;
  void _done;
  if (t.probe) {
    const { reason: _r, description: _d, ...clean } = rest;
    void _r; void _d;
    return { ...clean, state: 'healthy', since: now };
  }
  return reason({ ...rest, state: 'unhealthy', since: now }, 'failed');
}

/** What DescribeTargetHealth shows for a target at `now` (inUse: some listener forwards to the group). */
export function view(t: TargetDoc, now: number, inUse: boolean): TargetHealthView {
  if (t.state === 'draining') return { target: t, state: 'draining', reason: t.reason, description: t.description };
  if (!inUse) return { target: t, state: 'unused', reason: REASONS.unused[0], description: REASONS.unused[1] };
  if (t.state === 'initial') {
    // Registration first, then the initial checks (the first interval of the initial period).
    const half = t.until !== undefined ? t.since + (t.until - t.since) / 3 : t.since;
    const r = now < half ? REASONS.registration : REASONS.initial;
    return { target: t, state: 'initial', reason: r[0], description: r[1] };
  }
  return { target: t, state: t.state, reason: t.reason, description: t.description };
}

/** The earliest pending transition time among targets, if any. */
export function nextDue(targets: TargetDoc[]): number | undefined {
  let min: number | undefined;
  for (const t of targets) if (t.until !== undefined && (min === undefined || t.until < min)) min = t.until;
  return min;
}
