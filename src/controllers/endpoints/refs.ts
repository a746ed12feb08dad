/** The resources the Endpoints and EndpointSlice controllers read and write. */
import type { ResourceRef } from '../../client/client.js';

export const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
export const ENDPOINTS: ResourceRef = { group: '', version: 'v1', resource: 'endpoints', namespaced: true };
export const ENDPOINTSLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
