/**
 * Building blocks of a pod's status as the kubelet writes it (pkg/kubelet/status/generate.go and
 * kubelet_pods.go generateAPIPodStatus): conditions in the kubelet's order with transition times
 * kept while a condition's status is unchanged, container statuses with containerd IDs, and the
 * image names the runtime reports.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';

export type Obj = Record<string, unknown>;
export interface Container { name: string; image: string; readinessProbe?: Obj; startupProbe?: Obj; resources?: { limits?: Record<string, string> }; restartPolicy?: string }
export interface Condition { type: string; status: 'True' | 'False'; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string }
export interface ContainerStatus {
  name: string; image: string; imageID: string; containerID?: string;
  ready: boolean; started: boolean; restartCount: number;
  state: Obj; lastState: Obj;
}

export function spec(pod: KubeObject): Obj {
  return (pod.spec ?? {}) as Obj;
}

export function status(pod: KubeObject): Obj {
  return (pod.status ?? {}) as Obj;
}

export function containers(pod: KubeObject): Container[] {
  return (spec(pod).containers as Container[] | undefined) ?? [];
}

export function initContainers(pod: KubeObject): Container[] {
  return (spec(pod).initContainers as Container[] | undefined) ?? [];
}

export function containerStatuses(pod: KubeObject): ContainerStatus[] {
  return (status(pod).containerStatuses as ContainerStatus[] | undefined) ?? [];
}

/** The fully qualified reference containerd reports: nginx → docker.io/library/nginx:latest. */
export function normalizeImage(image: string): string {
  let ref = image;
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

function sha(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** imageID: the repo digest (deterministic per image name). */
export function imageId(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return `${repo}@sha256:${sha(`image/${ref}`)}`;
}

/** Image size for the Pulled event (deterministic, 20–200 MB). */
export function imageSize(image: string): number {
  return 20_000_000 + (parseInt(sha(`size/${normalizeImage(image)}`).slice(0, 8), 16) % 180_000_000);
}

export function containerId(podUid: string, name: string, restart: number): string {
  return `containerd://${sha(`${podUid}/${name}/${restart}`)}`;
}

/** Sets a condition, keeping lastTransitionTime when the status does not change (as the kubelet's status manager). */
export function withCondition(conds: Condition[], c: { type: string; status: 'True' | 'False'; reason?: string; message?: string }, now: string): Condition[] {
  const prev = conds.find((x) => x.type === c.type);
  const next: Condition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
  if (c.reason) next.reason = c.reason;
  if (c.message) next.message = c.message;
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  const out = conds.filter((x) => x.type !== c.type);
  out.push(next);
  return out.sort((a, b) => (order.indexOf(a.type) + 1 || 99) - (order.indexOf(b.type) + 1 || 99));
}

export function conditions(pod: KubeObject): Condition[] {
  return (status(pod).conditions as Condition[] | undefined) ?? [];
}

export function hasCondition(pod: KubeObject, type: string, s: 'True' | 'False' = 'True'): boolean {
  return conditions(pod).some((c) => c.type === type && c.status === s);
}

/** "containers with unready status: [a b]" (kubelet's ContainersNotReady message). */
export function unreadyMessage(names: string[]): string {
  return `containers with unready status: [${names.join(' ')}]`;
}

/** Parses durations like 10s, 1.5s, 500ms, 2m, 1h (a bare number is seconds). Undefined if malformed. */
export function parseDurationMs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

/** Go's time.Duration String() for the Pulled event: 1.2s, 797ms. */
export function formatGoDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toString()}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${((ms % 60_000) / 1000).toString()}s`;
}
