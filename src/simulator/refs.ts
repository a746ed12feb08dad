/** Resource references the simulator uses (core/v1 and coordination.k8s.io/v1). */
import type { ResourceRef } from '../client/client.js';

export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const DAEMONSETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true };
export const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };

/** Nodes carrying this annotation (value "true") get a simulated kubelet, whoever created them (as KWOK's node selector). */
export const SIMULATED_NODE_ANNOTATION = 'keks.dev/simulated-node';

/**
 * `keks.dev/heartbeat: stopped` on a Node makes its simulated kubelet stop renewing the Lease and
 * posting status (a node that lost its network); removing it resumes both at once.
 */
export const HEARTBEAT_ANNOTATION = 'keks.dev/heartbeat';
