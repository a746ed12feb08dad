/**
 * A StatefulSet pod's identity and storage (pkg/controller/statefulset/stateful_set_utils.go):
 * the name `<set>-<ordinal>`, the `statefulset.kubernetes.io/pod-name` and
 * `apps.kubernetes.io/pod-index` labels, hostname and subdomain (the governing Service), and
 * one PersistentVolumeClaim per volumeClaimTemplate named `<claim>-<set>-<ordinal>`, mounted
 * through a volume named after the claim template.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { POD_REVISION_LABEL } from '../util/history.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface StsSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  ordinals?: { start?: number };
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: Record<string, unknown> };
  volumeClaimTemplates?: KubeObject[];
  selector?: { matchLabels?: Record<string, string> };
}

export function stsSpec(set: KubeObject): StsSpec {
  return (set.spec ?? {}) as StsSpec;
}

/** getParentNameAndOrdinal: `<parent>-<n>` → [parent, n], or undefined. */
export function parentAndOrdinal(pod: KubeObject): { parent: string; ordinal: number } | undefined {
  const m = /^(.*)-(\d+)$/.exec(pod.metadata.name ?? '');
  return m ? { parent: m[1]!, ordinal: Number(m[2]) } : undefined;
}

export function ordinalOf(pod: KubeObject): number {
  return parentAndOrdinal(pod)?.ordinal ?? -1;
}

/** isMemberOf: the pod's name is `<set>-<ordinal>`. */
export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  return parentAndOrdinal(pod)?.parent === set.metadata.name;
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaimName: `<claim>-<set>-<ordinal>`. */
export function claimName(set: KubeObject, claim: KubeObject, ordinal: number): string {
  return `${claim.metadata.name}-${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaims: the claims a pod of `ordinal` uses, labelled with the set's selector labels. */
export function claimsFor(set: KubeObject, ordinal: number): KubeObject[] {
  const spec = stsSpec(set);
  return (spec.volumeClaimTemplates ?? []).map((t) => {
    const labels = { ...(t.metadata.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) };
    const claim: KubeObject = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: claimName(set, t, ordinal), namespace: set.metadata.namespace, labels },
      spec: structuredClone(t.spec ?? {}),
    };
    if (t.metadata.annotations) claim.metadata.annotations = { ...t.metadata.annotations };
    return claim;
  });
}

interface PodSpecShape { hostname?: string; subdomain?: string; volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> }

/** updateStorage: a volume per claim template pointing at the pod's claim, replacing same-named template volumes. */
function updateStorage(set: KubeObject, pod: KubeObject, ordinal: number): void {
  const templates = stsSpec(set).volumeClaimTemplates ?? [];
  if (!templates.length) return;
  const spec = pod.spec as PodSpecShape;
  const names = new Set(templates.map((t) => t.metadata.name));
  const volumes = (spec.volumes ?? []).filter((v) => !names.has(v.name));
  for (const t of templates) volumes.push({ name: t.metadata.name as string, persistentVolumeClaim: { claimName: claimName(set, t, ordinal) } });
  spec.volumes = volumes;
}

/** initIdentity / updateIdentity: name, labels, hostname and subdomain. */
function updateIdentity(set: KubeObject, pod: KubeObject, ordinal: number): void {
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
  const spec = pod.spec as PodSpecShape;
  spec.hostname = pod.metadata.name;
  const svc = stsSpec(set).serviceName;
  if (svc) spec.subdomain = svc; else delete spec.subdomain;
}

/** identityMatches: name, namespace, labels and subdomain as the set wants them. */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const p = parentAndOrdinal(pod);
  const l = pod.metadata.labels ?? {};
  const svc = stsSpec(set).serviceName;
  return !!p && p.parent === set.metadata.name && pod.metadata.namespace === set.metadata.namespace
    && l[POD_NAME_LABEL] === pod.metadata.name && l[POD_INDEX_LABEL] === String(p.ordinal)
    && ((pod.spec as PodSpecShape).subdomain ?? '') === (svc ?? '');
}

/** newVersionedStatefulSetPod's core: the template, identity, storage and the revision label. */
export function newStatefulSetPod(set: KubeObject, ordinal: number, revisionName: string, ownerRef: OwnerReference): KubeObject {
  const t = stsSpec(set).template ?? {};
  const metadata: KubeObject['metadata'] = { ownerReferences: [ownerRef] };
  if (t.metadata?.labels) metadata.labels = { ...t.metadata.labels };
  if (t.metadata?.annotations) metadata.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) metadata.finalizers = [...t.metadata.finalizers];
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(t.spec ?? {}) };
  updateIdentity(set, pod, ordinal);
  updateStorage(set, pod, ordinal);
  pod.metadata.labels = { ...pod.metadata.labels, [POD_REVISION_LABEL]: revisionName };
  return pod;
}

/** The identity patch for a pod whose labels/subdomain drifted (updateStatefulPod). */
export function identityPatch(set: KubeObject, pod: KubeObject): Record<string, unknown> {
  const fixed = structuredClone(pod);
  updateIdentity(set, fixed, ordinalOf(pod));
  return { metadata: { labels: fixed.metadata.labels } };
}

export function podRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[POD_REVISION_LABEL] ?? '';
}
