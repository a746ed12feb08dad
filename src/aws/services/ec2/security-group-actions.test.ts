import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlObject } from '../../core/types.js';
import { ec2Harness, items, rejectsWith } from './test-harness.js';

const ssh = { 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': 22, 'IpPermissions.1.ToPort': 22, 'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0' };

describe('EC2 security groups', () => {
  it('creates a group with the default egress rule and authorizes, lists and revokes ingress', async () => {
    const h = await ec2Harness();
    const created = await h.call('CreateSecurityGroup', { GroupName: 'web', GroupDescription: 'web servers' });
    const groupId = String(created.groupId);
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    const auth = await h.call('AuthorizeSecurityGroupIngress', { GroupId: groupId, ...ssh, 'IpPermissions.1.IpRanges.2.CidrIp': '10.0.0.0/8' });
    assert.equal(auth.return, true);
    assert.equal(items(auth, 'securityGroupRuleSet').length, 2);
    assert.match(String(items(auth, 'securityGroupRuleSet')[0].securityGroupRuleId), /^sgr-/);

    const [g] = items(await h.call('DescribeSecurityGroups', { 'GroupId.1': groupId }), 'securityGroupInfo');
    assert.equal(g.groupName, 'web');
    assert.equal(g.groupDescription, 'web servers');
    const ingress = items(g, 'ipPermissions');
    assert.equal(ingress.length, 1, 'one permission per protocol/port range');
    assert.deepEqual([ingress[0].ipProtocol, ingress[0].fromPort, ingress[0].toPort], ['tcp', 22, 22]);
    assert.deepEqual(items(ingress[0], 'ipRanges').map((r: XmlObject) => r.cidrIp), ['0.0.0.0/0', '10.0.0.0/8']);
    assert.deepEqual(items(g, 'ipPermissionsEgress').map((p) => [p.ipProtocol, items(p, 'ipRanges')[0].cidrIp]), [['-1', '0.0.0.0/0']]);

    await rejectsWith(h.call('AuthorizeSecurityGroupIngress', { GroupId: groupId, ...ssh }), 'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists');

    await h.call('RevokeSecurityGroupIngress', { GroupId: groupId, ...ssh });
    const [after] = items(await h.call('DescribeSecurityGroups', { 'GroupId.1': groupId }), 'securityGroupInfo');
    assert.deepEqual(items(items(after, 'ipPermissions')[0], 'ipRanges').map((r) => r.cidrIp), ['10.0.0.0/8']);
    await rejectsWith(h.call('RevokeSecurityGroupIngress', { GroupId: groupId, ...ssh }), 'InvalidPermission.NotFound');
  });

  it('accepts the flat CidrIp form and source groups; a duplicate in one request changes nothing', async () => {
    const h = await ec2Harness();
    const a = String((await h.call('CreateSecurityGroup', { GroupName: 'a', GroupDescription: 'a' })).groupId);
    const b = String((await h.call('CreateSecurityGroup', { GroupName: 'b', GroupDescription: 'b' })).groupId);
    await h.call('AuthorizeSecurityGroupIngress', { GroupId: a, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '1.2.3.4/32' });
    await h.call('AuthorizeSecurityGroupIngress', { GroupId: a, 'IpPermissions.1.IpProtocol': '-1', 'IpPermissions.1.Groups.1.GroupId': b });
    await rejectsWith(h.call('AuthorizeSecurityGroupIngress', { GroupId: a, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': 80, 'IpPermissions.1.ToPort': 80, 'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0', 'IpPermissions.2.IpProtocol': '-1', 'IpPermissions.2.Groups.1.GroupId': b }),
      'InvalidPermission.Duplicate', /peer: sg-.*, ALL, ALLOW/);
    const [g] = items(await h.call('DescribeSecurityGroups', { 'GroupId.1': a }), 'securityGroupInfo');
    assert.equal(items(g, 'ipPermissions').length, 2, 'the port-80 rule of the failed request was not added');
    await rejectsWith(h.call('AuthorizeSecurityGroupIngress', { GroupId: a, 'IpPermissions.1.IpProtocol': '-1', 'IpPermissions.1.Groups.1.GroupId': 'sg-0123456789abcdef0' }), 'InvalidGroup.NotFound');
    await rejectsWith(h.call('DeleteSecurityGroup', { GroupId: b }), 'DependencyViolation', `resource ${b} has a dependent object`);
    const filtered = items(await h.call('DescribeSecurityGroups', { 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'a' }), 'securityGroupInfo');
    assert.deepEqual(filtered.map((x) => x.groupId), [a]);
  });

  it('refuses unknown groups, duplicate names and deleting the default group', async () => {
    const h = await ec2Harness();
    await rejectsWith(h.call('DescribeSecurityGroups', { 'GroupId.1': 'sg-0123456789abcdef0' }), 'InvalidGroup.NotFound', "The security group 'sg-0123456789abcdef0' does not exist");
    await rejectsWith(h.call('AuthorizeSecurityGroupIngress', { GroupId: 'sg-0123456789abcdef0', ...ssh }), 'InvalidGroup.NotFound');
    await h.call('CreateSecurityGroup', { GroupName: 'x', GroupDescription: 'x' });
    await rejectsWith(h.call('CreateSecurityGroup', { GroupName: 'x', GroupDescription: 'x' }), 'InvalidGroup.Duplicate', /The security group 'x' already exists for VPC 'vpc-/);
    await rejectsWith(h.call('CreateSecurityGroup', { GroupName: 'y' }), 'MissingParameter');
    const [dflt] = items(await h.call('DescribeSecurityGroups', { 'GroupName.1': 'default' }), 'securityGroupInfo');
    await rejectsWith(h.call('DeleteSecurityGroup', { GroupId: String(dflt.groupId) }), 'CannotDelete');
    await h.call('DeleteSecurityGroup', { GroupName: 'x' });
    await rejectsWith(h.call('DescribeSecurityGroups', { 'GroupName.1': 'x' }), 'InvalidGroup.NotFound');
  });

  it('concurrent rule changes and tag writes on one resource all land (writes do not interleave)', async () => {
    const h = await ec2Harness();
    const id = String((await h.call('CreateSecurityGroup', { GroupName: 'c', GroupDescription: 'c' })).groupId);
    await Promise.all(Array.from({ length: 8 }, (_, k) => h.call('AuthorizeSecurityGroupIngress', { GroupId: id, IpProtocol: 'tcp', FromPort: 8000 + k, ToPort: 8000 + k, CidrIp: '0.0.0.0/0' })));
    await Promise.all(Array.from({ length: 5 }, (_, k) => h.call('CreateTags', { 'ResourceId.1': id, 'Tag.1.Key': `k${k}`, 'Tag.1.Value': 'v' })));
    const [g] = items(await h.call('DescribeSecurityGroups', { 'GroupId.1': id }), 'securityGroupInfo');
    assert.equal(items(g, 'ipPermissions').length, 8);
    assert.equal(items(g, 'tagSet').length, 5);
  });
});
