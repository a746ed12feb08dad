import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../core/types.js';
import { ec2Harness, items, rejectsWith } from './test-harness.js';

const rejects = rejectsWith;

describe('EC2 default VPC', () => {
  it('is built as eksctl builds a cluster VPC: 192.168.0.0/16, 3 public + 3 private /19 subnets in zones a/b/c', async () => {
    const h = await ec2Harness();
    const vpcs = items(await h.call('DescribeVpcs'), 'vpcSet');
    assert.equal(vpcs.length, 1);
    assert.equal(vpcs[0].cidrBlock, '192.168.0.0/16');
    assert.equal(vpcs[0].isDefault, true);
    assert.match(String(vpcs[0].vpcId), /^vpc-[0-9a-f]{17}$/);
    const subnets = items(await h.call('DescribeSubnets'), 'subnetSet').sort((a, b) => String(a.cidrBlock).localeCompare(String(b.cidrBlock), undefined, { numeric: true }));
    assert.deepEqual(subnets.map((s) => [s.cidrBlock, s.availabilityZone, s.availabilityZoneId, s.mapPublicIpOnLaunch]), [
      ['192.168.0.0/19', 'ap-northeast-2a', 'apne2-az1', true],
      ['192.168.32.0/19', 'ap-northeast-2b', 'apne2-az2', true],
      ['192.168.64.0/19', 'ap-northeast-2c', 'apne2-az3', true],
      ['192.168.96.0/19', 'ap-northeast-2a', 'apne2-az1', false],
      ['192.168.128.0/19', 'ap-northeast-2b', 'apne2-az2', false],
      ['192.168.160.0/19', 'ap-northeast-2c', 'apne2-az3', false],
    ]);
    for (const s of subnets) {
      assert.match(String(s.subnetId), /^subnet-[0-9a-f]{17}$/);
      assert.equal(s.vpcId, vpcs[0].vpcId);
      assert.equal(s.availableIpAddressCount, 8192 - 5);
      const tags = Object.fromEntries(items(s, 'tagSet').map((t) => [t.key, t.value]));
      assert.deepEqual(tags, s.mapPublicIpOnLaunch ? { 'kubernetes.io/role/elb': '1' } : { 'kubernetes.io/role/internal-elb': '1' });
    }
    const groups = items(await h.call('DescribeSecurityGroups'), 'securityGroupInfo');
    assert.equal(groups.length, 1);
    assert.equal(groups[0].groupName, 'default');
    assert.match(String(groups[0].groupId), /^sg-[0-9a-f]{17}$/);
  });

  it('exists once per account and region, and us-east-1 has its six zones', async () => {
    const h = await ec2Harness();
    const a = items(await h.call('DescribeVpcs'), 'vpcSet');
    const again = items(await h.call('DescribeVpcs'), 'vpcSet');
    assert.deepEqual(again.map((v) => v.vpcId), a.map((v) => v.vpcId));
    const other = items(await h.call('DescribeVpcs', {}, { accountId: '999999999999' }), 'vpcSet');
    assert.equal(other.length, 1);
    assert.notEqual(other[0].vpcId, a[0].vpcId);
    const east = items(await h.call('DescribeAvailabilityZones', {}, { region: 'us-east-1' }), 'availabilityZoneInfo');
    assert.deepEqual(east.map((z) => z.zoneName), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    assert.equal(east[0].zoneId, 'use1-az1');
    assert.equal(east[0].zoneState, 'available');
    assert.equal(east[0].regionName, 'us-east-1');
  });

  it('survives re-creating the service on the same store (same ids, nothing duplicated)', async () => {
    const h = await ec2Harness();
    const before = items(await h.call('DescribeSubnets'), 'subnetSet').map((s) => s.subnetId).sort();
    await h.ec2.backend.flush();
    const h2 = await ec2Harness({ store: h.store });
    const after = items(await h2.call('DescribeSubnets'), 'subnetSet').map((s) => s.subnetId).sort();
    assert.deepEqual(after, before);
    assert.equal(items(await h2.call('DescribeVpcs'), 'vpcSet').length, 1);
  });
});

describe('EC2 DescribeVpcs / DescribeSubnets', () => {
  it('reports unknown and malformed ids with EC2 codes and wording', async () => {
    const h = await ec2Harness();
    await rejects(h.call('DescribeVpcs', { 'VpcId.1': 'vpc-0123456789abcdef0' }), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist");
    await rejects(h.call('DescribeVpcs', { 'VpcId.1': 'vpc-xyz' }), 'InvalidVpcID.Malformed', 'Invalid id: "vpc-xyz"');
    await rejects(h.call('DescribeSubnets', { 'SubnetId.1': 'subnet-0123456789abcdef0' }), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist");
    await rejects(h.call('DescribeSubnets', { 'Filter.1.Name': 'bogus', 'Filter.1.Value.1': 'x' }), 'InvalidParameterValue', "The filter 'bogus' is invalid");
  });

  it('filters subnets by tag, tag-key, vpc-id, availability-zone and wildcards', async () => {
    const h = await ec2Harness();
    const vpcId = String(items(await h.call('DescribeVpcs'), 'vpcSet')[0].vpcId);
    const elb = items(await h.call('DescribeSubnets', { 'Filter.1.Name': 'tag:kubernetes.io/role/elb', 'Filter.1.Value.1': '1' }), 'subnetSet');
    assert.deepEqual(elb.map((s) => s.mapPublicIpOnLaunch), [true, true, true]);
    const privA = items(await h.call('DescribeSubnets', {
      'Filter.1.Name': 'tag-key', 'Filter.1.Value.1': 'kubernetes.io/role/internal-elb',
      'Filter.2.Name': 'availability-zone', 'Filter.2.Value.1': '*-2a',
      'Filter.3.Name': 'vpc-id', 'Filter.3.Value.1': vpcId,
    }), 'subnetSet');
    assert.deepEqual(privA.map((s) => s.cidrBlock), ['192.168.96.0/19']);
    const two = items(await h.call('DescribeSubnets', { 'Filter.1.Name': 'cidr-block', 'Filter.1.Value.1': '192.168.0.0/19', 'Filter.1.Value.2': '192.168.32.0/19' }), 'subnetSet');
    assert.equal(two.length, 2);
  });

  it('answers DryRun with DryRunOperation (412) and changes nothing', async () => {
    const h = await ec2Harness();
    await assert.rejects(h.call('CreateVpc', { CidrBlock: '10.0.0.0/16', DryRun: true }), (e: unknown) => e instanceof AwsError && e.code === 'DryRunOperation' && e.status === 412);
    assert.equal(items(await h.call('DescribeVpcs'), 'vpcSet').length, 1);
  });

  it('pages with MaxResults and NextToken', async () => {
    const h = await ec2Harness();
    const p1 = await h.call('DescribeSubnets', { MaxResults: 5 });
    assert.equal(items(p1, 'subnetSet').length, 5);
    assert.ok(p1.nextToken);
    const p2 = await h.call('DescribeSubnets', { MaxResults: 5, NextToken: String(p1.nextToken) });
    assert.equal(items(p2, 'subnetSet').length, 1);
    assert.equal(p2.nextToken, undefined);
  });
});

describe('EC2 CreateVpc / CreateSubnet / Delete*', () => {
  it('creates a VPC with its default security group, and subnets inside it', async () => {
    const h = await ec2Harness();
    const vpc = (await h.call('CreateVpc', { CidrBlock: '10.0.0.0/16', 'TagSpecification.1.ResourceType': 'vpc', 'TagSpecification.1.Tag.1.Key': 'Name', 'TagSpecification.1.Tag.1.Value': 'lab' })).vpc as Record<string, unknown>;
    assert.equal(vpc.cidrBlock, '10.0.0.0/16');
    assert.equal(vpc.isDefault, false);
    const vpcId = String(vpc.vpcId);
    const sgs = items(await h.call('DescribeSecurityGroups', { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId }), 'securityGroupInfo');
    assert.deepEqual(sgs.map((g) => g.groupName), ['default']);
    const byName = items(await h.call('DescribeVpcs', { 'Filter.1.Name': 'tag:Name', 'Filter.1.Value.1': 'lab' }), 'vpcSet');
    assert.deepEqual(byName.map((v) => v.vpcId), [vpcId]);

    const sub = (await h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'ap-northeast-2b' })).subnet as Record<string, unknown>;
    assert.equal(sub.availabilityZone, 'ap-northeast-2b');
    assert.equal(sub.availableIpAddressCount, 251);
    await rejects(h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.1.128/25' }), 'InvalidSubnet.Conflict', "The CIDR '10.0.1.128/25' conflicts with another subnet");
    await rejects(h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.1.0.0/24' }), 'InvalidSubnet.Range', "The CIDR '10.1.0.0/24' is invalid.");
    await rejects(h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.2.0/29' }), 'InvalidSubnet.Range');
    await rejects(h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.2.1/24' }), 'InvalidParameterValue', /not a valid CIDR block/);
    await rejects(h.call('CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'ap-northeast-2z' }), 'InvalidParameterValue', /availabilityZone/);
    await rejects(h.call('CreateSubnet', { VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.2.0/24' }), 'InvalidVpcID.NotFound');
    await rejects(h.call('CreateSubnet', { CidrBlock: '10.0.2.0/24' }), 'MissingParameter');
    await rejects(h.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.");

    await rejects(h.call('DeleteVpc', { VpcId: vpcId }), 'DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    await h.call('DeleteSubnet', { SubnetId: String(sub.subnetId) });
    await h.call('DeleteVpc', { VpcId: vpcId });
    await rejects(h.call('DescribeVpcs', { 'VpcId.1': vpcId }), 'InvalidVpcID.NotFound');
    assert.equal(items(await h.call('DescribeSecurityGroups', { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId }), 'securityGroupInfo').length, 0);
  });

  it('refuses to delete a subnet that still has instances', async () => {
    const h = await ec2Harness();
    const [subnet] = items(await h.call('DescribeSubnets', { 'Filter.1.Name': 'cidr-block', 'Filter.1.Value.1': '192.168.0.0/19' }), 'subnetSet');
    await h.ec2.backend.runInstances({ region: 'ap-northeast-2', accountId: '111122223333', instanceType: 't3.medium', subnetIds: [String(subnet.subnetId)], count: 1, tags: {} });
    await rejects(h.call('DeleteSubnet', { SubnetId: String(subnet.subnetId) }), 'DependencyViolation');
  });
});
