/**
 * ControllerRevisions as the StatefulSet and DaemonSet controllers keep them
 * (pkg/controller/history/controller_history.go and the callers' getStatefulSetRevisions /
 * constructHistory): a revision holds a patch that replaces the pod template, is named
 * `<owner>-<hash>`, carries a monotonically increasing `revision` number, and an equal template
 * reuses (and renumbers) an existing revision instead of creating another. A name collision
 * with a different template bumps the owner's collisionCount.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { canonicalJson, computeTemplateHash } from './hash.js';
import { CONTROLLERREVISIONS } from './workload-refs.js';

/** history.ControllerRevisionHashLabel: the hash label on every revision. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** apps.ControllerRevisionHashLabelKey: the pod label naming the revision a pod was made from. */
export const POD_REVISION_LABEL = 'controller-revision-hash';

/** The StatefulSet/DaemonSet getPatch: `{spec: {template: {…, $patch: replace}}}`. */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  const template = ((owner.spec as { template?: Record<string, unknown> } | undefined)?.template ?? {});
  return { spec: { template: { ...structuredClone(template), $patch: 'replace' } } };
}

/** The template stored in a revision's patch (without the `$patch` directive). */
export function templateOfRevision(rev: KubeObject): Record<string, unknown> {
  const t = { ...(((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template) ?? {}) };
  delete t.$patch;
  return t;
}

export function revisionNumber(rev: KubeObject): number {
  return (rev.revision as number | undefined) ?? 0;
}

/** history.SortControllerRevisions: by revision number, then creation time, then name. */
export function sortRevisions(revs: KubeObject[]): KubeObject[] {
  return [...revs].sort((a, b) => revisionNumber(a) - revisionNumber(b)
    || String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''))
    || String(a.metadata.name).localeCompare(String(b.metadata.name)));
}

/** history.ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** history.HashControllerRevision: FNV-32a over the revision data, with the collision count mixed in. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  return computeTemplateHash(data, collisionCount);
}

export interface RevisionRequest {
  client: ApiClient;
  owner: KubeObject;
  ownerRef: OwnerReference;
  /** The owner's revisions, already claimed. */
  revisions: KubeObject[];
  /** The hash naming the revision for a collision count (StatefulSet: of the data; DaemonSet: of the template). */
  hashOf: (collisionCount: number) => string;
  collisionCount: number;
}

export interface RevisionResult {
  revision: KubeObject;
  collisionCount: number;
  /** The owner's revisions after this call, sorted. */
  revisions: KubeObject[];
}

/**
 * The owner's revision for its current template: an existing equal revision (renumbered to the
 * next number unless it already is the newest) or a new one; AlreadyExists with other data
 * bumps collisionCount and retries (bounded).
 */
export async function ensureRevision(r: RevisionRequest): Promise<RevisionResult> {
  const ns = r.owner.metadata.namespace as string;
  const sorted = sortRevisions(r.revisions);
  const next = sorted.length ? revisionNumber(sorted[sorted.length - 1]!) + 1 : 1;
  const data = templatePatch(r.owner);
  const key = canonicalJson(data);
  const equal = sorted.filter((x) => canonicalJson(x.data) === key);
  if (equal.length) {
    const last = equal[equal.length - 1]!;
    if (last === sorted[sorted.length - 1]) return { revision: last, collisionCount: r.collisionCount, revisions: sorted };
    const updated = await r.client.update(CONTROLLERREVISIONS, ns, { ...last, revision: next });
    return { revision: updated, collisionCount: r.collisionCount, revisions: sortRevisions(sorted.map((x) => (x === last ? updated : x))) };
  }
  const labels = { ...(((r.owner.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels) ?? {}) };
  let collisionCount = r.collisionCount;
  for (let attempt = 0; attempt < 10; attempt++) {
    const hash = r.hashOf(collisionCount);
    const rev: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: { name: revisionName(r.owner.metadata.name as string, hash), namespace: ns, labels: { ...labels, [REVISION_HASH_LABEL]: hash }, ownerReferences: [r.ownerRef] },
      data, revision: next,
    };
    try {
      const created = await r.client.create(CONTROLLERREVISIONS, ns, rev);
      return { revision: created, collisionCount, revisions: sortRevisions([...sorted, created]) };
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
      const existing = await r.client.get(CONTROLLERREVISIONS, ns, rev.metadata.name as string);
      if (existing.metadata.ownerReferences?.some((o) => o.uid === r.ownerRef.uid) && canonicalJson(existing.data) === key) {
        return { revision: existing, collisionCount, revisions: sortRevisions([...sorted.filter((x) => x.metadata.name !== existing.metadata.name), existing]) };
      }
      collisionCount++;
    }
  }
  throw new Error(`too many ControllerRevision name collisions for ${ns}/${r.owner.metadata.name}`);
}

/**
 * truncateHistory: deletes the oldest revisions that are neither live (`live` names) nor
 * among the newest `limit` of the rest. Returns the names deleted.
 */
export async function truncateHistory(client: ApiClient, revisions: KubeObject[], live: Set<string>, limit: number): Promise<string[]> {
  const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name as string));
  const excess = history.slice(0, Math.max(0, history.length - limit));
  for (const r of excess) {
    try {
      await client.delete(CONTROLLERREVISIONS, r.metadata.namespace as string, r.metadata.name as string);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return excess.map((r) => r.metadata.name as string);
}
