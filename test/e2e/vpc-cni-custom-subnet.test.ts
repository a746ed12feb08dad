// Pod IPs come from the node's own subnet, whatever its size (a Terraform-style VPC with /24
// private subnets, not eksctl's /19s): a managed node group in 10.20.1.0/24 runs pods whose
// addresses are in 10.20.1.0/24, taken through EC2's allocator — DescribeSubnets'
// AvailableIpAddressCount drops by exactly the instance, its ENIs and their secondary addresses
// (the warm pool included), and describe-network-interfaces lists those ENIs in that subnet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ResourceRef } from '../../src/client/client.js';
import { eventually } from '../helpers/api.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['eks.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });

const inSubnet24 = (ip: string, prefix: string): boolean => ip.startsWith(prefix) && Number(ip.split('.')[3]) >= 4 && Number(ip.split('.')[3]) <= 254;

describe('VPC CNI in a custom /24 subnet (aws ec2 + aws eks node group)', { skip: awsCliSkip }, () => {
  let tk: TestKeks;
  const aws = async (args: string[]): Promise<Record<string, any>> => {
    const r = await runAws(args, { endpoint: tk.awsEndpoint, timeoutMs: 60_000 });
    assert.equal(r.code, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return (r.json ?? {}) as Record<string, any>;
  };
  before(async () => { tk = await startTestKeks({ store: 'memory', nodes: 0 }); });
  after(async () => { await tk?.stop(); });

  it('pods get addresses of their node\'s /24; the subnet\'s free count and ENIs show the warm pool', async () => {
    const vpcId = (await aws(['ec2', 'create-vpc', '--cidr-block', '10.20.0.0/16'])).Vpc.VpcId as string;
    const subnetA = (await aws(['ec2', 'create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.20.1.0/24', '--availability-zone', 'us-east-1a'])).Subnet.SubnetId as string;
    const subnetB = (await aws(['ec2', 'create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.20.2.0/24', '--availability-zone', 'us-east-1b'])).Subnet.SubnetId as string;
    const role = (await aws(['iam', 'create-role', '--role-name', 'lab', '--assume-role-policy-document', TRUST])).Role.Arn as string;
    await aws(['eks', 'create-cluster', '--name', 'lab', '--role-arn', role, '--resources-vpc-config', `subnetIds=${subnetA},${subnetB}`]);
    await aws(['eks', 'wait', 'cluster-active', '--name', 'lab']);
    await aws(['eks', 'create-nodegroup', '--cluster-name', 'lab', '--nodegroup-name', 'ng', '--instance-types', 't3.medium',
      '--scaling-config', 'minSize=1,maxSize=1,desiredSize=1', '--subnets', subnetA, '--node-role', role]);
    await aws(['eks', 'wait', 'nodegroup-active', '--cluster-name', 'lab', '--nodegroup-name', 'ng']);
    const client = (await eventually(() => tk.keks.manager.get('lab'), 'cluster lab')).client;

    await client.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    const pods = await eventually(async () => {
      const l = (await client.list(PODS, 'default', { labelSelector: 'app=web' })).items;
      const ips = l.map((p) => (p.status as { podIP?: string; phase?: string })).filter((s) => s.phase === 'Running' && s.podIP).map((s) => s.podIP as string);
      return ips.length === 4 ? { ips, hostIP: (l[0].status as { hostIP: string }).hostIP } : undefined;
    }, '4 running pods', 30_000, 100);
    assert.ok(inSubnet24(pods.hostIP, '10.20.1.'), `node ${pods.hostIP} in 10.20.1.0/24`);
    for (const ip of pods.ips) assert.ok(inSubnet24(ip, '10.20.1.') && ip !== pods.hostIP, `pod IP ${ip} in the node's 10.20.1.0/24`);
    assert.equal(new Set(pods.ips).size, 4);

    // Every pod with its own address on the node (coredns too: EKS installs it in a new cluster).
    const podCount = async (): Promise<number> => (await client.list(PODS, '')).items
      .filter((p) => { const st = p.status as { podIP?: string; phase?: string }; return st.phase === 'Running' && st.podIP && st.podIP !== pods.hostIP; }).length;
    let want = { enis: 0, secondaries: 0 };
    const settled = await eventually(async () => {
      // WARM_ENI_TARGET=1, 5 secondaries per t3.medium ENI: enough whole ENIs that 5 stay free.
      const n = await podCount();
      const k = Math.min(3, Math.ceil((n + 5) / 5));
      want = { enis: k, secondaries: 5 * k };
      const enis = (await aws(['ec2', 'describe-network-interfaces', '--filters', `Name=subnet-id,Values=${subnetA}`])).NetworkInterfaces as Array<{ PrivateIpAddresses: Array<{ PrivateIpAddress: string; Primary: boolean }> }>;
      const addresses = enis.flatMap((e) => e.PrivateIpAddresses.map((a) => a.PrivateIpAddress));
      const secondaries = enis.flatMap((e) => e.PrivateIpAddresses.filter((a) => !a.Primary)).length;
      return enis.length === want.enis && secondaries === want.secondaries && pods.ips.every((ip) => addresses.includes(ip)) ? addresses : undefined;
    }, 'the warm ENIs holding the pods', 15_000, 100);
    assert.ok(want.enis >= 2);
    assert.ok(settled.every((ip) => inSubnet24(ip, '10.20.1.')), settled.join(' '));
    const free = (await aws(['ec2', 'describe-subnets', '--subnet-ids', subnetA])).Subnets[0].AvailableIpAddressCount;
    // 251 usable − the instance's address − the other ENIs' primaries − the secondaries.
    assert.equal(free, 251 - 1 - (want.enis - 1) - want.secondaries);
    assert.equal((await aws(['ec2', 'describe-subnets', '--subnet-ids', subnetB])).Subnets[0].AvailableIpAddressCount, 251);
  });
});
