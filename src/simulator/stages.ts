/**
 * The simulated pod lifecycle, declared as data (as KWOK's Stage resources): each stage has a
 * selector over a pod's observable facts, a delay (fixed, from an annotation, or a named
 * computation; measured from a reference time; plus deterministic jitter) and the name of the
 * effect applied when it is due (effects.ts). The first matching stage wins; applying an effect
 * changes the pod, which selects the next stage.
 */
import type { KubeObject } from '../api/types.js';
import { parseQuantity, quantityValue } from '../apimachinery/quantity.js';
import { parseTime } from '../apimachinery/time.js';
import { ANN } from './annotations.js';
import { containers, containerStatuses, hasCondition, initContainers, parseDurationMs, spec, status, type ContainerStatus } from './pod-status.js';
import { gracefulStopMs, preStopMs, probeFailureMs, probeMode, probeSuccessMs, type ProbeMode } from './probes.js';

/** How long a container takes to exit after SIGTERM when no keks.dev/stop-time says otherwise. */
export const DEFAULT_STOP_MS = 1000;

/** What a stage can select on (all values are strings so selectors are plain data). */
export interface PodFacts {
  phase: string;
  deleting: 'true' | 'false';
  hasInit: 'true' | 'false';
  initialized: 'true' | 'false';
  /** The main containers' state: none (no statuses yet), waiting, running, terminated. */
  containers: 'none' | 'waiting' | 'running' | 'terminated';
  waitingReason: string;
  ready: 'true' | 'false';
  hasReadinessProbe: 'true' | 'false';
  restartPolicy: string;
  imagePull: string;
  failAfter: 'true' | 'false';
  oom: 'true' | 'false';
  /** Every running container has passed its startup probe (containerStatuses[].started). */
  started: 'true' | 'false';
  startupProbe: ProbeMode;
  livenessProbe: ProbeMode;
  /** As ProbeMode, plus `failed`: a fail-after readiness probe that has reached failureThreshold by now. */
  readinessProbe: ProbeMode | 'failed';
}

export type EffectName = 'delete' | 'initialize' | 'run' | 'ready' | 'complete' | 'crash' | 'oomKill' | 'restart' | 'pullFail' | 'pullBackOff'
  | 'started' | 'startupKill' | 'livenessKill' | 'unready';
export type DelayFrom = 'observed' | 'deletionTimestamp' | 'startedAt' | 'finishedAt';
export type DelayFunction = 'readiness' | 'crashBackoff' | 'pullBackoff' | 'gracefulStop' | 'initContainers'
  | 'startup' | 'startupFailure' | 'livenessFailure' | 'readinessFailure';

export interface StageDelay {
  /** Fixed delay (ms). */
  ms?: number;
  /** Read the delay from this annotation (falling back to `ms`). */
  annotation?: string;
  /** Or compute it. */
  fn?: DelayFunction;
  /** Reference time the delay counts from (default: when the stage was first observed to match). */
  from?: DelayFrom;
  /** Up to this much extra delay, deterministic per pod and stage. */
  jitterMs?: number;
}

export interface Stage {
  name: string;
  /** Every listed fact must have one of the listed values. */
  match: Partial<Record<keyof PodFacts, string[]>>;
  delay: StageDelay;
  effect: EffectName;
}

const T = ['true'];
const F = ['false'];

/** The default lifecycle (order matters: first match wins). */
export const DEFAULT_STAGES: Stage[] = [
  { name: 'pod-delete-stopped', match: { deleting: T, containers: ['none', 'waiting', 'terminated'] }, delay: { ms: 0 }, effect: 'delete' },
  { name: 'pod-delete-graceful', match: { deleting: T, containers: ['running'] }, delay: { fn: 'gracefulStop' }, effect: 'delete' },
  { name: 'pod-image-pull-fail', match: { phase: ['Pending'], imagePull: ['fail'], waitingReason: ['', 'ContainerCreating', 'PodInitializing'] }, delay: { annotation: ANN.pullTime, ms: 0 }, effect: 'pullFail' },
  { name: 'pod-image-pull-backoff', match: { phase: ['Pending'], waitingReason: ['ErrImagePull'] }, delay: { ms: 1000 }, effect: 'pullBackOff' },
  { name: 'pod-image-pull-retry', match: { phase: ['Pending'], waitingReason: ['ImagePullBackOff'] }, delay: { fn: 'pullBackoff' }, effect: 'pullFail' },
  { name: 'pod-init-containers', match: { phase: ['Pending'], hasInit: T, initialized: F }, delay: { fn: 'initContainers' }, effect: 'initialize' },
  { name: 'pod-start', match: { phase: ['Pending'], containers: ['none', 'waiting'], waitingReason: ['', 'ContainerCreating', 'PodInitializing'] }, delay: { annotation: ANN.pullTime, ms: 0 }, effect: 'run' },
  { name: 'container-oom', match: { phase: ['Running'], containers: ['running'], oom: T }, delay: { annotation: ANN.oomAfter, ms: 2000, from: 'startedAt' }, effect: 'oomKill' },
  { name: 'container-fail', match: { phase: ['Running'], containers: ['running'], failAfter: T }, delay: { annotation: ANN.failAfter, from: 'startedAt' }, effect: 'crash' },
  { name: 'container-startup-fail', match: { phase: ['Running'], containers: ['running'], started: F, startupProbe: ['fail', 'fail-after'] }, delay: { fn: 'startupFailure', from: 'startedAt' }, effect: 'startupKill' },
  { name: 'container-startup-probe', match: { phase: ['Running'], containers: ['running'], started: F }, delay: { fn: 'startup', from: 'startedAt' }, effect: 'started' },
  { name: 'container-liveness-fail', match: { phase: ['Running'], containers: ['running'], started: T, livenessProbe: ['fail', 'fail-after'] }, delay: { fn: 'livenessFailure', from: 'startedAt' }, effect: 'livenessKill' },
  { name: 'pod-complete', match: { phase: ['Running'], containers: ['running'], restartPolicy: ['Never', 'OnFailure'] }, delay: { annotation: ANN.runTime, ms: 3000, from: 'startedAt' }, effect: 'complete' },
  { name: 'pod-readiness-fail', match: { phase: ['Running'], containers: ['running'], started: T, ready: T, readinessProbe: ['fail-after', 'failed'] }, delay: { fn: 'readinessFailure', from: 'startedAt' }, effect: 'unready' },
  { name: 'pod-readiness-never', match: { phase: ['Running'], containers: ['running'], started: T, ready: F, readinessProbe: ['fail'] }, delay: { fn: 'readinessFailure', from: 'startedAt' }, effect: 'unready' },
  { name: 'pod-ready-probe', match: { phase: ['Running'], containers: ['running'], started: T, ready: F, hasReadinessProbe: T, readinessProbe: ['ok', 'fail-after'] }, delay: { fn: 'readiness', from: 'startedAt' }, effect: 'ready' },
  { name: 'container-restart', match: { phase: ['Running', 'Pending'], containers: ['waiting'], waitingReason: ['CrashLoopBackOff'] }, delay: { fn: 'crashBackoff', from: 'finishedAt' }, effect: 'restart' },
];

function memoryLimitExceeded(pod: KubeObject): boolean {
  const use = pod.metadata.annotations?.[ANN.memoryUsage];
  if (!use) return false;
  try {
    const u = quantityValue(parseQuantity(use));
    return containers(pod).some((c) => {
      const lim = c.resources?.limits?.memory;
      return lim !== undefined && u > quantityValue(parseQuantity(lim));
    });
  } catch {
    return false;
  }
}

function mainState(statuses: ContainerStatus[]): PodFacts['containers'] {
  if (statuses.length === 0) return 'none';
  if (statuses.some((s) => s.state.waiting)) return 'waiting';
  if (statuses.some((s) => s.state.running)) return 'running';
  return 'terminated';
}

function readinessFact(pod: KubeObject, now: number | undefined): PodFacts['readinessProbe'] {
  const mode = probeMode(pod, 'readiness');
  if (mode !== 'fail-after' || now === undefined) return mode;
  const start = referenceTime(pod, 'startedAt');
  return start !== undefined && now >= start + probeSuccessMs(pod, 'startup') + probeFailureMs(pod, 'readiness') ? 'failed' : mode;
}

/** A pod's facts; `now` (the injected clock) decides whether a fail-after readiness probe has failed yet. */
export function podFacts(pod: KubeObject, now?: number): PodFacts {
  const st = containerStatuses(pod);
  const waiting = st.map((s) => s.state.waiting as { reason?: string } | undefined).find(Boolean);
  const ann = pod.metadata.annotations ?? {};
  const b = (x: boolean): 'true' | 'false' => (x ? 'true' : 'false');
  return {
    phase: String(status(pod).phase ?? 'Pending'),
    deleting: b(!!pod.metadata.deletionTimestamp),
    hasInit: b(initContainers(pod).length > 0),
    initialized: b(initContainers(pod).length === 0 || hasCondition(pod, 'Initialized')),
    containers: mainState(st),
    waitingReason: waiting?.reason ?? '',
    ready: b(hasCondition(pod, 'Ready')),
    hasReadinessProbe: b(containers(pod).some((c) => !!c.readinessProbe)),
    restartPolicy: String(spec(pod).restartPolicy ?? 'Always'),
    imagePull: ann[ANN.imagePull] ?? '',
    failAfter: b(parseDurationMs(ann[ANN.failAfter]) !== undefined),
    oom: b(memoryLimitExceeded(pod)),
    started: b(!st.some((s) => s.state.running && !s.started)),
    startupProbe: probeMode(pod, 'startup'),
    livenessProbe: probeMode(pod, 'liveness'),
    readinessProbe: readinessFact(pod, now),
  };
}

export function selectStage(stages: readonly Stage[], facts: PodFacts): Stage | undefined {
  return stages.find((s) => Object.entries(s.match).every(([k, vals]) => (vals as string[]).includes(facts[k as keyof PodFacts])));
}

/** Back-off of restarts: 10 s doubling to 5 min (kubelet's MaxContainerBackOff). */
export function restartBackoffMs(restartCount: number): number {
  return Math.min(300_000, 10_000 * 2 ** Math.max(0, restartCount - 1));
}

function hashFraction(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) { h ^= seed.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0) / 2 ** 32;
}

/** The reference time of a delay, or undefined when it counts from first observation. */
export function referenceTime(pod: KubeObject, from: DelayFrom | undefined): number | undefined {
  const st = containerStatuses(pod);
  switch (from) {
    case 'deletionTimestamp': {
      const t = parseTime(pod.metadata.deletionTimestamp ?? '');
      return t === undefined ? undefined : t - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    }
    case 'startedAt': {
      const ts = st.map((s) => (s.state.running as { startedAt?: string } | undefined)?.startedAt).filter(Boolean) as string[];
      return ts.length ? Math.max(...ts.map((t) => parseTime(t) ?? 0)) : undefined;
    }
    case 'finishedAt': {
      const ts = st.map((s) => (s.lastState.terminated as { finishedAt?: string } | undefined)?.finishedAt).filter(Boolean) as string[];
      return ts.length ? Math.max(...ts.map((t) => parseTime(t) ?? 0)) : undefined;
    }
    default:
      return undefined;
  }
}

/** The stage's delay for this pod, in ms (without the reference time). */
export function stageDelayMs(stage: Stage, pod: KubeObject, pullAttempts = 0): number {
  const d = stage.delay;
  const ann = pod.metadata.annotations ?? {};
  let ms = d.ms ?? 0;
  if (d.annotation) ms = parseDurationMs(ann[d.annotation]) ?? ms;
  switch (d.fn) {
    case 'readiness':
      // First probe after initialDelaySeconds; Ready after successThreshold successes periodSeconds apart
      // (counted from the start, or from the startup probe's success when there is one).
      ms = probeSuccessMs(pod, 'readiness') + probeSuccessMs(pod, 'startup');
      break;
    case 'startup':
      ms = probeSuccessMs(pod, 'startup');
      break;
    case 'startupFailure':
      ms = probeFailureMs(pod, 'startup');
      break;
    case 'livenessFailure':
      // Liveness probes run once the startup probe has passed.
      ms = probeSuccessMs(pod, 'startup') + probeFailureMs(pod, 'liveness');
      break;
    case 'readinessFailure':
      ms = probeSuccessMs(pod, 'startup') + probeFailureMs(pod, 'readiness');
      break;
    case 'crashBackoff':
      ms = restartBackoffMs(Math.max(1, ...containerStatuses(pod).map((s) => s.restartCount)));
      break;
    case 'pullBackoff':
      ms = restartBackoffMs(Math.max(1, pullAttempts));
      break;
    case 'gracefulStop': {
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
      const stop = parseDurationMs(ann[ANN.stopTime]);
      // Processes exit on SIGTERM in about a second unless told otherwise (keks.dev/stop-time);
      // the grace period is only the upper bound the kubelet enforces.
      ms = gracefulStopMs(grace, preStopMs(pod), stop ?? DEFAULT_STOP_MS);
      break;
    }
    case 'initContainers':
      ms = initContainers(pod).length * (parseDurationMs(ann[ANN.initTime]) ?? 500);
      break;
    default:
  }
  if (d.jitterMs) ms += Math.floor(hashFraction(`${pod.metadata.uid}/${stage.name}`) * d.jitterMs);
  return ms;
}
