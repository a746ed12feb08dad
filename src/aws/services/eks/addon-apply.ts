/**
 * Puts an add-on's objects into a cluster (and takes them out) through the control plane's
 * in-cluster client. Create, or on AlreadyExists update in place: with resolveConflicts
 * OVERWRITE/unset the add-on's fields replace the existing ones; with NONE an object someone
 * else created (no `app.kubernetes.io/managed-by: EKS` label) fails the add-on, as EKS reports a
 * conflict (health issue ConfigurationConflict); PRESERVE keeps the existing object. Services
 * keep their allocated clusterIP (immutable).
 */
import type { ApiClient } from '../../../client/client.js';
import { isConflict, isNotFound } from '../../../client/errors.js';
import type { KubeObject } from '../../../api/types.js';
import type { ManifestObject } from './addon-manifests.js';

export type ResolveConflicts = 'OVERWRITE' | 'NONE' | 'PRESERVE';

export class AddonConflictError extends Error {
  constructor(readonly objectName: string, readonly kind: string) {
    super(`Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts: ${kind} ${objectName}`);
    this.name = 'AddonConflictError';
  }
}

const nsOf = (m: ManifestObject): string => (m.ref.namespaced ? (m.obj.metadata.namespace ?? 'kube-system') : '');

export async function applyManifests(client: ApiClient, objs: ManifestObject[], mode: ResolveConflicts = 'OVERWRITE'): Promise<void> {
  for (const m of objs) await applyOne(client, m, mode);
}

/** One object: create, or update in place, retrying a few times on 409 (controllers write status meanwhile). */
async function applyOne(client: ApiClient, m: ManifestObject, mode: ResolveConflicts): Promise<void> {
  const ns = nsOf(m);
  const name = m.obj.metadata.name as string;
  for (let attempt = 0; ; attempt++) {
    // GET first, as `kubectl apply` does: creating a Service whose fixed clusterIP is taken
    // fails with 422 (IP allocation runs before the name check), not 409.
    let cur: KubeObject | undefined;
    try { cur = await client.get(m.ref, ns, name); } catch (e) { if (!isNotFound(e)) throw e; }
    try {
      if (!cur) { await client.create(m.ref, ns, m.obj); return; }
      const ours = cur.metadata.labels?.['app.kubernetes.io/managed-by'] === 'EKS';
      if (!ours && mode === 'NONE') throw new AddonConflictError(name, m.obj.kind ?? m.ref.resource);
      if (!ours && mode === 'PRESERVE') return;
      await client.update(m.ref, ns, merged(cur, m));
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
    }
  }
}

function merged(cur: KubeObject, m: ManifestObject): KubeObject {
  const next: KubeObject = {
    ...cur, ...m.obj,
    metadata: {
      ...cur.metadata,
      labels: { ...(cur.metadata.labels ?? {}), ...(m.obj.metadata.labels ?? {}) },
      annotations: { ...(cur.metadata.annotations ?? {}), ...(m.obj.metadata.annotations ?? {}) },
    },
  };
  if (m.ref.resource === 'services') {
    const curSpec = (cur.spec ?? {}) as Record<string, unknown>;
    next.spec = { ...(m.obj.spec as Record<string, unknown>), clusterIP: curSpec.clusterIP, ...(curSpec.clusterIPs ? { clusterIPs: curSpec.clusterIPs } : {}) };
  }
  delete next.status;
  return next;
}

/** Deletes the add-on's objects (workloads first), ignoring ones already gone. */
export async function deleteManifests(client: ApiClient, objs: ManifestObject[]): Promise<void> {
  for (const m of [...objs].reverse()) {
    try {
      await client.delete(m.ref, nsOf(m), m.obj.metadata.name as string, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
