/**
 * Creating and deleting a ReplicaSet's pods (replica_set.go manageReplicas): at most
 * `burstReplicas` per sync, creations in slow-start batches (1, 2, 4, …; a failing batch stops
 * the rest, as slowStartBatch), deletions of the pods ranked first by compareForDeletion, each
 * one recorded as a SuccessfulCreate / SuccessfulDelete event (FailedCreate / FailedDelete).
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { objectKey } from '../../client/informer.js';
import { compareForDeletion } from '../util/pods.js';
import { PODS } from '../util/resources.js';

export const BURST_REPLICAS = 500;

export interface ManageContext {
  client: ApiClient;
  recorder: EventRecorder;
  /** The ReplicaSet, with kind/apiVersion set. */
  rs: KubeObject;
  ownerRef: OwnerReference;
  expectCreations(n: number): void;
  creationFailed(): void;
  expectDeletions(podKeys: string[]): void;
  deletionFailed(podKey: string): void;
}

interface Template { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: unknown }

/** controller.GetPodFromTemplate: labels, annotations, finalizers and spec from the template; generateName `<rs>-`. */
export function podFromTemplate(rs: KubeObject, ownerRef: OwnerReference): KubeObject {
  const t = ((rs.spec as { template?: Template }).template ?? {}) as Template;
  const metadata: KubeObject['metadata'] = { generateName: `${rs.metadata.name}-`, namespace: rs.metadata.namespace, ownerReferences: [ownerRef] };
  if (t.metadata?.labels) metadata.labels = { ...t.metadata.labels };
  if (t.metadata?.annotations) metadata.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) metadata.finalizers = [...t.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(t.spec ?? {}) };
}

/** Runs `fn` `count` times in batches of 1, 2, 4, …; returns successes and the first error. */
async function slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ ok: number; err?: Error }> {
  let ok = 0;
  let batch = Math.min(count, 1);
  for (let left = count; left > 0; batch = Math.min(2 * batch, left)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, fn));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    ok += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { ok, err: failed.reason as Error };
    left -= batch;
  }
  return { ok };
}

/** Creates or deletes pods so that `active` approaches spec.replicas. Throws the first failure. */
export async function manageReplicas(c: ManageContext, active: KubeObject[]): Promise<void> {
  const desired = (c.rs.spec as { replicas?: number }).replicas ?? 1;
  const diff = active.length - desired;
  const ns = c.rs.metadata.namespace as string;
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    c.expectCreations(n);
    const tpl = podFromTemplate(c.rs, c.ownerRef);
    const { ok, err } = await slowStartBatch(n, async () => {
      try {
        const pod = await c.client.create(PODS, ns, structuredClone(tpl));
        c.recorder.event(c.rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (e) {
        c.recorder.event(c.rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
        throw e;
      }
    });
    // Failed creations and those skipped after a failed batch will never be observed.
    for (let i = ok; i < n; i++) c.creationFailed();
    if (err && !(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  } else if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS);
    const perNode = new Map<string, number>();
    const nodeOf = (p: KubeObject): string => (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    for (const p of active) perNode.set(nodeOf(p), (perNode.get(nodeOf(p)) ?? 0) + 1);
    const victims = [...active].sort((a, b) => compareForDeletion(a, b, (p) => (nodeOf(p) ? perNode.get(nodeOf(p)) ?? 0 : 0))).slice(0, n);
    c.expectDeletions(victims.map(objectKey));
    const results = await Promise.allSettled(victims.map(async (pod) => {
      try {
        await c.client.delete(PODS, ns, pod.metadata.name as string, { preconditions: { uid: pod.metadata.uid } });
        c.recorder.event(c.rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        c.deletionFailed(objectKey(pod));
        if (isNotFound(e)) return;
        c.recorder.event(c.rs, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
        throw e;
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason as Error;
  }
}
