// Shared by the workloads integration tests: driving pod status the way a kubelet would (until
// the simulated kubelet runs in these tests) and small readers for Deployments/ReplicaSets/pods.
import type { ApiClient } from '../helpers/api.js';
import { eventually } from '../helpers/api.js';

export const NS = '/api/v1/namespaces/default';
export const APPS = '/apis/apps/v1/namespaces/default';
const MERGE = 'application/merge-patch+json';

export interface Obj { metadata: { name: string; uid: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ uid: string; name: string; kind: string; controller?: boolean; blockOwnerDeletion?: boolean }>; finalizers?: string[]; deletionTimestamp?: string; generation?: number }; spec: Record<string, unknown>; status?: Record<string, unknown> }

export async function list(api: ApiClient, path: string, selector?: string): Promise<Obj[]> {
  const r = await api.get(`${path}${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`);
  if (r.status !== 200) throw new Error(r.text);
  return r.json().items as Obj[];
}

/** Pods owned (controller ref) by the object with `uid`. */
export async function podsOf(api: ApiClient, uid: string): Promise<Obj[]> {
  return (await list(api, `${NS}/pods`)).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller));
}

export async function rsOf(api: ApiClient, deployUid: string): Promise<Obj[]> {
  return (await list(api, `${APPS}/replicasets`)).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === deployUid));
}

/** What a kubelet reports for a started, ready pod. */
export async function markReady(api: ApiClient, name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await api.patch(`${NS}/pods/${name}/status`, {
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }, { type: 'ContainersReady', status: 'True', lastTransitionTime: now }] },
  }, MERGE);
  if (r.status !== 200 && r.status !== 404) throw new Error(r.text);
}

/** Marks every not-yet-ready, not-deleting pod ready; returns how many. */
export async function markAllReady(api: ApiClient, selector?: string): Promise<number> {
  let n = 0;
  for (const p of await list(api, `${NS}/pods`, selector)) {
    const ready = (p.status?.conditions as Array<{ type: string; status: string }> | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!ready && !p.metadata.deletionTimestamp) { await markReady(api, p.metadata.name); n++; }
  }
  return n;
}

export function condition(o: Obj, type: string): { status: string; reason: string; message: string } | undefined {
  return (o.status?.conditions as Array<{ type: string; status: string; reason: string; message: string }> | undefined)?.find((c) => c.type === type);
}

export async function getObj(api: ApiClient, path: string): Promise<Obj | undefined> {
  const r = await api.get(path);
  return r.status === 200 ? r.json() as Obj : undefined;
}

export { eventually };
