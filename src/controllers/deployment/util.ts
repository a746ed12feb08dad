/**
 * Deployment helpers (pkg/controller/deployment/util/deployment_util.go): surge/unavailable
 * fenceposts, revisions and the annotations a Deployment puts on its ReplicaSets, finding the
 * new and old ReplicaSets, and the replica arithmetic of rolling updates.
 */
import type { KubeObject } from '../../api/types.js';
import { canonicalJson } from '../util/hash.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** maxRevHistoryLengthInChars in sync.go. */
export const MAX_REV_HISTORY_CHARS = 2000;
/** math.MaxInt32: progressDeadlineSeconds with this value means "no deadline". */
const MAX_INT32 = 2147483647;

/** Annotations never copied from a Deployment to its ReplicaSets (annotationsToSkip). */
const SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

export type IntOrString = number | string;

export interface DeploymentSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface RSStatus { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }> }

export function dspec(d: KubeObject): DeploymentSpec {
  return (d.spec ?? {}) as DeploymentSpec;
}
export function replicasOf(obj: KubeObject): number {
  return (obj.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}
export function rsStatus(rs: KubeObject): RSStatus {
  return (rs.status ?? {}) as RSStatus;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g '5%')`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function isRollingUpdate(d: KubeObject): boolean {
  return (dspec(d).strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero → unavailable 1. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function fenceposts(d: KubeObject): [number, number] {
  const ru = dspec(d).strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge ?? '25%', ru.maxUnavailable ?? '25%', replicasOf(d));
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas; never more than replicas. */
export function maxUnavailable(d: KubeObject): number {
  const r = replicasOf(d);
  if (!isRollingUpdate(d) || r === 0) return 0;
  return Math.min(fenceposts(d)[1], r);
}

export function revisionOf(rs: KubeObject): number {
  const v = rs.metadata.annotations?.[REVISION];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

export function maxRevision(rss: KubeObject[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const p = dspec(d).progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

function stripHash(template: unknown): unknown {
  const t = structuredClone(template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped from both. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return canonicalJson(stripHash(a)) === canonicalJson(stripHash(b));
}

function created(o: KubeObject): number {
  return o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  return created(a) - created(b) || String(a.metadata.name).localeCompare(String(b.metadata.name));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash). */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  const tpl = dspec(d).template;
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash((rs.spec as { template?: unknown }).template, tpl));
}

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export function specReplicas(rss: Array<KubeObject | undefined>): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}
/** Sum of status.replicas / readyReplicas / availableReplicas. */
export function statusSum(rss: Array<KubeObject | undefined>, f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs ? rsStatus(rs)[f] ?? 0 : 0), 0);
}

export function activeReplicaSets(rss: Array<KubeObject | undefined>): KubeObject[] {
  return rss.filter((rs): rs is KubeObject => !!rs && replicasOf(rs) > 0);
}

export function annotationInt(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) { a[DESIRED_REPLICAS] = String(desired); changed = true; }
  if (a[MAX_REPLICAS] !== String(max)) { a[MAX_REPLICAS] = String(max); changed = true; }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision (keeping the
 * previous one in revision-history when an old ReplicaSet becomes new again, i.e. a rollback),
 * and on creation (`exists` false) the replicas annotations. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = a[REVISION] !== undefined;
  const oldRevision = had ? Number.parseInt(a[REVISION] as string, 10) : 0;
  if (Number.isNaN(oldRevision)) return false;
  if (oldRevision < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (had) {
      const hist = a[REVISION_HISTORY] ?? '';
      let parts = hist === '' ? [] : hist.split(',');
      let total = hist.length + String(oldRevision).length + 1;
      while (total > MAX_REV_HISTORY_CHARS && parts.length) { total -= parts[0]!.length + 1; parts = parts.slice(1); }
      if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY] = [...parts, String(oldRevision)].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** NewRSNewReplicas: how far the new ReplicaSet may be scaled up now. */
export function newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const want = replicasOf(d);
  const maxTotal = want + maxSurge(d);
  const current = specReplicas(all);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, want - replicasOf(newRS));
}

/** IsSaturated: the new ReplicaSet has all desired replicas, annotated and available. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const want = replicasOf(d);
  return replicasOf(rs) === want && annotationInt(rs, DESIRED_REPLICAS) === want && (rsStatus(rs).availableReplicas ?? 0) === want;
}

/** math.Round (half away from zero), as integer.RoundToInt32. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** GetProportion: this ReplicaSet's share of a proportional scale, bounded by what is left to add. */
export function proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number, deploymentStatusReplicas: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const maxNow = replicasOf(d) + maxSurge(d);
    let before = annotationInt(rs, MAX_REPLICAS) ?? 0;
    if (before === 0) before = deploymentStatusReplicas;
    fraction = before === 0 ? 0 : roundHalfAway((replicasOf(rs) * maxNow) / before) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
