/**
 * POST pods/{name}/eviction (pkg/registry/core/pod/storage/eviction.go EvictionREST.Create):
 * deletes a pod unless that would violate its PodDisruptionBudget.
 *
 * - more than one PDB selecting the pod → 500 (upstream wording);
 * - pods that are not running (Pending, Succeeded, Failed) or already being deleted are deleted
 *   without a PDB check (canIgnorePDB);
 * - a running but not-ready pod is deleted without using a disruption when the budget is healthy
 *   (currentHealthy >= desiredHealthy; the default unhealthyPodEvictionPolicy IfHealthyBudget);
 * - otherwise status.disruptionsAllowed must be > 0, else 429 TooManyRequests with a
 *   DisruptionBudget cause; it is decremented through a compare-and-swap status write (the
 *   store's guaranteed update retries conflicts and re-checks the budget) before the pod is deleted.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, StatusError } from '../../apimachinery/errors.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../../apimachinery/labels.js';
import { rfc3339 } from '../../registry/generic/store.js';
import { MATCH_EVERYTHING } from '../../registry/generic/filter.js';
import type { DeleteOptions } from '../../registry/generic/options.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './context.js';
import { decodeObjectBody, readBody } from './body.js';
import { writeObject } from './respond.js';

type Obj = Record<string, unknown>;
interface PdbStatus { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number }

const BUDGET_MESSAGE = 'Cannot evict pod as it would violate the pod\'s disruption budget.';

export async function handleEviction(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']) as Obj;
  const meta = (body.metadata ?? {}) as Obj;
  if (meta.name !== undefined && meta.name !== r.info.name) throw badRequest('name in URL does not match name in Eviction object');
  const ns = r.info.namespace;
  const name = r.info.name;
  const dryRun = isDryRun(r.query) || isDryRunList((body.deleteOptions as Obj | undefined)?.dryRun);
  const pod = await r.served.store.get(ns, name);
  const del = deleteOptionsOf((body.deleteOptions ?? {}) as Obj, dryRun);

  if (!canIgnorePdb(pod)) {
    const pdbs = await matchingPdbs(r, pod);
    if (pdbs.length > 1) {
      throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    if (pdbs.length === 1) await checkAndDecrement(r, pdbs[0], pod, dryRun);
  }
  const sp = r.served.spec;
  await r.served.store.delete(ns, name, {
    ...del,
    // The pod deletion passes validating admission as a DELETE of the pod (as handleDelete does).
    admit: (o) => r.admission.validate({
      operation: 'DELETE', group: sp.group, version: sp.version, resource: sp.resource, subresource: '', kind: sp.kind,
      namespace: ns, name, object: o, oldObject: o, user: r.user, dryRun,
    }),
  });
  writeObject(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** canIgnorePDB: pods that are not running, or already being deleted, are always evictable. */
function canIgnorePdb(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !!pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || phase === undefined;
}

function isReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

async function matchingPdbs(r: ResourceRequest, pod: KubeObject): Promise<KubeObject[]> {
  const served = r.registry.get('policy', 'v1', 'poddisruptionbudgets');
  if (!served) return [];
  const list = await served.store.list(pod.metadata.namespace ?? '', { filter: MATCH_EVERYTHING });
  const out: KubeObject[] = [];
  for (const item of list.items) {
    const pdb = item.object();
    try {
      const sel = labelSelectorFromMeta((pdb.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
      if (sel.matches(pod.metadata.labels ?? {})) out.push(pdb);
    } catch {
      // an unparsable selector selects nothing (as upstream getPodsForPdb)
    }
  }
  return out;
}

function budgetError(pdb: KubeObject, st: PdbStatus): StatusError {
  return new StatusError(429, 'TooManyRequests', BUDGET_MESSAGE, {
    causes: [{
      reason: 'DisruptionBudget',
      message: `The disruption budget ${pdb.metadata.name ?? ''} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`,
    }],
  });
}

/** checkAndDecrement: the budget must allow one more disruption; it is used up atomically. */
async function checkAndDecrement(r: ResourceRequest, pdb: KubeObject, pod: KubeObject, dryRun: boolean): Promise<void> {
  const served = r.registry.get('policy', 'v1', 'poddisruptionbudgets');
  if (!served) return;
  const st0 = (pdb.status ?? {}) as PdbStatus;
  // IfHealthyBudget: an unready running pod may go when the budget is currently met, without using a disruption.
  if (!isReady(pod) && (st0.currentHealthy ?? 0) >= (st0.desiredHealthy ?? 0)) return;
  if (pdb.metadata.generation !== undefined && (pdb.status as { observedGeneration?: number } | undefined)?.observedGeneration !== pdb.metadata.generation) {
    throw new StatusError(429, 'TooManyRequests', BUDGET_MESSAGE, {
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget is still being processed by the server.' }],
    });
  }
  await served.store.update(pdb.metadata.namespace ?? '', pdb.metadata.name ?? '', (cur) => {
    const c = cur as KubeObject;
    const st = (c.status ?? {}) as PdbStatus & Obj;
    if ((st.disruptionsAllowed ?? 0) <= 0) throw budgetError(c, st);
    // DisruptedPods: the disruption controller must not count this pod as healthy until it is gone.
    const disrupted = { ...((st.disruptedPods ?? {}) as Record<string, string>), [pod.metadata.name ?? '']: rfc3339(r.clock.now()) };
    return { ...c, status: { ...st, disruptionsAllowed: (st.disruptionsAllowed ?? 0) - 1, disruptedPods: disrupted } };
  }, { subresource: 'status', dryRun });
}

function isDryRunList(v: unknown): boolean {
  return Array.isArray(v) && v.includes('All');
}

function deleteOptionsOf(o: Obj, dryRun: boolean): DeleteOptions {
  const pre = (o.preconditions ?? {}) as { uid?: string; resourceVersion?: string };
  const grace = typeof o.gracePeriodSeconds === 'number' ? Math.max(0, o.gracePeriodSeconds) : undefined;
  const policy = o.propagationPolicy as DeleteOptions['propagationPolicy'] | undefined;
  return { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: { uid: pre.uid, resourceVersion: pre.resourceVersion }, dryRun };
}
