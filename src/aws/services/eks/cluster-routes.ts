/**
 * Rest-json routes of the cluster operations (paths from the botocore eks model,
 * aws-api-surface.md §2.1): CreateCluster, DescribeCluster, ListClusters, DeleteCluster,
 * UpdateClusterConfig, UpdateClusterVersion, DescribeUpdate, ListUpdates.
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { ClusterStore } from './clusters.js';
import type { ClusterUpdates } from './cluster-updates.js';
import type { UpdateStore } from './updates.js';
import { keyOf } from './cluster-record.js';
import { paginate } from './params.js';
import { resourceNotFound } from './errors.js';

export function clusterRoutes(clusters: ClusterStore, updater: ClusterUpdates, updates: UpdateStore): RestJsonRoute[] {
  return [
    { method: 'POST', path: '/clusters', operation: 'CreateCluster', handler: async (req, ctx) => ({ cluster: await clusters.create(req.body, ctx) }) },
    {
      method: 'GET', path: '/clusters', operation: 'ListClusters',
      handler: (req, ctx) => {
        const { page, nextToken } = paginate(clusters.list(ctx), (n) => n, req);
        return { clusters: page, ...(nextToken ? { nextToken } : {}) };
      },
    },
    { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster', handler: async (req, ctx) => ({ cluster: await clusters.describe(ctx, req.params.name) }) },
    { method: 'DELETE', path: '/clusters/{name}', operation: 'DeleteCluster', handler: async (req, ctx) => ({ cluster: await clusters.delete(ctx, req.params.name) }) },
    { method: 'POST', path: '/clusters/{name}/update-config', operation: 'UpdateClusterConfig', handler: (req, ctx) => updater.updateConfig(ctx, req.params.name, req.body) },
    { method: 'POST', path: '/clusters/{name}/updates', operation: 'UpdateClusterVersion', handler: (req, ctx) => updater.updateVersion(ctx, req.params.name, req.body) },
    {
      method: 'GET', path: '/clusters/{name}/updates/{updateId}', operation: 'DescribeUpdate',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const owner = ownerOf(req.query);
        const u = updates.get(keyOf(rec), req.params.updateId);
        if (!u || (u.nodegroupName ?? '') !== (owner.nodegroupName ?? '') || (u.addonName ?? '') !== (owner.addonName ?? '')) {
          throw resourceNotFound(`No update found for ID: ${req.params.updateId}`, { clusterName: rec.name, ...owner });
        }
        return { update: u.update };
      }),
    },
    {
      method: 'GET', path: '/clusters/{name}/updates', operation: 'ListUpdates',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const ids = updates.of(keyOf(rec), ownerOf(req.query)).map((u) => u.update.id);
        const { page, nextToken } = paginate(ids, (id) => id, req, { clusterName: rec.name });
        return { updateIds: page, ...(nextToken ? { nextToken } : {}) };
      }),
    },
  ];
}

function ownerOf(q: URLSearchParams): { nodegroupName?: string; addonName?: string } {
  const ng = q.get('nodegroupName');
  const addon = q.get('addonName');
  return { ...(ng ? { nodegroupName: ng } : {}), ...(addon ? { addonName: addon } : {}) };
}
