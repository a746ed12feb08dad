/**
 * Probe timing for the simulated kubelet (as pkg/kubelet/prober/worker.go): a probe first runs
 * after initialDelaySeconds and then every periodSeconds; successThreshold consecutive successes
 * make it pass, failureThreshold consecutive failures make it fail (defaults 0/10/1/3). Whether a
 * probe fails is per pod, by annotation: `fail` (from the first probe) or `fail-after=<duration>`
 * (passes until that long after each container start, then fails). The probe output in the
 * `Unhealthy` event follows the handler kind, as prober.go's HTTP/TCP/exec probers word it.
 */
import type { KubeObject } from '../api/types.js';
import { ANN } from './annotations.js';
import { containers, parseDurationMs, type Container, type Obj } from './pod-status.js';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** none: no container has this probe; ok: it passes; fail: fails from the first probe; fail-after: fails later. */
export type ProbeMode = 'none' | 'ok' | 'fail' | 'fail-after';

interface ProbeSpec { initialDelaySeconds?: number; periodSeconds?: number; successThreshold?: number; failureThreshold?: number; httpGet?: Obj; tcpSocket?: Obj; exec?: Obj; grpc?: Obj }

const FIELD: Record<ProbeKind, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' };
const ANNOTATION: Record<ProbeKind, string> = { readiness: ANN.readiness, liveness: ANN.liveness, startup: ANN.startup };

export function probeOf(c: Container, kind: ProbeKind): ProbeSpec | undefined {
  return (c as unknown as Record<string, ProbeSpec | undefined>)[FIELD[kind]];
}

export function probedContainers(pod: KubeObject, kind: ProbeKind): Container[] {
  return containers(pod).filter((c) => !!probeOf(c, kind));
}

/** The `fail-after=` duration of a probe annotation, if that is what it says. */
function failAfterMs(pod: KubeObject, kind: ProbeKind): number | undefined {
  const v = pod.metadata.annotations?.[ANNOTATION[kind]]?.trim() ?? '';
  const m = /^fail-after\s*=\s*(.+)$/.exec(v);
  return m ? parseDurationMs(m[1]) : undefined;
}

export function probeMode(pod: KubeObject, kind: ProbeKind): ProbeMode {
  if (probedContainers(pod, kind).length === 0) return 'none';
  const v = pod.metadata.annotations?.[ANNOTATION[kind]]?.trim() ?? '';
  if (v === 'fail') return 'fail';
  if (failAfterMs(pod, kind) !== undefined) return 'fail-after';
  return 'ok';
}

/** After a container start: when the probe has passed (successThreshold successes), in ms. */
export function probeSuccessMs(pod: KubeObject, kind: ProbeKind): number {
  return Math.max(0, ...probedContainers(pod, kind).map((c) => {
    const p = probeOf(c, kind) ?? {};
    return ((p.initialDelaySeconds ?? 0) + ((p.successThreshold ?? 1) - 1) * (p.periodSeconds ?? 10)) * 1000;
  }));
}

/**
 * After a container start: when the kubelet acts on a failing probe (failureThreshold failures),
 * in ms — failures start at initialDelaySeconds (or at fail-after, if later) and the threshold
 * is reached failureThreshold × periodSeconds after that.
 */
export function probeFailureMs(pod: KubeObject, kind: ProbeKind): number {
  const from = failAfterMs(pod, kind) ?? 0;
  return Math.min(...probedContainers(pod, kind).map((c) => {
    const p = probeOf(c, kind) ?? {};
    return Math.max((p.initialDelaySeconds ?? 0) * 1000, from) + (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10) * 1000;
  }));
}

/** The probe's output in "<Kind> probe failed: <output>" (prober.go's HTTP, TCP, gRPC and exec probers). */
export function probeOutput(c: Container, kind: ProbeKind, podIP: string): string {
  const p = probeOf(c, kind) ?? {};
  if (p.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (p.tcpSocket) return `dial tcp ${podIP}:${String((p.tcpSocket as { port?: unknown }).port ?? '')}: connect: connection refused`;
  if (p.grpc) return `timeout: failed to connect service ":${String((p.grpc as { port?: unknown }).port ?? '')}" within 1s: context deadline exceeded`;
  // An exec probe's output is what the command printed (often nothing).
  return '';
}

/** Default run time of a preStop hook that neither an annotation nor a sleep states. */
export const DEFAULT_PRESTOP_MS = 0;

/**
 * How long the pod's preStop hooks run (the longest): keks.dev/prestop-time, else a `sleep`
 * hook's seconds, else an exec hook of the form `sleep N` / `sh -c "sleep N"`, else 0.
 */
export function preStopMs(pod: KubeObject): number {
  const hooks = containers(pod).map((c) => (c as unknown as { lifecycle?: { preStop?: { sleep?: { seconds?: number }; exec?: { command?: string[] } } } }).lifecycle?.preStop).filter(Boolean);
  if (hooks.length === 0) return 0;
  const ann = parseDurationMs(pod.metadata.annotations?.[ANN.preStopTime]);
  if (ann !== undefined) return ann;
  return Math.max(0, ...hooks.map((h) => {
    if (h?.sleep?.seconds !== undefined) return h.sleep.seconds * 1000;
    const m = /(?:^|\s|;|&)sleep\s+(\d+(?:\.\d+)?)/.exec((h?.exec?.command ?? []).join(' '));
    return m ? Number(m[1]) * 1000 : DEFAULT_PRESTOP_MS;
  }));
}

/** The kubelet's minimum time between SIGTERM and SIGKILL once preStop used the grace period (minimumGracePeriodInSeconds). */
export const MIN_GRACE_AFTER_PRESTOP_MS = 2000;

/**
 * From SIGTERM-time to the containers being gone, as kuberuntime's killContainer: the preStop hook
 * runs for at most the grace period; what is left of the grace period (at least 2 s) bounds the
 * time the process takes to exit after SIGTERM (stopMs); then SIGKILL.
 */
export function gracefulStopMs(graceMs: number, preStop: number, stopMs: number): number {
  const hook = Math.min(preStop, graceMs);
  const left = preStop > 0 ? Math.max(MIN_GRACE_AFTER_PRESTOP_MS, graceMs - hook) : graceMs;
  return hook + Math.min(stopMs, left);
}
