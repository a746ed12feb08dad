/**
 * The TargetGroupBinding objects the controller writes for its own stacks (as
 * pkg/deploy/k8s/target_group_binding_manager.go does): one per target group, named like the
 * group, in the Service's namespace, labelled with the stack, and removed when the stack no
 * longer has that group. Only bindings carrying the stack's labels are ever touched.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { ClusterCache } from './cluster-cache.js';
import { TARGET_GROUP_BINDINGS } from './crds.js';
import type { DeployedStack, StackModel } from './stack.js';

function hasLabels(o: KubeObject, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v);
}

/** Bindings of a stack (by its labels). */
export function stackBindings(cache: ClusterCache, labels: Record<string, string>): KubeObject[] {
  return cache.bindings.list().filter((b) => hasLabels(b, labels));
}

/** Deletes the stack's bindings whose names are not in `keep`. */
export async function deleteStaleBindings(client: ApiClient, cache: ClusterCache, labels: Record<string, string>, keep: Set<string>): Promise<void> {
  for (const b of stackBindings(cache, labels)) {
    if (keep.has(`${b.metadata.namespace}/${b.metadata.name}`) || b.metadata.deletionTimestamp) continue;
    try {
      await client.delete(TARGET_GROUP_BINDINGS, b.metadata.namespace ?? '', b.metadata.name ?? '');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Creates or updates one binding per target group of the deployed stack. */
export async function upsertBindings(client: ApiClient, cache: ClusterCache, model: StackModel, deployed: DeployedStack): Promise<void> {
  for (const t of model.targetGroups) {
    const tg = deployed.targetGroups.get(t.resourceId);
    if (!tg) continue;
    const spec = {
      targetGroupARN: tg.arn, targetType: t.targetType, ipAddressType: 'ipv4',
      serviceRef: { name: t.binding.serviceName, port: t.binding.servicePort },
    };
    const cur = cache.bindings.get(`${t.binding.namespace}/${tg.name}`);
    if (cur && JSON.stringify(cur.spec) === JSON.stringify(spec) && hasLabels(cur, t.binding.labels)) continue;
    const obj: KubeObject = {
      apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding',
      metadata: { name: tg.name, namespace: t.binding.namespace, labels: { ...(cur?.metadata.labels ?? {}), ...t.binding.labels }, ...(cur ? { resourceVersion: cur.metadata.resourceVersion, finalizers: cur.metadata.finalizers } : {}) },
      spec,
    };
    try {
      if (cur) await client.update(TARGET_GROUP_BINDINGS, t.binding.namespace, obj);
      else await client.create(TARGET_GROUP_BINDINGS, t.binding.namespace, obj);
    } catch (e) {
      // A concurrent write: the informer will bring the new version and the stack is re-synced.
      if (!isConflict(e)) throw e;
      throw new Error(`TargetGroupBinding ${t.binding.namespace}/${tg.name} changed meanwhile; retrying`);
    }
  }
}
