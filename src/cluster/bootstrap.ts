/**
 * What every new cluster has before anyone asks: the four system namespaces kube-apiserver
 * creates (default, kube-system, kube-public, kube-node-lease). Idempotent across restarts.
 */
import type { Registry } from '../registry/registry.js';
import { isStatusError } from '../apimachinery/errors.js';
import { ensureBootstrapPolicy } from '../apiserver/authz/rbac-bootstrap.js';
import { ensureKubernetesService, type KubernetesServiceOptions } from './kubernetes-service.js';

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
  if (kubernetesService) await ensureKubernetesService(registry, kubernetesService);
  // The RBAC post-start hook: bootstrap ClusterRoles and ClusterRoleBindings, created when missing.
  await ensureBootstrapPolicy(registry);
}
