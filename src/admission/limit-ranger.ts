/**
 * LimitRanger (plugin/pkg/admission/limitranger): new pods get the namespace's LimitRange
 * defaults (`default` → limits, `defaultRequest` → requests, per container, recorded in the
 * `kubernetes.io/limit-ranger` annotation), and pods and PVCs outside a LimitRange's
 * min / max / maxLimitRequestRatio are refused with upstream's messages, e.g.
 * `pods "x" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, …]`.
 * Pods are checked on create only (their resources are immutable).
 */
import type { KubeObject } from '../api/types.js';
import { forbidden } from '../apimachinery/errors.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../apimachinery/quantity.js';
import { podResources } from '../apimachinery/quota/usage.js';
import type { ResourceList } from '../apimachinery/quota/resources.js';
import type { Registry } from '../registry/registry.js';
import { NamespacedObjectIndex } from './object-index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

interface LimitItem {
  type: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

interface Container { name: string; resources?: { requests?: ResourceList; limits?: ResourceList } }

const ANNOTATION = 'kubernetes.io/limit-ranger';
/** resource.MaxMilliValue: above it upstream compares whole values instead of milli-values. */
const MAX_MILLI = 9223372036854775n;

function items(lr: KubeObject): LimitItem[] {
  return ((lr.spec as { limits?: LimitItem[] } | undefined)?.limits) ?? [];
}

/** The LimitRange defaulting (SetDefaults_LimitRangeItem): default ← max, defaultRequest ← default or min. */
function effectiveDefaults(it: LimitItem): { limits: ResourceList; requests: ResourceList } {
  const limits = { ...(it.max ?? {}), ...(it.default ?? {}) };
  const requests = { ...(it.min ?? {}), ...limits, ...(it.defaultRequest ?? {}) };
  return { limits, requests };
}

function values(a: string | undefined, b: string | undefined, c: string): [bigint, bigint, bigint] {
  const qs = [a, b, c].map((v) => (v === undefined ? undefined : parseQuantity(v)));
  const milli = qs.every((q) => !q || quantityValue(q) <= MAX_MILLI);
  const f = (q: ReturnType<typeof parseQuantity> | undefined): bigint => (q ? (milli ? quantityMilliValue(q) : quantityValue(q)) : 0n);
  return [f(qs[0]), f(qs[1]), f(qs[2])];
}

/** PVCs: max applies to the request (maxRequestConstraint), there is no limit to check. */
function checkPvc(it: LimitItem, req: ResourceList, errs: string[]): void {
  checkItem('PersistentVolumeClaim', { type: it.type, min: it.min }, req, {}, errs);
  for (const [r, enforced] of Object.entries(it.max ?? {})) {
    const [rv, , ev] = values(req[r], undefined, enforced);
    if (req[r] === undefined) errs.push(`maximum ${r} usage per PersistentVolumeClaim is ${enforced}.  No request is specified`);
    else if (rv > ev) errs.push(`maximum ${r} usage per PersistentVolumeClaim is ${enforced}, but request is ${req[r]}`);
  }
}

function checkItem(kind: string, it: LimitItem, req: ResourceList, lim: ResourceList, errs: string[]): void {
  for (const [r, enforced] of Object.entries(it.min ?? {})) {
    const [rv, lv, ev] = values(req[r], lim[r], enforced);
    if (req[r] === undefined) errs.push(`minimum ${r} usage per ${kind} is ${enforced}.  No request is specified`);
    else if (rv < ev) errs.push(`minimum ${r} usage per ${kind} is ${enforced}, but request is ${req[r]}`);
    else if (lim[r] !== undefined && lv < ev) errs.push(`minimum ${r} usage per ${kind} is ${enforced}, but limit is ${lim[r]}`);
  }
  for (const [r, enforced] of Object.entries(it.max ?? {})) {
    const [rv, lv, ev] = values(req[r], lim[r], enforced);
    if (lim[r] === undefined) errs.push(`maximum ${r} usage per ${kind} is ${enforced}.  No limit is specified`);
    else if (lv > ev) errs.push(`maximum ${r} usage per ${kind} is ${enforced}, but limit is ${lim[r]}`);
    else if (req[r] !== undefined && rv > ev) errs.push(`maximum ${r} usage per ${kind} is ${enforced}, but request is ${req[r]}`);
  }
  for (const [r, enforced] of Object.entries(it.maxLimitRequestRatio ?? {})) {
    const [rv, lv] = values(req[r], lim[r], enforced);
    if (req[r] === undefined || rv === 0n) { errs.push(`${r} max limit to request ratio per ${kind} is ${enforced}, but no request is specified or request is 0`); continue; }
    if (lim[r] === undefined || lv === 0n) { errs.push(`${r} max limit to request ratio per ${kind} is ${enforced}, but no limit is specified or limit is 0`); continue; }
    const ratio = Number(lv) / Number(rv);
    if (ratio * 1000 > Number(quantityMilliValue(parseQuantity(enforced)))) errs.push(`${r} max limit to request ratio per ${kind} is ${enforced}, but provided ratio is ${ratio.toFixed(6)}`);
  }
}

export function limitRanger(registry: Registry): AdmissionPlugin {
  const index = new NamespacedObjectIndex(registry.storeOf('', 'limitranges'));
  const applies = (a: AdmissionAttributes): boolean => a.group === '' && !a.subresource && !!a.namespace && !!a.object
    && ((a.resource === 'pods' && a.operation === 'CREATE') || (a.resource === 'persistentvolumeclaims' && (a.operation === 'CREATE' || a.operation === 'UPDATE')));
  return {
    name: 'LimitRanger',
    async mutate(a: AdmissionAttributes): Promise<void> {
      if (!applies(a) || a.resource !== 'pods') return;
      const pod = a.object as KubeObject;
      const notes: string[] = [];
      for (const lr of await index.inNamespace(a.namespace)) {
        for (const it of items(lr)) {
          if (it.type !== 'Container') continue;
          const d = effectiveDefaults(it);
          const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
          for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
            const res = (c.resources ??= {});
            const setReq = Object.keys(d.requests).filter((r) => res.requests?.[r] === undefined && res.limits?.[r] === undefined).sort();
            const setLim = Object.keys(d.limits).filter((r) => res.limits?.[r] === undefined).sort();
            if (setReq.length) res.requests = { ...(res.requests ?? {}), ...Object.fromEntries(setReq.map((r) => [r, d.requests[r]])) };
            // A request the pod set without a limit stays; a defaulted limit below it would be invalid, as upstream.
            if (setLim.length) res.limits = { ...(res.limits ?? {}), ...Object.fromEntries(setLim.map((r) => [r, d.limits[r]])) };
            if (setReq.length) notes.push(`${setReq.join(', ')} request for ${spec.initContainers?.includes(c) ? 'init container' : 'container'} ${c.name}`);
            if (setLim.length) notes.push(`${setLim.join(', ')} limit for ${spec.initContainers?.includes(c) ? 'init container' : 'container'} ${c.name}`);
          }
        }
      }
      if (notes.length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    },
    async validate(a: AdmissionAttributes): Promise<void> {
      if (!applies(a)) return;
      const obj = a.object as KubeObject;
      const errs: string[] = [];
      for (const lr of await index.inNamespace(a.namespace)) {
        for (const it of items(lr)) {
          if (a.resource === 'pods' && it.type === 'Container') {
            const spec = (obj.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
            for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) checkItem('Container', it, c.resources?.requests ?? {}, c.resources?.limits ?? {}, errs);
          } else if (a.resource === 'pods' && it.type === 'Pod') {
            checkItem('Pod', it, podResources(obj, 'requests'), podResources(obj, 'limits'), errs);
          } else if (a.resource === 'persistentvolumeclaims' && it.type === 'PersistentVolumeClaim') {
            const r = ((obj.spec as { resources?: { requests?: ResourceList } } | undefined)?.resources) ?? {};
            checkPvc(it, r.requests ?? {}, errs);
          }
        }
      }
      if (!errs.length) return;
      throw forbidden({ group: '', resource: a.resource }, (obj.metadata.name as string | undefined) ?? a.name, errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    },
  };
}
