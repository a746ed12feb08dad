import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceInfo } from '../aws/core/backends.js';
import type { NodegroupNodeConfig } from '../aws/services/eks/nodegroup-service.js';
import { instanceNode, knownNodeInstanceType, nodeInstanceType } from './node-registrar.js';

function instance(over: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    instanceId: 'i-0123456789abcdef0', region: 'ap-northeast-2', accountId: '000000000000', instanceType: 't3.medium', imageId: 'ami-0abc',
    state: 'running', availabilityZone: 'ap-northeast-2b', subnetId: 'subnet-1', vpcId: 'vpc-1', privateIpAddress: '192.168.120.7',
    privateDnsName: 'ip-192-168-120-7.ap-northeast-2.compute.internal', launchTime: '2025-01-01T00:00:00.000Z',
    tags: { 'eks:cluster-name': 'demo', 'eks:nodegroup-name': 'ng1' }, securityGroupIds: [], ...over,
  };
}

const NG: NodegroupNodeConfig = {
  clusterName: 'demo', nodegroupName: 'ng1', labels: { team: 'a' }, taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }], capacityType: 'SPOT',
  amiType: 'AL2023_x86_64_STANDARD', imageId: 'ami-0abc', sourceLaunchTemplateId: 'lt-0aaa', sourceLaunchTemplateVersion: '2',
  version: '1.31', releaseVersion: '1.31.7-20250414', kubeletVersion: 'v1.31.7-eks-1234567',
};

describe('instanceNode', () => {
  it('is the Node the kubelet registers: name, providerID, addresses, EKS labels, taints, allocatable', () => {
    const n = instanceNode(instance(), NG, Date.UTC(2025, 0, 1));
    assert.equal(n.metadata.name, 'ip-192-168-120-7.ap-northeast-2.compute.internal');
    assert.equal((n.spec as { providerID: string }).providerID, 'aws:///ap-northeast-2b/i-0123456789abcdef0');
    const l = n.metadata.labels ?? {};
    assert.equal(l['eks.amazonaws.com/nodegroup'], 'ng1');
    assert.equal(l['eks.amazonaws.com/capacityType'], 'SPOT');
    assert.equal(l['eks.amazonaws.com/nodegroup-image'], 'ami-0abc');
    assert.equal(l['eks.amazonaws.com/sourceLaunchTemplateId'], 'lt-0aaa');
    assert.equal(l['eks.amazonaws.com/sourceLaunchTemplateVersion'], '2');
    assert.equal(l['topology.kubernetes.io/zone'], 'ap-northeast-2b');
    assert.equal(l['topology.kubernetes.io/region'], 'ap-northeast-2');
    assert.equal(l['kubernetes.io/hostname'], n.metadata.name);
    assert.equal(l.team, 'a');
    assert.equal(n.metadata.annotations?.['keks.dev/simulated-node'], 'true');
    assert.deepEqual((n.spec as { taints: unknown[] }).taints, [{ key: 'k', value: 'v', effect: 'NoExecute' }]);
    const st = n.status as { allocatable: Record<string, string>; capacity: Record<string, string>; nodeInfo: Record<string, string>; addresses: unknown[] };
    assert.equal(st.allocatable.pods, '17');
    assert.equal(st.capacity.cpu, '2');
    assert.equal(st.nodeInfo.kubeletVersion, 'v1.31.7-eks-1234567');
    assert.deepEqual(st.addresses, [
      { type: 'InternalIP', address: '192.168.120.7' }, { type: 'InternalDNS', address: n.metadata.name }, { type: 'Hostname', address: n.metadata.name },
    ]);
  });

  it('self-managed instances (no node group) get the well-known labels only', () => {
    const n = instanceNode(instance({ tags: { 'eks:cluster-name': 'demo' } }), undefined, 0);
    assert.equal(n.metadata.labels?.['eks.amazonaws.com/nodegroup'], undefined);
    assert.equal((n.spec as { taints?: unknown[] }).taints, undefined);
  });

  it('types only EC2\'s table knows use its ENI limits (max pods formula) and architecture', () => {
    assert.equal(knownNodeInstanceType('t4g.medium'), true);
    assert.equal(knownNodeInstanceType('x9.huge'), false);
    assert.equal(nodeInstanceType('t3.micro').maxPods, 4);
    const n = instanceNode(instance({ instanceType: 't4g.medium' }), NG, 0);
    const st = n.status as { allocatable: Record<string, string>; nodeInfo: Record<string, string> };
    assert.equal(st.allocatable.pods, '17');
    assert.equal(n.metadata.labels?.['kubernetes.io/arch'], 'arm64');
    assert.equal(n.metadata.labels?.['node.kubernetes.io/instance-type'], 't4g.medium');
    assert.equal(st.nodeInfo.architecture, 'arm64');
  });
});
