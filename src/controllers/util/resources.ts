/** The resources the workload controllers read and write, addressed as the client expects. */
import type { ResourceRef } from '../../client/client.js';

export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
export const SERVICEACCOUNTS: ResourceRef = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true };

/** Objects listed from the API carry no kind/apiVersion; events and owner refs need them. */
export function withKind<T extends { kind?: string; apiVersion?: string }>(obj: T, apiVersion: string, kind: string): T {
  return obj.kind ? obj : { ...obj, apiVersion, kind };
}

/** `namespace/name` of an object (the work queue key). */
export function keyOf(namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
