/**
 * What each lifecycle stage does to a pod (stages.ts names them): a new status, or the final
 * delete, and the kubelet Events upstream records at that point (pkg/kubelet/events and
 * kuberuntime: Pulling, Pulled, Created, Started, Killing, BackOff, Failed). Pure functions.
 */
import type { KubeObject } from '../api/types.js';
import { formatTime } from '../apimachinery/time.js';
import { ANN } from './annotations.js';
import {
  containerId, containers, containerStatuses, formatGoDuration, imageId, imageSize, initContainers, normalizeImage,
  parseDurationMs, spec, status, unreadyMessage, withCondition, conditions, type Condition, type Container, type ContainerStatus, type Obj,
} from './pod-status.js';
import { probedContainers, probeOutput, type ProbeKind } from './probes.js';
import type { EffectName } from './stages.js';

export interface KubeletEvent { type: 'Normal' | 'Warning'; reason: string; message: string; fieldPath?: string }

export interface EffectContext {
  now: number;
  hostIP: string;
  /** Gives the pod an IP (called only when it has none). */
  allocateIp(): string;
  /** Image pull attempts so far (for the back-off message). */
  pullAttempts: number;
}

export interface EffectResult {
  status?: Obj;
  delete?: boolean;
  events: KubeletEvent[];
}

const fp = (c: Container, init = false): string => `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;

function baseStatus(pod: KubeObject, ctx: EffectContext): Obj {
  const st = { ...status(pod) };
  const t = formatTime(ctx.now);
  st.hostIP = ctx.hostIP;
  st.hostIPs = [{ ip: ctx.hostIP }];
  if (!st.podIP) {
    const hostNetwork = spec(pod).hostNetwork === true;
    const ip = hostNetwork ? ctx.hostIP : ctx.allocateIp();
    st.podIP = ip;
    st.podIPs = [{ ip }];
  }
  st.startTime ??= t;
  return st;
}

function containerStatus(pod: KubeObject, c: Container, state: Obj, o: { ready?: boolean; started?: boolean; restartCount?: number; lastState?: Obj } = {}): ContainerStatus {
  const restartCount = o.restartCount ?? 0;
  const s: ContainerStatus = {
    name: c.name, image: normalizeImage(c.image), imageID: '', ready: o.ready ?? false, started: o.started ?? false,
    restartCount, state, lastState: o.lastState ?? {},
  };
  if (!state.waiting || o.lastState?.terminated) {
    s.imageID = imageId(c.image);
    s.containerID = containerId(pod.metadata.uid ?? '', c.name, restartCount);
  }
  return s;
}

function pullEvents(c: Container, init: boolean, pod: KubeObject): KubeletEvent[] {
  const ms = parseDurationMs(pod.metadata.annotations?.[ANN.pullTime]) ?? 800 + (imageSize(c.image) % 1200);
  const d = formatGoDuration(ms);
  const path = fp(c, init);
  const pulled: KubeletEvent[] = [
    { type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.image}"`, fieldPath: path },
    { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${c.image}" in ${d} (${d} including waiting). Image size: ${imageSize(c.image)} bytes.`, fieldPath: path },
  ];
  return [...pulled,
    { type: 'Normal', reason: 'Created', message: `Created container: ${c.name}`, fieldPath: path },
    { type: 'Normal', reason: 'Started', message: `Started container ${c.name}`, fieldPath: path }];
}

function setReadiness(conds: Condition[], pod: KubeObject, statuses: ContainerStatus[], t: string): Condition[] {
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const ok = unready.length === 0 && statuses.length > 0;
  const msg = ok ? {} : { reason: 'ContainersNotReady', message: unreadyMessage(unready.length ? unready : containers(pod).map((c) => c.name)) };
  let out = withCondition(conds, { type: 'Ready', status: ok ? 'True' : 'False', ...msg }, t);
  out = withCondition(out, { type: 'ContainersReady', status: ok ? 'True' : 'False', ...msg }, t);
  return out;
}

function run(pod: KubeObject, ctx: EffectContext): EffectResult {
  const st = baseStatus(pod, ctx);
  const t = formatTime(ctx.now);
  const cs = containers(pod).map((c) => containerStatus(pod, c, { running: { startedAt: t } }, { ready: !c.readinessProbe && !c.startupProbe, started: !c.startupProbe }));
  let conds = withCondition(conditions(pod), { type: 'PodReadyToStartContainers', status: 'True' }, t);
  conds = withCondition(conds, { type: 'Initialized', status: 'True' }, t);
  conds = setReadiness(conds, pod, cs, t);
  const events = containers(pod).flatMap((c) => pullEvents(c, false, pod));
  return { status: { ...st, phase: 'Running', conditions: conds, containerStatuses: cs }, events };
}

function initialize(pod: KubeObject, ctx: EffectContext): EffectResult {
  const st = baseStatus(pod, ctx);
  const t = formatTime(ctx.now);
  const ics = initContainers(pod).map((c) => containerStatus(pod, c, { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: containerId(pod.metadata.uid ?? '', c.name, 0) } }, { started: false }));
  const cs = containers(pod).map((c) => containerStatus(pod, c, { waiting: { reason: 'PodInitializing' } }));
  let conds = withCondition(conditions(pod), { type: 'PodReadyToStartContainers', status: 'True' }, t);
  conds = withCondition(conds, { type: 'Initialized', status: 'True' }, t);
  conds = setReadiness(conds, pod, cs, t);
  const events = initContainers(pod).flatMap((c) => pullEvents(c, true, pod));
  return { status: { ...st, conditions: conds, initContainerStatuses: ics, containerStatuses: cs }, events };
}

function ready(pod: KubeObject, ctx: EffectContext): EffectResult {
  const t = formatTime(ctx.now);
  const cs = containerStatuses(pod).map((s) => (s.state.running ? { ...s, ready: true } : s));
  return { status: { ...status(pod), containerStatuses: cs, conditions: setReadiness(conditions(pod), pod, cs, t) }, events: [] };
}

/** The startup probe passed: containers are started, and Ready unless a readiness probe still has to pass. */
function started(pod: KubeObject, ctx: EffectContext): EffectResult {
  const t = formatTime(ctx.now);
  const byName = new Map(containers(pod).map((c) => [c.name, c]));
  const cs = containerStatuses(pod).map((s) => (s.state.running && !s.started ? { ...s, started: true, ready: !byName.get(s.name)?.readinessProbe } : s));
  return { status: { ...status(pod), containerStatuses: cs, conditions: setReadiness(conditions(pod), pod, cs, t) }, events: [] };
}

const KIND_WORD: Record<ProbeKind, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

/** prober.go: `Unhealthy` "<Kind> probe failed: <output>" for each container whose probe failed. */
function unhealthyEvents(pod: KubeObject, kind: ProbeKind): KubeletEvent[] {
  const ip = String(status(pod).podIP ?? '');
  return probedContainers(pod, kind).map((c) => ({ type: 'Warning', reason: 'Unhealthy', message: `${KIND_WORD[kind]} probe failed: ${probeOutput(c, kind, ip)}`, fieldPath: fp(c) }));
}

/** The readiness probe reached failureThreshold: not ready (the pod leaves Endpoints), containers keep running. */
function unready(pod: KubeObject, ctx: EffectContext): EffectResult {
  const t = formatTime(ctx.now);
  const failing = new Set(probedContainers(pod, 'readiness').map((c) => c.name));
  const cs = containerStatuses(pod).map((s) => (failing.has(s.name) ? { ...s, ready: false } : s));
  return { status: { ...status(pod), containerStatuses: cs, conditions: setReadiness(conditions(pod), pod, cs, t) }, events: unhealthyEvents(pod, 'readiness') };
}

/**
 * A liveness or startup probe reached failureThreshold: kuberuntime kills the container
 * ("Container X failed liveness probe, will be restarted", reason Killing) and it exits as a
 * process killed at the end of its grace period does (137, Error); restartPolicy decides the rest.
 */
function probeKill(pod: KubeObject, ctx: EffectContext, kind: 'liveness' | 'startup'): EffectResult {
  const killed = terminate(pod, ctx, 137, 'Error');
  const kills = probedContainers(pod, kind).map((c): KubeletEvent => ({ type: 'Normal', reason: 'Killing', message: `Container ${c.name} failed ${kind} probe, will be restarted`, fieldPath: fp(c) }));
  return { ...killed, events: [...unhealthyEvents(pod, kind), ...kills, ...killed.events] };
}

function terminate(pod: KubeObject, ctx: EffectContext, exitCode: number, reason: string): EffectResult {
  const t = formatTime(ctx.now);
  const policy = String(spec(pod).restartPolicy ?? 'Always');
  const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  const byName = new Map(containers(pod).map((c) => [c.name, c]));
  const cs = containerStatuses(pod).map((s) => {
    const c = byName.get(s.name) as Container;
    const startedAt = (s.state.running as { startedAt?: string } | undefined)?.startedAt ?? t;
    const terminated = { exitCode, reason, startedAt, finishedAt: t, containerID: s.containerID };
    if (!restart) return { ...s, ready: false, started: false, state: { terminated } };
    return containerStatus(pod, c, { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${restartBackoff(s.restartCount + 1)} restarting failed container=${s.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } },
      { restartCount: s.restartCount + 1, lastState: { terminated }, started: false });
  });
  let conds = conditions(pod);
  const events: KubeletEvent[] = [];
  if (restart) {
    conds = setReadiness(conds, pod, cs, t);
    for (const c of containers(pod)) events.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, fieldPath: fp(c) });
    return { status: { ...status(pod), containerStatuses: cs, conditions: conds }, events };
  }
  const phase = exitCode === 0 ? 'Succeeded' : 'Failed';
  const done = { reason: 'PodCompleted' };
  conds = withCondition(conds, { type: 'PodReadyToStartContainers', status: 'False' }, t);
  conds = withCondition(conds, { type: 'Initialized', status: 'True', ...done }, t);
  conds = withCondition(conds, { type: 'Ready', status: 'False', ...done }, t);
  conds = withCondition(conds, { type: 'ContainersReady', status: 'False', ...done }, t);
  return { status: { ...status(pod), phase, containerStatuses: cs, conditions: conds }, events };
}

function restartBackoff(n: number): string {
  return formatGoDuration(Math.min(300_000, 10_000 * 2 ** Math.max(0, n - 1)));
}

function restart(pod: KubeObject, ctx: EffectContext): EffectResult {
  const t = formatTime(ctx.now);
  const byName = new Map(containers(pod).map((c) => [c.name, c]));
  const cs = containerStatuses(pod).map((s) => {
    const c = byName.get(s.name) as Container;
    if (!s.state.waiting) return s;
    return containerStatus(pod, c, { running: { startedAt: t } }, { restartCount: s.restartCount, lastState: s.lastState, started: !c.startupProbe, ready: !c.readinessProbe && !c.startupProbe });
  });
  const events = containers(pod).flatMap((c) => [
    { type: 'Normal' as const, reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, fieldPath: fp(c) },
    { type: 'Normal' as const, reason: 'Created', message: `Created container: ${c.name}`, fieldPath: fp(c) },
    { type: 'Normal' as const, reason: 'Started', message: `Started container ${c.name}`, fieldPath: fp(c) },
  ]);
  return { status: { ...status(pod), phase: 'Running', containerStatuses: cs, conditions: setReadiness(conditions(pod), pod, cs, t) }, events };
}

function pullFail(pod: KubeObject, ctx: EffectContext): EffectResult {
  const st = baseStatus(pod, ctx);
  const t = formatTime(ctx.now);
  const cs = containers(pod).map((c) => containerStatus(pod, c, { waiting: { reason: 'ErrImagePull', message: `failed to pull and unpack image "${normalizeImage(c.image)}": failed to resolve reference "${normalizeImage(c.image)}": not found` } }));
  let conds = withCondition(conditions(pod), { type: 'PodReadyToStartContainers', status: 'True' }, t);
  conds = withCondition(conds, { type: 'Initialized', status: 'True' }, t);
  conds = setReadiness(conds, pod, cs, t);
  const events = containers(pod).flatMap((c): KubeletEvent[] => [
    { type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.image}"`, fieldPath: fp(c) },
    { type: 'Warning', reason: 'Failed', message: `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${normalizeImage(c.image)}": failed to resolve reference "${normalizeImage(c.image)}": ${normalizeImage(c.image)}: not found`, fieldPath: fp(c) },
    { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull', fieldPath: fp(c) },
  ]);
  return { status: { ...st, conditions: conds, containerStatuses: cs }, events };
}

function pullBackOff(pod: KubeObject): EffectResult {
  const cs = containerStatuses(pod).map((s) => ({ ...s, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${containers(pod).find((c) => c.name === s.name)?.image ?? s.image}"` } } }));
  const events = containers(pod).flatMap((c): KubeletEvent[] => [
    { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${c.image}"`, fieldPath: fp(c) },
    { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', fieldPath: fp(c) },
  ]);
  return { status: { ...status(pod), containerStatuses: cs }, events };
}

function del(pod: KubeObject): EffectResult {
  const running = containerStatuses(pod).filter((s) => s.state.running).map((s) => s.name);
  const events = containers(pod).filter((c) => running.includes(c.name))
    .map((c): KubeletEvent => ({ type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}`, fieldPath: fp(c) }));
  // kuberuntime's executePreStopHook records only that the hook failed (never its output).
  if (pod.metadata.annotations?.[ANN.preStop] === 'fail') {
    for (const c of containers(pod)) {
      if (running.includes(c.name) && (c as unknown as { lifecycle?: { preStop?: unknown } }).lifecycle?.preStop) events.push({ type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed', fieldPath: fp(c) });
    }
  }
  return { delete: true, events };
}

export function applyEffect(name: EffectName, pod: KubeObject, ctx: EffectContext): EffectResult {
  switch (name) {
    case 'run': return run(pod, ctx);
    case 'initialize': return initialize(pod, ctx);
    case 'ready': return ready(pod, ctx);
    case 'complete': return terminate(pod, ctx, 0, 'Completed');
    case 'crash': return terminate(pod, ctx, Number(pod.metadata.annotations?.[ANN.exitCode] ?? 1) || 1, 'Error');
    case 'oomKill': return terminate(pod, ctx, 137, 'OOMKilled');
    case 'restart': return restart(pod, ctx);
    case 'pullFail': return pullFail(pod, ctx);
    case 'pullBackOff': return pullBackOff(pod);
    case 'delete': return del(pod);
    case 'started': return started(pod, ctx);
    case 'unready': return unready(pod, ctx);
    case 'startupKill': return probeKill(pod, ctx, 'startup');
    case 'livenessKill': return probeKill(pod, ctx, 'liveness');
  }
}
