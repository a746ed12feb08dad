/**
 * ResourceQuota admission (plugin/pkg/admission/resourcequota): a write that would push a
 * namespace's usage over a quota's hard limit is refused with upstream's message, and an
 * admitted write is charged to the quota's status.used at once — inside a guarded update of
 * the quota, so concurrent creates cannot both take the last unit (the resource-quota
 * controller recomputes usage from the objects later, which also credits deletions).
 *
 * Handled as upstream's evaluators do: pods and generic object counts on CREATE, services and
 * PVCs on CREATE and UPDATE (the usage increase only). Quota scopes Terminating, NotTerminating,
 * BestEffort, NotBestEffort and the PriorityClass scope selector apply to pods.
 */
import type { KubeObject } from '../api/types.js';
import { forbidden } from '../apimachinery/errors.js';
import type { Clock } from '../util/clock.js';
import type { Registry } from '../registry/registry.js';
import { addLists, cmpQuantity, maskList, subtractLists, canonical, type ResourceList } from '../apimachinery/quota/resources.js';
import { podMissingConstraints, quotaTracks, usageOf } from '../apimachinery/quota/usage.js';
import { quotaMatchesPod } from '../apimachinery/quota/scopes.js';
import { NamespacedObjectIndex } from './object-index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

const UPDATE_TRACKED = new Set(['services', 'persistentvolumeclaims']);

function pretty(l: ResourceList): string {
  return Object.keys(l).sort().map((k) => `${k}=${canonical(l[k])}`).join(',');
}

function positivePart(l: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(l)) if (cmpQuantity(v, '0') > 0) out[k] = v;
  return out;
}

export function resourceQuotaAdmission(registry: Registry, clock: Clock): AdmissionPlugin {
  const quotas = registry.storeOf('', 'resourcequotas');
  const index = new NamespacedObjectIndex(quotas);
  return {
    name: 'ResourceQuota',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (!a.namespace || a.subresource || !a.object) return;
      if (a.operation !== 'CREATE' && !(a.operation === 'UPDATE' && UPDATE_TRACKED.has(a.resource) && a.group === '')) return;
      if (a.group === '' && a.resource === 'resourcequotas') return;
      const list = await index.inNamespace(a.namespace);
      if (!list.length) return;
      const now = clock.now();
      let delta = usageOf(a.group, a.resource, a.object, now);
      if (a.operation === 'UPDATE' && a.oldObject) delta = positivePart(subtractLists(delta, usageOf(a.group, a.resource, a.oldObject, now)));
      if (!Object.keys(delta).length) return;
      const name = (a.object.metadata.name as string | undefined) ?? a.name;
      const deny = (msg: string): never => { throw forbidden({ group: a.group, resource: a.resource }, name, msg); };
      const charged: Array<{ quota: KubeObject; masked: ResourceList }> = [];
      for (const quota of list) {
        const spec = (quota.spec ?? {}) as Obj;
        const status = (quota.status ?? {}) as { hard?: ResourceList; used?: ResourceList };
        const hard = (spec.hard ?? {}) as ResourceList;
        if (!quotaTracks(hard, a.group, a.resource, delta)) continue;
        if (a.group === '' && a.resource === 'pods' && !quotaMatchesPod(quota, a.object, now)) continue;
        if (a.group === '' && a.resource === 'pods') {
          const missing = podMissingConstraints(a.object, hard);
          if (missing) deny(`failed quota: ${quota.metadata.name as string}: ${missing}`);
        }
        const restricted = Object.keys(hard).filter((k) => delta[k] !== undefined);
        if (!restricted.length) continue;
        if (!status.hard || restricted.some((k) => status.hard?.[k] === undefined || status.used?.[k] === undefined)) {
          deny(`status unknown for quota: ${quota.metadata.name as string}, resources: ${restricted.sort().join(',')}`);
        }
        charged.push({ quota, masked: maskList(delta, restricted) });
      }
      if (a.dryRun) {
        for (const c of charged) check(c.quota, c.masked, deny);
        return;
      }
      for (const c of charged) {
        await quotas.update(a.namespace, c.quota.metadata.name as string, (cur) => {
          const q = cur as KubeObject;
          check(q, c.masked, deny);
          const st = (q.status ?? {}) as { hard?: ResourceList; used?: ResourceList };
          q.status = { ...st, used: addLists(st.used ?? {}, c.masked) };
          return q;
        }, { subresource: 'status' });
      }
    },
  };
}

/** Refuses when used + requested exceeds hard for any resource (the quota as stored now). */
function check(quota: KubeObject, requested: ResourceList, deny: (msg: string) => never): void {
  const st = (quota.status ?? {}) as { hard?: ResourceList; used?: ResourceList };
  const hard = st.hard ?? {};
  const used = st.used ?? {};
  const exceeded = Object.keys(requested).filter((k) => hard[k] !== undefined && cmpQuantity(addLists(used, { [k]: requested[k] })[k], hard[k]) > 0);
  if (!exceeded.length) return;
  deny(`exceeded quota: ${quota.metadata.name as string}, requested: ${pretty(maskList(requested, exceeded))}, used: ${pretty(maskList(used, exceeded))}, limited: ${pretty(maskList(hard, exceeded))}`);
}
