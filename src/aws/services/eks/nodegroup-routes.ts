/**
 * The rest-json routes of EKS managed node groups (paths from the botocore model,
 * aws-api-surface.md §2.1), over a NodegroupService. The cluster part includes `routes` in the
 * EKS service and uses `nodegroupNames` for DeleteCluster's "Cluster has nodegroups attached";
 * the composition root gives `nodegroupForInstance` to the node registrar.
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { EksTaggable } from './model.js';
import { NodegroupService, type NodegroupNodeConfig, type NodegroupServiceOptions } from './nodegroup-service.js';

export interface NodegroupPart {
  routes: RestJsonRoute[];
  service: NodegroupService;
  /** ClusterDependents.nodegroupNames. */
  nodegroupNames(accountId: string, region: string, cluster: string): string[];
  /** For the node registrar: the node group of an instance (by its eks:* tags), or undefined. */
  nodegroupForInstance: NodegroupService['nodegroupForInstance'];
  /** For TagResource / UntagResource / ListTagsForResource on nodegroup ARNs. */
  taggable: EksTaggable;
}

export type { NodegroupNodeConfig, NodegroupServiceOptions };

export async function nodegroupRoutes(deps: NodegroupServiceOptions): Promise<NodegroupPart> {
  const s = await NodegroupService.open(deps);
  const routes: RestJsonRoute[] = [
    { method: 'POST', path: '/clusters/{name}/node-groups', operation: 'CreateNodegroup', handler: (req, ctx) => s.create(ctx.caller.accountId, ctx.region, req.params.name, req.body) },
    { method: 'GET', path: '/clusters/{name}/node-groups', operation: 'ListNodegroups', handler: (req, ctx) => s.list(ctx.caller.accountId, ctx.region, req.params.name, req.query) },
    { method: 'GET', path: '/clusters/{name}/node-groups/{nodegroupName}', operation: 'DescribeNodegroup', handler: (req, ctx) => s.describe(ctx.caller.accountId, ctx.region, req.params.name, req.params.nodegroupName) },
    { method: 'DELETE', path: '/clusters/{name}/node-groups/{nodegroupName}', operation: 'DeleteNodegroup', handler: (req, ctx) => s.delete(ctx.caller.accountId, ctx.region, req.params.name, req.params.nodegroupName) },
    { method: 'POST', path: '/clusters/{name}/node-groups/{nodegroupName}/update-config', operation: 'UpdateNodegroupConfig', handler: (req, ctx) => s.updateConfig(ctx.caller.accountId, ctx.region, req.params.name, req.params.nodegroupName, req.body) },
    { method: 'POST', path: '/clusters/{name}/node-groups/{nodegroupName}/update-version', operation: 'UpdateNodegroupVersion', handler: (req, ctx) => s.updateVersion(ctx.caller.accountId, ctx.region, req.params.name, req.params.nodegroupName, req.body) },
  ];
  return {
    routes, service: s,
    nodegroupNames: (a, r, c) => s.nodegroupNames(a, r, c),
    nodegroupForInstance: (i) => s.nodegroupForInstance(i),
    taggable: { resourceType: 'nodegroup', tags: (arn) => s.tags(arn), setTags: (arn, tags) => s.setTags(arn, tags) },
  };
}
