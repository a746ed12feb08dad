// The VPC CNI's warm pool seen as on AWS: `aws ec2 describe-network-interfaces` lists each node's
// ENIs — the primary one and those ipamd attached (aws-K8S-<instance id>, tagged) — with pod IPs
// among their secondary addresses. With the default WARM_ENI_TARGET=1 a whole ENI of addresses
// stays free; `kubectl set env ds/aws-node WARM_IP_TARGET=2 MINIMUM_IP_TARGET=4` shrinks the
// pool to 2 free addresses (at least 4 in all), and pods still start. One t3.medium node: 3 ENIs
// × 5 secondary addresses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, cliError, runAws } from '../helpers/aws.js';

interface Eni {
  NetworkInterfaceId: string;
  Description: string;
  SubnetId?: string;
  Attachment: { InstanceId: string; DeviceIndex: number; Status: string };
  PrivateIpAddress: string;
  PrivateIpAddresses: Array<{ PrivateIpAddress: string; Primary: boolean }>;
  TagSet: Array<{ Key: string; Value: string }>;
}

describe('VPC CNI warm pool through aws ec2 describe-network-interfaces', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let instanceId: string;
  let nodeIp: string;
  before(async () => {
    tk = await startTestKeks({ nodes: 1, store: 'memory', instanceType: 't3.medium', selfManagedAddons: true });
    k = new Kubectl(tk.kubeconfig);
    const node = JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])).items[0];
    instanceId = /(i-[0-9a-f]+)$/.exec(node.spec.providerID)?.[1] ?? '';
    nodeIp = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
  });
  after(async () => { await tk?.stop(); });

  const enis = async (): Promise<Eni[]> => {
    const r = await runAws(['ec2', 'describe-network-interfaces', '--filters', `Name=attachment.instance-id,Values=${instanceId}`], { endpoint: tk.awsEndpoint });
    return (r.json as { NetworkInterfaces: Eni[] }).NetworkInterfaces.sort((a, b) => a.Attachment.DeviceIndex - b.Attachment.DeviceIndex);
  };
  /** Pod IPs (not host-network) of running pods. */
  const podIps = async (): Promise<string[]> => {
    const pods = JSON.parse(await k.ok(['get', 'pods', '-A', '-o', 'json'])).items as Array<{ status: { podIP?: string; phase: string } }>;
    return pods.filter((p) => p.status.podIP && p.status.podIP !== nodeIp && p.status.phase === 'Running').map((p) => p.status.podIP as string);
  };
  const secondaries = (list: Eni[]): string[] => list.flatMap((e) => e.PrivateIpAddresses.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress));

  it('WARM_ENI_TARGET=1: a whole ENI of free addresses; pod IPs are ENI secondaries; CNI ENIs are described and tagged', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const { list, ips } = await eventually(async () => {
      const ips = await podIps();
      const list = await enis();
      // 5 secondaries per ENI: enough ENIs that 5 stay free (ipamd's "pool too low" test).
      const want = Math.min(3, Math.ceil((ips.length + 5) / 5));
      return ips.length >= 3 && list.length === want ? { list, ips } : undefined;
    }, 'warm ENIs settled', 15_000, 100);
    const all = secondaries(list);
    for (const ip of ips) assert.ok(all.includes(ip), `pod IP ${ip} is a secondary address of an ENI`);
    assert.ok(all.length - ips.length >= 5 || list.length === 3, `free ${all.length - ips.length}`);
    assert.equal(list[0].PrivateIpAddress, nodeIp, 'device 0 is the instance\'s primary ENI');
    assert.equal(list[0].Description, '');
    assert.match(list[0].SubnetId ?? '', /^subnet-/);
    assert.ok(list.length >= 2, 'the running pods needed a second ENI');
    const cni = list[1];
    assert.equal(cni.Description, `aws-K8S-${instanceId}`);
    assert.equal(cni.Attachment.Status, 'attached');
    assert.equal(cni.TagSet.find((t) => t.Key === 'node.k8s.amazonaws.com/instance_id')?.Value, instanceId);
    assert.equal(cni.TagSet.find((t) => t.Key === 'cluster.k8s.amazonaws.com/name')?.Value, 'keks');
    assert.equal(new Set(list.map((e) => e.NetworkInterfaceId)).size, list.length);

    // By id, and a missing id as EC2 words it.
    const one = await runAws(['ec2', 'describe-network-interfaces', '--network-interface-ids', cni.NetworkInterfaceId], { endpoint: tk.awsEndpoint });
    assert.deepEqual((one.json as { NetworkInterfaces: Eni[] }).NetworkInterfaces.map((e) => e.NetworkInterfaceId), [cni.NetworkInterfaceId]);
    const missing = await runAws(['ec2', 'describe-network-interfaces', '--network-interface-ids', 'eni-0123456789abcdef0'], { endpoint: tk.awsEndpoint });
    assert.equal(cliError(missing)?.code, 'InvalidNetworkInterfaceID.NotFound');
  });

  it('WARM_IP_TARGET=2 MINIMUM_IP_TARGET=4 from aws-node\'s env: two free addresses, at least four in all', async () => {
    await k.ok(['-n', 'kube-system', 'set', 'env', 'daemonset/aws-node', 'WARM_IP_TARGET=2', 'MINIMUM_IP_TARGET=4']);
    const settled = async (): Promise<{ list: Eni[]; ips: string[] } | undefined> => {
      const ips = await podIps();
      const list = await enis();
      const total = secondaries(list).length;
      return total === Math.max(ips.length + 2, 4) && list.length === Math.ceil(total / 5) ? { list, ips } : undefined;
    };
    const before = await eventually(settled, 'pool at WARM_IP_TARGET', 15_000, 100);
    await k.ok(['scale', 'deployment/web', '--replicas=6']);
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const afterScale = await eventually(async () => {
      const s = await settled();
      return s && s.ips.length === before.ips.length + 3 ? s : undefined;
    }, 'pool follows the new pods', 15_000, 100);
    for (const ip of afterScale.ips) assert.ok(secondaries(afterScale.list).includes(ip), ip);
  });
});
