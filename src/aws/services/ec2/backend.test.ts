import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../core/types.js';
import { ACCOUNT, ec2Harness, items } from './test-harness.js';
import { SubnetIpAllocator } from './ip-allocator.js';
import { parseCidr } from './cidr.js';

const REGION = 'eu-west-1';

describe('SubnetIpAllocator', () => {
  it('skips the four first and the last address of the subnet and never hands out one twice', () => {
    const cidr = parseCidr('10.0.0.0/28');
    assert.ok(cidr);
    const a = new SubnetIpAllocator({ cidr });
    assert.equal(a.capacity(), 11);
    const got = new Set<string>();
    for (let i = 0; i < 11; i++) got.add(a.allocate() as string);
    assert.equal(got.size, 11);
    for (const ip of ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.15']) assert.ok(!got.has(ip), ip);
    assert.equal(a.allocate(), undefined);
    assert.equal(a.available(), 0);
    a.release('10.0.0.7');
    assert.equal(a.allocate(), '10.0.0.7');
    assert.equal(a.reserve('10.0.0.15'), false);
  });
});

describe('Ec2Backend', () => {
  it('allocates and releases private IPs (pods, load balancers), visible in availableIpAddressCount', async () => {
    const h = await ec2Harness();
    const vpc = h.ec2.backend.defaultVpc(REGION, ACCOUNT);
    assert.equal(vpc.cidrBlock, '192.168.0.0/16');
    const subnets = h.ec2.backend.subnetsOf(REGION, vpc.vpcId);
    assert.deepEqual(subnets.map((s) => s.availabilityZone), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const s = subnets[0];
    const ips = Array.from({ length: 10 }, () => h.ec2.backend.allocatePrivateIp(REGION, s.subnetId));
    assert.equal(new Set(ips).size, 10);
    for (const ip of ips) assert.match(ip, /^192\.168\.([0-9]|[12][0-9]|3[01])\.\d+$/);
    const count = async (): Promise<number> => Number(items(await h.call('DescribeSubnets', { 'SubnetId.1': s.subnetId }, { region: REGION }), 'subnetSet')[0].availableIpAddressCount);
    assert.equal(await count(), 8187 - 10);
    h.ec2.backend.releasePrivateIp(REGION, s.subnetId, ips[0]);
    assert.equal(await count(), 8187 - 9);
    assert.throws(() => h.ec2.backend.allocatePrivateIp(REGION, 'subnet-0123456789abcdef0'), (e: unknown) => e instanceof AwsError && e.code === 'InvalidSubnetID.NotFound');
  });

  it('rebuilds allocators from stored instances and IPs after a restart: no address is handed out twice', async () => {
    const h = await ec2Harness();
    const small = (await h.call('CreateVpc', { CidrBlock: '10.9.0.0/16' }, { region: REGION })).vpc as Record<string, string>;
    const sub = (await h.call('CreateSubnet', { VpcId: small.vpcId, CidrBlock: '10.9.0.0/28' }, { region: REGION })).subnet as Record<string, string>;
    const inst = await h.ec2.backend.runInstances({ region: REGION, accountId: ACCOUNT, instanceType: 't3.medium', subnetIds: [sub.subnetId], count: 3, tags: { k: 'v' } });
    const pods = [h.ec2.backend.allocatePrivateIp(REGION, sub.subnetId), h.ec2.backend.allocatePrivateIp(REGION, sub.subnetId)];
    await h.ec2.backend.flush();

    const h2 = await ec2Harness({ store: h.store });
    const again = h2.ec2.backend.instance(REGION, inst[0].instanceId);
    assert.deepEqual(again, inst[0]);
    const more = Array.from({ length: 6 }, () => h2.ec2.backend.allocatePrivateIp(REGION, sub.subnetId));
    const all = [...inst.map((i) => i.privateIpAddress), ...pods, ...more];
    assert.equal(new Set(all).size, 11, 'every usable address of the /28 exactly once');
    assert.throws(() => h2.ec2.backend.allocatePrivateIp(REGION, sub.subnetId), (e: unknown) => e instanceof AwsError && e.code === 'InsufficientFreeAddressesInSubnet');
    await assert.rejects(h2.ec2.backend.runInstances({ region: REGION, accountId: ACCOUNT, instanceType: 't3.medium', subnetIds: [sub.subnetId], count: 1, tags: {} }),
      (e: unknown) => e instanceof AwsError && e.code === 'InsufficientFreeAddressesInSubnet');
  });

  it('creates and deletes security groups for other services (EKS cluster security group)', async () => {
    const h = await ec2Harness();
    const vpc = h.ec2.backend.defaultVpc(REGION, ACCOUNT);
    const id = await h.ec2.backend.createSecurityGroup({ region: REGION, accountId: ACCOUNT, vpcId: vpc.vpcId, name: 'eks-cluster-sg-demo', description: 'EKS created security group', tags: { 'aws:eks:cluster-name': 'demo' } });
    const [g] = items(await h.call('DescribeSecurityGroups', { 'Filter.1.Name': 'tag:aws:eks:cluster-name', 'Filter.1.Value.1': 'demo' }, { region: REGION }), 'securityGroupInfo');
    assert.equal(g.groupId, id);
    await h.ec2.backend.deleteSecurityGroup(REGION, id);
    assert.equal(items(await h.call('DescribeSecurityGroups', { 'Filter.1.Name': 'tag:aws:eks:cluster-name', 'Filter.1.Value.1': 'demo' }, { region: REGION }), 'securityGroupInfo').length, 0);
  });

  it('answers lookups only in the resource region', async () => {
    const h = await ec2Harness();
    const vpc = h.ec2.backend.defaultVpc(REGION, ACCOUNT);
    assert.equal(h.ec2.backend.vpc(REGION, vpc.vpcId)?.isDefault, true);
    assert.equal(h.ec2.backend.vpc('us-west-2', vpc.vpcId), undefined);
    const [s] = h.ec2.backend.subnetsOf(REGION, vpc.vpcId);
    assert.equal(h.ec2.backend.subnet(REGION, s.subnetId)?.availabilityZoneId, 'euw1-az1');
  });
});
