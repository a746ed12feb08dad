/** The resources the StatefulSet and DaemonSet controllers read and write, beyond util/resources.ts. */
import type { ResourceRef } from '../../client/client.js';

export const STATEFULSETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true };
export const DAEMONSETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true };
export const CONTROLLERREVISIONS: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true };
export const PVCS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
