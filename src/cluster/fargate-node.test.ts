import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { capacityProvisioned, fargateNode, fargateNodeName, fargateSize } from './fargate-node.js';

const pod = (requests?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u-1' },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] },
});

describe('Fargate sizing and nodes', () => {
  it('rounds the pod requests (+256 MiB) up to a Fargate configuration', () => {
    assert.equal(capacityProvisioned(fargateSize(pod())), '0.25vCPU 0.5GB');
    assert.equal(capacityProvisioned(fargateSize(pod({ memory: '512Mi' }))), '0.25vCPU 1GB');
    assert.equal(capacityProvisioned(fargateSize(pod({ cpu: '500m', memory: '1Gi' }))), '0.5vCPU 2GB');
    assert.equal(capacityProvisioned(fargateSize(pod({ cpu: '1', memory: '10Gi' }))), '2vCPU 11GB');
    assert.equal(capacityProvisioned(fargateSize(pod({ cpu: '64' }))), '16vCPU 120GB');
  });

  it('the node: fargate-ip-… name, compute-type label, NoSchedule taint, one pod', () => {
    assert.equal(fargateNodeName('192.168.100.7', 'ap-northeast-2'), 'fargate-ip-192-168-100-7.ap-northeast-2.compute.internal');
    const n = fargateNode({ pod: pod(), ip: '192.168.100.7', region: 'ap-northeast-2', zone: 'ap-northeast-2a', now: 0 });
    assert.equal(n.metadata.labels?.['eks.amazonaws.com/compute-type'], 'fargate');
    assert.equal(n.metadata.labels?.['kubernetes.io/hostname'], 'ip-192-168-100-7.ap-northeast-2.compute.internal');
    assert.deepEqual((n.spec as { taints: unknown[] }).taints, [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]);
    assert.match((n.spec as { providerID: string }).providerID, /^aws:\/\/\/ap-northeast-2a\/[0-9a-f]{32}\/fargate-ip-192-168-100-7\.ap-northeast-2\.compute\.internal$/);
    assert.equal((n.status as { allocatable: Record<string, string> }).allocatable.pods, '1');
    assert.equal(n.metadata.annotations?.['keks.dev/fargate-pod'], 'ns/p');
    assert.equal(n.metadata.annotations?.['keks.dev/simulated-node'], 'true');
  });
});
