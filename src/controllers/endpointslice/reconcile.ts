/**
 * Desired endpoints → slice changes, in the spirit of the EndpointSlice reconciler
 * (k8s.io/endpointslice/reconciler.go reconcileByAddressType): endpoints are grouped by their
 * port list; existing slices keep the endpoints that are still wanted (updated in place when
 * their conditions changed) and drop the rest; new endpoints fill slices already being
 * updated, then slices with room, then new slices of at most maxEndpointsPerSlice (100); a slice
 * left empty is deleted; with nothing to publish one empty placeholder slice remains. Slices not
 * owned by this Service (uid) are deleted. Pure: the controller writes the plan.
 */
import type { KubeObject } from '../../api/types.js';
import type { SliceEndpoint, SlicePort } from './endpoint.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface DesiredGroup { ports: SlicePort[]; endpoints: SliceEndpoint[] }

export interface SlicePlan {
  /** New slices: ports and endpoints (metadata is the controller's). */
  create: Array<{ ports: SlicePort[]; endpoints: SliceEndpoint[] }>;
  /** Existing slices with their new endpoints. */
  update: Array<{ slice: KubeObject; endpoints: SliceEndpoint[] }>;
  /** Slices whose endpoints are unchanged (their metadata may still need an update). */
  keep: KubeObject[];
  delete: KubeObject[];
}

export const portsKey = (ports: readonly SlicePort[] | undefined | null): string =>
  JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.protocol ?? 'TCP', p.port, p.appProtocol ?? '']).sort());

const epKey = (e: SliceEndpoint): string => e.targetRef?.uid || e.addresses.join(',');

function endpointsOf(slice: KubeObject): SliceEndpoint[] {
  const e = (slice as { endpoints?: SliceEndpoint[] | null }).endpoints;
  return Array.isArray(e) ? e : [];
}

function portsOf(slice: KubeObject): SlicePort[] {
  const p = (slice as { ports?: SlicePort[] | null }).ports;
  return Array.isArray(p) ? p : [];
}

export function planSlices(desired: DesiredGroup[], existing: KubeObject[], ownerUid: string, max = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], keep: [], delete: [] };
  const wanted = new Map<string, { ports: SlicePort[]; eps: Map<string, SliceEndpoint> }>();
  for (const g of desired) {
    const k = portsKey(g.ports);
    let w = wanted.get(k);
    if (!w) { w = { ports: g.ports, eps: new Map() }; wanted.set(k, w); }
    for (const e of g.endpoints) w.eps.set(epKey(e), e);
  }
  // Slices of a port list, with their next endpoints: updated ones first, then unchanged ones.
  const updating = new Map<string, Array<{ slice: KubeObject; endpoints: SliceEndpoint[] }>>();
  const unchanged = new Map<string, KubeObject[]>();
  const placeholders: KubeObject[] = [];
  for (const slice of existing) {
    const owner = slice.metadata.ownerReferences?.find((r) => r.controller);
    if (owner && owner.uid !== ownerUid) { plan.delete.push(slice); continue; }
    const current = endpointsOf(slice);
    const k = portsKey(portsOf(slice));
    const w = wanted.get(k);
    if (current.length === 0) { placeholders.push(slice); continue; }
    if (!w) { plan.delete.push(slice); continue; }
    let changed = false;
    const next: SliceEndpoint[] = [];
    for (const e of current) {
      const want = w.eps.get(epKey(e));
      if (!want) { changed = true; continue; }
      w.eps.delete(epKey(e));
      if (JSON.stringify(want) !== JSON.stringify(e)) changed = true;
      next.push(want);
    }
    if (next.length === 0) { plan.delete.push(slice); continue; }
    if (changed) push(updating, k, { slice, endpoints: next }); else push(unchanged, k, slice);
  }
  for (const [k, w] of wanted) {
    const rest = [...w.eps.values()];
    for (const u of updating.get(k) ?? []) {
      while (rest.length && u.endpoints.length < max) u.endpoints.push(rest.shift() as SliceEndpoint);
    }
    const keep = unchanged.get(k) ?? [];
    for (const s of keep) {
      const room = max - endpointsOf(s).length;
      // An unchanged slice takes new endpoints only if they all fit (upstream avoids churning it otherwise).
      if (rest.length && rest.length <= room) { push(updating, k, { slice: s, endpoints: [...endpointsOf(s), ...rest.splice(0)] }); keep.splice(keep.indexOf(s), 1); break; }
    }
    while (rest.length) plan.create.push({ ports: w.ports, endpoints: rest.splice(0, max) });
  }
  for (const list of updating.values()) plan.update.push(...list);
  for (const list of unchanged.values()) plan.keep.push(...list.filter((s) => !plan.update.some((u) => u.slice === s)));
  // Placeholders: one empty slice stays when nothing else does; otherwise they go.
  const anyLeft = plan.create.length + plan.update.length + plan.keep.length > 0;
  if (anyLeft) plan.delete.push(...placeholders);
  else if (placeholders.length) { plan.keep.push(placeholders[0]); plan.delete.push(...placeholders.slice(1)); } else plan.create.push({ ports: [], endpoints: [] });
  return plan;
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}
