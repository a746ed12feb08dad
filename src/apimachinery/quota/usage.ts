/**
 * What an object counts against a ResourceQuota (pkg/quota/v1/evaluator/core: pods.go,
 * services.go, persistent_volume_claims.go, and the generic object-count evaluator). Pure
 * functions shared by the ResourceQuota admission plugin and the resource-quota controller.
 */
import type { KubeObject } from '../../api/types.js';
import { addLists, maxLists, type ResourceList } from './resources.js';

type Obj = Record<string, unknown>;

/** Resources counted by object count only, by API resource (core group: "count/<resource>"). */
const LEGACY_COUNT: Record<string, string> = {
  pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas',
};

export function countName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

interface Container { name: string; resources?: { requests?: ResourceList; limits?: ResourceList } }

function containers(pod: KubeObject, key: 'containers' | 'initContainers'): Container[] {
  return (((pod.spec ?? {}) as Obj)[key] as Container[] | undefined) ?? [];
}

/** PodRequests/PodLimits (k8s.io/component-helpers/resource): sum of containers, max with each init container, plus overhead. */
export function podResources(pod: KubeObject, which: 'requests' | 'limits'): ResourceList {
  let sum: ResourceList = {};
  for (const c of containers(pod, 'containers')) sum = addLists(sum, c.resources?.[which] ?? {});
  for (const c of containers(pod, 'initContainers')) sum = maxLists(sum, c.resources?.[which] ?? {});
  const overhead = ((pod.spec ?? {}) as Obj).overhead as ResourceList | undefined;
  if (overhead) sum = addLists(sum, overhead);
  return sum;
}

/** QuotaV1Pod: terminal pods (and pods past their deletion grace) stop counting compute resources. */
export function podCountsCompute(pod: KubeObject, nowMs: number): boolean {
  const phase = ((pod.status ?? {}) as Obj).phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = pod.metadata.deletionTimestamp as string | undefined;
  if (del) {
    const grace = Number(pod.metadata.deletionGracePeriodSeconds ?? 0);
    if (nowMs >= Date.parse(del) + grace * 1000) return false;
  }
  return true;
}

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

function podUsage(pod: KubeObject, nowMs: number): ResourceList {
  const out: ResourceList = { 'count/pods': '1' };
  if (!podCountsCompute(pod, nowMs)) return out;
  out.pods = '1';
  const req = podResources(pod, 'requests');
  const lim = podResources(pod, 'limits');
  for (const [k, v] of Object.entries(req)) {
    out[`requests.${k}`] = v;
    if (COMPUTE.includes(k)) out[k] = v;
  }
  for (const [k, v] of Object.entries(lim)) if (COMPUTE.includes(k)) out[`limits.${k}`] = v;
  return out;
}

function serviceUsage(svc: KubeObject): ResourceList {
  const spec = (svc.spec ?? {}) as Obj;
  const out: ResourceList = { services: '1', 'count/services': '1' };
  const ports = ((spec.ports as unknown[] | undefined) ?? []).length;
  if (spec.type === 'LoadBalancer') {
    out['services.loadbalancers'] = '1';
    if (spec.allocateLoadBalancerNodePorts !== false) out['services.nodeports'] = String(ports);
  } else if (spec.type === 'NodePort') {
    out['services.nodeports'] = String(ports);
  }
  return out;
}

function pvcUsage(pvc: KubeObject): ResourceList {
  const spec = (pvc.spec ?? {}) as Obj;
  const storage = ((spec.resources as Obj | undefined)?.requests as ResourceList | undefined)?.storage;
  const out: ResourceList = { persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1' };
  if (storage) out['requests.storage'] = storage;
  const cls = spec.storageClassName as string | undefined;
  if (cls) {
    out[`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`] = '1';
    if (storage) out[`${cls}.storageclass.storage.k8s.io/requests.storage`] = storage;
  }
  return out;
}

/** The usage of one object of (group, resource). */
export function usageOf(group: string, resource: string, obj: KubeObject, nowMs: number): ResourceList {
  if (group === '') {
    if (resource === 'pods') return podUsage(obj, nowMs);
    if (resource === 'services') return serviceUsage(obj);
    if (resource === 'persistentvolumeclaims') return pvcUsage(obj);
    const legacy = LEGACY_COUNT[resource];
    if (legacy) return { [legacy]: '1', [countName('', resource)]: '1' };
  }
  return { [countName(group, resource)]: '1' };
}

/** Does a quota with these hard limits care about an object of (group, resource)? */
export function quotaTracks(hard: ResourceList, group: string, resource: string, usage: ResourceList): boolean {
  return Object.keys(usage).some((k) => hard[k] !== undefined) || hard[countName(group, resource)] !== undefined;
}

/**
 * The pod evaluator's Constraints: when a quota limits cpu or memory (requests or limits), every
 * container must state them — "must specify limits.cpu for: app; requests.memory for: app,web"
 * (resource names and container names sorted, as pods.go builds it).
 */
const VALIDATION_SET = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'requests.cpu', 'requests.memory'];

export function podMissingConstraints(pod: KubeObject, hard: ResourceList): string | undefined {
  const required = VALIDATION_SET.filter((r) => hard[r] !== undefined);
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...containers(pod, 'containers'), ...containers(pod, 'initContainers')]) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    const has = (r: string): boolean => {
      if (r === 'cpu' || r === 'memory') return req[r] !== undefined;
      const [which, name] = r.split('.') as ['limits' | 'requests', string];
      return (which === 'limits' ? lim : req)[name] !== undefined;
    };
    for (const r of required) if (!has(r)) missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
