/**
 * Joins each EKS cluster's simulated VPC CNI state (the node simulator's ENIs) into EC2's
 * DescribeNetworkInterfaces for the cluster's account and region. ENIs ipamd attached carry what
 * the VPC CNI gives them (amazon-vpc-cni-k8s pkg/awsutils: description `aws-K8S-<instance id>`,
 * tags `node.k8s.amazonaws.com/instance_id`, `node.k8s.amazonaws.com/createdAt` and, with
 * CLUSTER_NAME set as EKS's add-on sets it, `cluster.k8s.amazonaws.com/name`); the primary ENI
 * came with the instance and has neither.
 */
import type { NetworkInterfaceSource, NetworkInterfaceView } from '../aws/services/ec2/network-interface-actions.js';
import type { ClusterManager } from './manager.js';

export function clusterInterfaceSource(manager: ClusterManager, placeOf: (cluster: string) => { accountId: string; region: string } | undefined): NetworkInterfaceSource {
  return (scope) => manager.list().flatMap((cluster) => {
    const place = placeOf(cluster.name);
    if (!place || place.accountId !== scope.accountId || place.region !== scope.region) return [];
    return cluster.networkInterfaces().flatMap((node) => {
      const nodeIp = node.enis.find((e) => e.deviceIndex === 0)?.primaryIp ?? '';
      return node.enis.map((e): NetworkInterfaceView => {
        const cni = e.deviceIndex > 0;
        return {
          networkInterfaceId: e.id, instanceId: node.instanceId, instanceIp: nodeIp, deviceIndex: e.deviceIndex,
          availabilityZone: node.zone, primaryIp: e.primaryIp, secondaryIps: e.secondary.map((s) => s.ip),
          attachedAt: e.attachedAt,
          description: cni && node.instanceId ? `aws-K8S-${node.instanceId}` : '',
          tags: cni ? {
            ...(node.instanceId ? { 'node.k8s.amazonaws.com/instance_id': node.instanceId } : {}),
            'node.k8s.amazonaws.com/createdAt': new Date(e.attachedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            'cluster.k8s.amazonaws.com/name': cluster.name,
          } : {},
        };
      });
    });
  });
}
