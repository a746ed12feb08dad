// VPC CNI addressing in the node simulator: pod IPs from the node's /19 subnet, at most
// ENIs × (IPv4 per ENI − 1) of them per node (t3.micro: 2 ENIs × 2 addresses → 2 pod IPs, max
// pods 4), host-network pods on the node's address without using one, and a pod that finds
// its node out of addresses stuck in ContainerCreating with the VPC CNI's FailedCreatePodSandBox
// event until an address frees up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

interface PodStatus { phase?: string; podIP?: string; hostIP?: string; containerStatuses?: Array<{ state: { waiting?: { reason: string }; running?: unknown } }> }
const st = (p: KubeObject): PodStatus => (p.status ?? {}) as PodStatus;
const subnet19 = (ip: string): string => { const [a, b, c] = ip.split('.').map(Number); return `${a}.${b}.${c - (c % 32)}`; };

function pod(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 1, ...spec } };
}

describe('VPC CNI addressing', () => {
  let tk: TestKeks;
  let client: ApiClient;
  let nodeIp = '';

  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 1, zones: ['us-east-1a'], instanceType: 't3.micro' });
    client = tk.cluster.client;
    const node = await eventually(async () => (await client.list(NODES, '')).items[0], 'node');
    assert.equal((node.status as { allocatable: { pods: string } }).allocatable.pods, '4', 't3.micro: 2 × (2 − 1) + 2');
    nodeIp = (node.status as { addresses: Array<{ type: string; address: string }> }).addresses.find((a) => a.type === 'InternalIP')!.address;
  });
  after(async () => { await tk?.stop(); });

  it('pods get addresses of the node\'s subnet; a host-network pod uses the node\'s address', async () => {
    await client.create(PODS, 'default', pod('a'));
    await client.create(PODS, 'default', pod('host', { hostNetwork: true }));
    const a = await eventually(async () => { const p = await client.get(PODS, 'default', 'a'); return st(p).phase === 'Running' ? p : undefined; }, 'a running');
    assert.equal(subnet19(st(a).podIP!), subnet19(nodeIp), `${st(a).podIP} in the /19 of ${nodeIp}`);
    assert.notEqual(st(a).podIP, nodeIp);
    const h = await eventually(async () => { const p = await client.get(PODS, 'default', 'host'); return st(p).phase === 'Running' ? p : undefined; }, 'host running');
    assert.equal(st(h).podIP, nodeIp);
  });

  it('out of addresses: ContainerCreating with FailedCreatePodSandBox, then an address once one frees up', async () => {
    await client.create(PODS, 'default', pod('b'));
    await eventually(async () => (st(await client.get(PODS, 'default', 'b')).phase === 'Running' ? true : undefined), 'b running');
    await client.create(PODS, 'default', pod('c'));
    const c = await eventually(async () => {
      const p = await client.get(PODS, 'default', 'c');
      return st(p).containerStatuses?.[0]?.state.waiting?.reason === 'ContainerCreating' ? p : undefined;
    }, 'c ContainerCreating');
    assert.equal(st(c).phase, 'Pending');
    assert.equal(st(c).podIP, undefined);
    const ev = await eventually(async () => (await client.list(EVENTS, 'default', { fieldSelector: 'involvedObject.name=c' })).items.find((e) => e.reason === 'FailedCreatePodSandBox'), 'event');
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message as string, /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="aws-cni" name="aws-cni" failed \(add\): add cmd: failed to assign an IP address to container$/);
    assert.equal((ev.source as { component: string }).component, 'kubelet');
    const aIp = st(await client.get(PODS, 'default', 'a')).podIP;
    await client.delete(PODS, 'default', 'a');
    const running = await eventually(async () => { const p = await client.get(PODS, 'default', 'c'); return st(p).phase === 'Running' ? p : undefined; }, 'c running after a is gone', 15_000);
    assert.equal(subnet19(st(running).podIP!), subnet19(nodeIp));
    assert.notEqual(st(running).podIP, st(await client.get(PODS, 'default', 'b')).podIP);
    assert.ok(aIp);
  });
});
