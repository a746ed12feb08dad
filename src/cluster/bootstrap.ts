/**
 * What every new cluster has before anyone asks: the four system namespaces kube-apiserver
 * creates (default, kube-system, kube-public, kube-node-lease), the system PriorityClasses
 * (pkg/registry/scheduling/rest's post-start hook), the `kubernetes` Service and the RBAC
 * bootstrap policy. Idempotent across restarts.
 */
import type { Registry } from '../registry/registry.js';
import { isStatusError } from '../apimachinery/errors.js';
import { ensureBootstrapPolicy } from '../apiserver/authz/rbac-bootstrap.js';
import { ensureKubernetesService, type KubernetesServiceOptions } from './kubernetes-service.js';
import { SYSTEM_PRIORITY_CLASSES } from '../admission/priority.js';

/** The descriptions kube-apiserver gives its two system PriorityClasses. */
const PRIORITY_DESCRIPTIONS: Record<string, string> = {
  'system-node-critical': 'Used for system critical pods that must not be moved from their current node.',
  'system-cluster-critical': 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
};

async function ensureSystemPriorityClasses(registry: Registry): Promise<void> {
  const classes = registry.storeOf('scheduling.k8s.io', 'priorityclasses');
  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    if (await classes.get('', name).then(() => true, () => false)) continue;
    try {
      await classes.create('', {
        apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name },
        value, description: PRIORITY_DESCRIPTIONS[name], preemptionPolicy: 'PreemptLowerPriority',
      } as unknown as Parameters<typeof classes.create>[1]);
    } catch (e) {
      if (!(isStatusError(e) && e.code === 409)) throw e;
    }
  }
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** `kubernetesService`: also keep the `default/kubernetes` Service and its endpoints (kubernetes-service.ts). */
export async function bootstrapCluster(registry: Registry, kubernetesService?: KubernetesServiceOptions): Promise<void> {
  const namespaces = registry.storeOf('', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    // Read first: a restart writes nothing (and loads nothing it does not need).
    if (await namespaces.get('', name).then(() => true, () => false)) continue;
    try {
      await namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (e) {
      if (!(isStatusError(e) && e.code === 409)) throw e;
    }
  }
  await ensureSystemPriorityClasses(registry);
  if (kubernetesService) await ensureKubernetesService(registry, kubernetesService);
  // The RBAC post-start hook: bootstrap ClusterRoles and ClusterRoleBindings, created when missing.
  await ensureBootstrapPolicy(registry);
}
