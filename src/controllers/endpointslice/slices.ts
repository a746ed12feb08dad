/**
 * The EndpointSlices of each Service as this controller knows them: the informer's managed slices
 * (label `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`) indexed by
 * `kubernetes.io/service-name`, merged with the controller's own recent writes so a sync never
 * acts on a cache that lags behind them (upstream's endpointSliceTracker).
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { objectKey, type Informer } from '../../client/informer.js';
import { ENDPOINTSLICES } from '../endpoints/refs.js';
import type { SliceEndpoint, SlicePort } from './endpoint.js';
import { WrittenObjects } from '../endpoints/written.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

/** The EndpointSlice mirroring controller's name (pkg/controller/endpointslicemirroring). */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';

export function isManaged(slice: KubeObject, by = CONTROLLER_NAME): boolean {
  return slice.metadata.labels?.[MANAGED_BY_LABEL] === by && !!slice.metadata.labels?.[SERVICE_NAME_LABEL];
}

export function serviceKeyOf(slice: KubeObject): string {
  return `${slice.metadata.namespace ?? ''}/${slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
}

export class ServiceSlices {
  private readonly byService = new Map<string, Set<string>>();
  readonly written: WrittenObjects;

  /** `managedBy`: whose slices these are (the EndpointSlice or the mirroring controller). */
  constructor(informer: Informer, onChange: (serviceKey: string) => void, private readonly managedBy = CONTROLLER_NAME) {
    this.written = new WrittenObjects(informer);
    const isManaged = (s: KubeObject): boolean => this.managed(s);
    informer.addHandlers({
      add: (s) => { if (isManaged(s)) { this.index(s); onChange(serviceKeyOf(s)); } },
      update: (old, s) => {
        if (isManaged(old) && (!isManaged(s) || serviceKeyOf(old) !== serviceKeyOf(s))) { this.unindex(old); onChange(serviceKeyOf(old)); }
        if (isManaged(s)) { this.index(s); onChange(serviceKeyOf(s)); }
      },
      delete: (s) => { if (isManaged(s)) { this.unindex(s); this.written.forget(objectKey(s)); onChange(serviceKeyOf(s)); } },
    });
  }

  private managed(s: KubeObject): boolean {
    return isManaged(s, this.managedBy);
  }

  private index(s: KubeObject): void {
    const k = serviceKeyOf(s);
    let set = this.byService.get(k);
    if (!set) { set = new Set(); this.byService.set(k, set); }
    set.add(objectKey(s));
  }

  private unindex(s: KubeObject): void {
    const set = this.byService.get(serviceKeyOf(s));
    set?.delete(objectKey(s));
    if (set?.size === 0) this.byService.delete(serviceKeyOf(s));
  }

  /** The Service's managed slices, freshest copies. */
  list(serviceKey: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const k of this.byService.get(serviceKey) ?? []) {
      const s = this.written.get(k);
      if (s && this.managed(s) && serviceKeyOf(s) === serviceKey) out.push(s);
    }
    return out;
  }

  /** A slice this controller just created or updated. */
  recordWrite(slice: KubeObject): void {
    this.index(slice);
    this.written.recordWrite(objectKey(slice), slice);
  }

  recordDelete(slice: KubeObject): void {
    this.written.recordDelete(objectKey(slice), Number(slice.metadata.resourceVersion ?? 0) || 0);
  }
}

/** Creates (cur null) or replaces one IPv4 slice and remembers the result; a terminating namespace (403) ends quietly. */
export async function writeSlice(client: ApiClient, slices: ServiceSlices, namespace: string, cur: KubeObject | null,
  metadata: KubeObject['metadata'], ports: SlicePort[], endpoints: SliceEndpoint[]): Promise<void> {
  const obj: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints, ...(ports.length ? { ports } : {}) };
  try {
    const out = cur ? await client.update(ENDPOINTSLICES, namespace, obj) : await client.create(ENDPOINTSLICES, namespace, obj);
    slices.recordWrite(out);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return;
    throw e;
  }
}

export function slicePorts(s: KubeObject): SlicePort[] {
  const p = (s as { ports?: SlicePort[] | null }).ports;
  return Array.isArray(p) ? p : [];
}

export function sliceEndpoints(s: KubeObject): SliceEndpoint[] {
  const e = (s as { endpoints?: SliceEndpoint[] | null }).endpoints;
  return Array.isArray(e) ? e : [];
}

/** Deletes one slice (uid precondition: never a newer namesake); gone or replaced already is fine. */
export async function deleteSlice(client: ApiClient, slices: ServiceSlices, slice: KubeObject): Promise<void> {
  try {
    await client.delete(ENDPOINTSLICES, slice.metadata.namespace ?? '', slice.metadata.name ?? '', { preconditions: { uid: slice.metadata.uid } });
  } catch (e) {
    if (!isNotFound(e) && !(e instanceof ApiError && e.status === 409)) throw e;
  }
  slices.recordDelete(slice);
}
