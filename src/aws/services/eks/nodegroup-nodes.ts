/**
 * What a node group's configuration changes do to the Nodes already in the cluster, as EKS's
 * node group controller does on UpdateNodegroupConfig / UpdateNodegroupVersion: labels and
 * taints are added to / removed from every Node labelled `eks.amazonaws.com/nodegroup=<ng>`
 * (new instances get the new set from the node registrar), and a version update changes the
 * kubelet version the Nodes report.
 *
 * Taints are matched by key + effect (a Node has at most one taint per key and effect), as the
 * Kubernetes API validation requires. Writes carry the Node's resourceVersion and are retried on
 * a conflict, so a concurrent change by the node lifecycle controller (not-ready taints) is kept.
 */
import type { ApiClient, ResourceRef } from '../../../client/client.js';
import { isConflict, isNotFound } from '../../../client/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { k8sEffect, type EksTaint } from './nodegroup-input.js';

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';

export interface NodeConfigChange {
  labelsToAdd?: Record<string, string>;
  labelsToRemove?: string[];
  taintsToAdd?: EksTaint[];
  taintsToRemove?: EksTaint[];
  /** kubelet version to report, e.g. v1.32.3-eks-473151a */
  kubeletVersion?: string;
}

interface K8sTaint { key: string; value?: string; effect: string; timeAdded?: string }

/** The Kubernetes form of node group taints. */
export function k8sTaints(ts: EksTaint[]): K8sTaint[] {
  return ts.map((t) => ({ key: t.key, ...(t.value !== undefined && t.value !== '' ? { value: t.value } : {}), effect: k8sEffect(t.effect) }));
}

/** The Node's taints after the change: removed and re-added (same key + effect) entries replaced, order kept. */
export function nextTaints(current: K8sTaint[], change: NodeConfigChange): K8sTaint[] {
  const drop = new Set([...(change.taintsToRemove ?? []), ...(change.taintsToAdd ?? [])].map((t) => `${t.key}:${k8sEffect(t.effect)}`));
  return [...current.filter((t) => !drop.has(`${t.key}:${t.effect}`)), ...k8sTaints(change.taintsToAdd ?? [])];
}

async function withRetry(client: ApiClient, name: string, build: (node: KubeObject) => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let node: KubeObject;
    try {
      node = await client.get(NODES, '', name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    try {
      await build(node);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || attempt === 4) throw e;
    }
  }
}

/** Applies a change to every Node of the node group; returns how many Nodes it touched. */
export async function applyToNodegroupNodes(client: ApiClient, nodegroupName: string, change: NodeConfigChange): Promise<number> {
  const list = await client.list(NODES, '', { labelSelector: `${NODEGROUP_LABEL}=${nodegroupName}` });
  const metaChange = change.labelsToAdd || change.labelsToRemove?.length || change.taintsToAdd?.length || change.taintsToRemove?.length;
  for (const n of list.items) {
    const name = n.metadata.name as string;
    if (metaChange) {
      await withRetry(client, name, async (node) => {
        const labels: Record<string, string | null> = { ...(change.labelsToAdd ?? {}) };
        for (const k of change.labelsToRemove ?? []) labels[k] = null;
        const taints = nextTaints(((node.spec as { taints?: K8sTaint[] } | undefined)?.taints) ?? [], change);
        await client.patch(NODES, '', name, {
          metadata: { labels, resourceVersion: node.metadata.resourceVersion },
          spec: { taints: taints.length ? taints : null },
        }, 'merge');
      });
    }
    if (change.kubeletVersion) {
      const kubeletVersion = change.kubeletVersion;
      await withRetry(client, name, async () => {
        await client.patch(NODES, '', name, { status: { nodeInfo: { kubeletVersion, kubeProxyVersion: kubeletVersion } } }, 'merge', 'status');
      });
    }
  }
  return list.items.length;
}
