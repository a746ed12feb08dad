import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlObject } from '../../core/types.js';
import { rejectsWith } from '../ec2/test-harness.js';
import { ACCOUNT, REGION, asgHarness, createParams, list, type AsgHarness } from './test-harness.js';

async function group(h: AsgHarness, name: string): Promise<XmlObject> {
  const [g] = list(await h.call('DescribeAutoScalingGroups', { 'AutoScalingGroupNames.member.1': name }), 'AutoScalingGroups');
  assert.ok(g, `group ${name}`);
  return g;
}

function zoneCounts(g: XmlObject): number[] {
  const counts = new Map<string, number>();
  for (const i of list(g, 'Instances')) counts.set(String(i.AvailabilityZone), (counts.get(String(i.AvailabilityZone)) ?? 0) + 1);
  return [...counts.entries()].sort().map(([, n]) => n);
}

async function running(h: AsgHarness, filters: Record<string, string>): Promise<XmlObject[]> {
  const params: Record<string, string> = {};
  Object.entries(filters).forEach(([k, v], i) => { params[`Filter.${i + 1}.Name`] = k; params[`Filter.${i + 1}.Value.1`] = v; });
  params[`Filter.${Object.keys(filters).length + 1}.Name`] = 'instance-state-name';
  params[`Filter.${Object.keys(filters).length + 1}.Value.1`] = 'running';
  return list(await h.ec2('DescribeInstances', params), 'reservationSet').flatMap((r) => list(r, 'instancesSet'));
}

describe('Auto Scaling groups', () => {
  it('CreateAutoScalingGroup launches desired instances balanced across zones, tagged, each announced to the listener', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng-1', h.publicSubnets, { min: 1, max: 6, desired: 3 }, { 'eks:cluster-name': 'demo', Name: 'demo-ng-1-Node' }));
    const g = await group(h, 'ng-1');
    assert.match(String(g.AutoScalingGroupARN), new RegExp(`^arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName/ng-1$`));
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity], [1, 6, 3]);
    assert.equal(g.VPCZoneIdentifier, h.publicSubnets.join(','));
    assert.deepEqual(g.AvailabilityZones, [`${REGION}a`, `${REGION}b`, `${REGION}c`]);
    assert.deepEqual(zoneCounts(g), [1, 1, 1]);
    assert.deepEqual(list(g, 'Instances').map((i) => [i.LifecycleState, i.HealthStatus]), [['InService', 'Healthy'], ['InService', 'Healthy'], ['InService', 'Healthy']]);
    assert.deepEqual(g.LaunchTemplate, { LaunchTemplateId: undefined, LaunchTemplateName: 'ng-template', Version: '$Latest' });

    const instances = await running(h, { 'tag:eks:cluster-name': 'demo' });
    assert.equal(instances.length, 3);
    for (const i of instances) {
      const tags = Object.fromEntries(list(i, 'tagSet').map((t) => [t.key, t.value]));
      assert.deepEqual(tags, { 'eks:cluster-name': 'demo', Name: 'demo-ng-1-Node', 'aws:autoscaling:groupName': 'ng-1' });
    }
    assert.deepEqual(h.calls.map((c) => [c.event, c.stateAtCall]), [['launched', 'running'], ['launched', 'running'], ['launched', 'running']]);

    const acts = list(await h.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng-1' }), 'Activities');
    assert.equal(acts.length, 3);
    assert.match(String(acts[0].Description), /^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
    assert.match(String(acts[0].Cause), /^At \S+Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 3\.  At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3\.$/);
    assert.equal(acts[0].StatusCode, 'Successful');
    assert.match(String(acts[0].Details), /"Availability Zone":"ap-northeast-2/);
  });

  it('SetDesiredCapacity scales out across zones and scales in by zone balance then age, draining before terminating', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 6, desired: 2 }));
    h.ec2h.clock.step(60_000);
    await h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 5 });
    let g = await group(h, 'ng');
    assert.equal(g.DesiredCapacity, 5);
    assert.deepEqual(zoneCounts(g), [2, 2, 1]);
    assert.equal((await running(h, { 'tag:aws:autoscaling:groupName': 'ng' })).length, 5);

    const oldestInA = list(g, 'Instances').filter((i) => String(i.AvailabilityZone).endsWith('a'))[0].InstanceId;
    h.calls.length = 0;
    await h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 4 });
    assert.deepEqual(h.calls.map((c) => [c.event, c.instanceId, c.stateAtCall]), [['terminating', oldestInA, 'running']], 'drained while still running');
    assert.equal(h.ec2h.ec2.backend.instance(REGION, String(oldestInA))?.state, 'terminated');

    await h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 1 });
    g = await group(h, 'ng');
    assert.equal(list(g, 'Instances').length, 1);
    assert.equal((await running(h, { 'tag:aws:autoscaling:groupName': 'ng' })).length, 1);
    assert.equal(h.calls.filter((c) => c.event === 'terminating').length, 4);
    const [latest] = list(await h.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng' }), 'Activities');
    assert.match(String(latest.Description), /^Terminating EC2 instance: i-/);
    assert.match(String(latest.Cause), /a user request explicitly set group desired capacity changing the desired capacity from 4 to 1\.  At \S+ an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 2 to 1\.  At \S+ instance i-\S+ was selected for termination\.$/);
  });

  it('refuses out-of-range and unknown-group requests with ValidationError and changes nothing', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 2, desired: 2 }));
    await rejectsWith(h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 3 }), 'ValidationError', 'New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.');
    await rejectsWith(h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 0 }), 'ValidationError', 'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.');
    await rejectsWith(h.call('SetDesiredCapacity', { AutoScalingGroupName: 'nope', DesiredCapacity: 1 }), 'ValidationError', /^AutoScalingGroup name not found - /);
    await rejectsWith(h.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'nope', MinSize: 1 }), 'ValidationError', /^AutoScalingGroup name not found - /);
    await rejectsWith(h.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ng', MinSize: 4, MaxSize: 10, DesiredCapacity: 2 }), 'ValidationError', 'Desired capacity:2 must be between the specified min size:4 and max size:10');
    await rejectsWith(h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 2 })), 'AlreadyExists', 'AutoScalingGroup by this name already exists - A group with the name ng already exists');
    await rejectsWith(h.call('CreateAutoScalingGroup', createParams('bad', ['subnet-0123456789abcdef0'], { min: 1, max: 2 })), 'ValidationError', "The subnet ID 'subnet-0123456789abcdef0' does not exist");
    await rejectsWith(h.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'x', MinSize: 1, MaxSize: 1, VPCZoneIdentifier: h.publicSubnets[0] }), 'ValidationError', /LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy/);
    const g = await group(h, 'ng');
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity, list(g, 'Instances').length], [1, 2, 2, 2]);
    assert.deepEqual(list(await h.call('DescribeAutoScalingGroups', { 'AutoScalingGroupNames.member.1': 'nope' }), 'AutoScalingGroups'), []);
  });

  it('UpdateAutoScalingGroup raises desired to a new MinSize and lowers it to a new MaxSize, launching and removing instances', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 10, desired: 2 }));
    await h.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ng', MinSize: 4 });
    let g = await group(h, 'ng');
    assert.deepEqual([g.MinSize, g.DesiredCapacity, list(g, 'Instances').length], [4, 4, 4]);
    await h.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ng', MinSize: 1, MaxSize: 3 });
    g = await group(h, 'ng');
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity, list(g, 'Instances').length], [1, 3, 3, 3]);
    const [act] = list(await h.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng' }), 'Activities');
    assert.match(String(act.Cause), /a user request update of AutoScalingGroup constraints to min: 1, max: 3, desired: 3 changing the desired capacity from 4 to 3\./);
  });

  it('TerminateInstanceInAutoScalingGroup replaces the instance, or shrinks the group when decrementing', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 3, desired: 2 }));
    const [first, second] = list(await group(h, 'ng'), 'Instances').map((i) => String(i.InstanceId));
    const out = await h.call('TerminateInstanceInAutoScalingGroup', { InstanceId: first, ShouldDecrementDesiredCapacity: false });
    const act = out.Activity as XmlObject;
    assert.equal(act.Description, `Terminating EC2 instance: ${first}`);
    assert.match(String(act.Cause), new RegExp(`instance ${first} was taken out of service in response to a user request\\.$`));
    let ids = list(await group(h, 'ng'), 'Instances').map((i) => String(i.InstanceId));
    assert.equal(ids.length, 2);
    assert.ok(!ids.includes(first) && ids.includes(second));

    await h.call('TerminateInstanceInAutoScalingGroup', { InstanceId: second, ShouldDecrementDesiredCapacity: true });
    const g = await group(h, 'ng');
    ids = list(g, 'Instances').map((i) => String(i.InstanceId));
    assert.deepEqual([g.DesiredCapacity, ids.length], [1, 1]);
    await rejectsWith(h.call('TerminateInstanceInAutoScalingGroup', { InstanceId: ids[0], ShouldDecrementDesiredCapacity: true }), 'ValidationError', /Cannot decrement desiredCapacity below min size/);
    await rejectsWith(h.call('TerminateInstanceInAutoScalingGroup', { InstanceId: first, ShouldDecrementDesiredCapacity: true }), 'ValidationError', /^Instance Id not found/);
  });

  it('replaces an instance terminated through EC2 TerminateInstances, draining it first', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 2, max: 2 }));
    const [victim] = list(await group(h, 'ng'), 'Instances').map((i) => String(i.InstanceId));
    h.calls.length = 0;
    await h.ec2('TerminateInstances', { 'InstanceId.1': victim });
    assert.deepEqual(h.calls.map((c) => [c.event, c.event === 'terminating' ? c.instanceId : '', c.stateAtCall]), [['terminating', victim, 'running'], ['launched', '', 'running']]);
    const ids = list(await group(h, 'ng'), 'Instances').map((i) => String(i.InstanceId));
    assert.equal(ids.length, 2);
    assert.ok(!ids.includes(victim));
    const acts = list(await h.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng' }), 'Activities');
    assert.match(String(acts[1].Cause), /in response to an EC2 health check indicating it has been terminated or stopped\.$/);
  });

  it('DeleteAutoScalingGroup needs ForceDelete while instances exist, then drains and terminates them', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 2, max: 2 }));
    await rejectsWith(h.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ng' }), 'ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    h.calls.length = 0;
    await h.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ng', ForceDelete: true });
    assert.deepEqual(h.calls.map((c) => [c.event, c.stateAtCall]), [['terminating', 'running'], ['terminating', 'running']]);
    assert.deepEqual(list(await h.call('DescribeAutoScalingGroups'), 'AutoScalingGroups'), []);
    assert.equal((await running(h, { 'tag:aws:autoscaling:groupName': 'ng' })).length, 0);
    await rejectsWith(h.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ng' }), 'ValidationError', /^AutoScalingGroup name not found/);
    await h.call('CreateAutoScalingGroup', createParams('empty', h.publicSubnets, { min: 0, max: 2 }));
    await h.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'empty' });
  });

  it('concurrent capacity changes of one group apply one at a time, in call order', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 0, max: 6, desired: 1 }));
    await Promise.all([5, 2, 4].map((n) => h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: n })));
    const g = await group(h, 'ng');
    assert.deepEqual([g.DesiredCapacity, list(g, 'Instances').length], [4, 4]);
    assert.equal((await running(h, { 'tag:aws:autoscaling:groupName': 'ng' })).length, 4);
    assert.deepEqual(h.calls.map((c) => c.event), [...Array(5).fill('launched'), ...Array(3).fill('terminating'), ...Array(2).fill('launched')]);
  });

  it('a failing drain does not stop termination and is reported in the activity', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 0, max: 2, desired: 1 }));
    h.failTerminating = true;
    await h.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 0 });
    assert.equal(list(await group(h, 'ng'), 'Instances').length, 0);
    const [act] = list(await h.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng' }), 'Activities');
    assert.match(String(act.StatusMessage), /drain timed out/);
  });
});

describe('Auto Scaling with EC2 launch templates', () => {
  it('launches what the template version says (type, image, security groups, instance tags) and refuses missing templates', async () => {
    const h = await asgHarness();
    const sg = String((await h.ec2('CreateSecurityGroup', { GroupName: 'nodes', GroupDescription: 'nodes' })).groupId);
    const lt = (await h.ec2('CreateLaunchTemplate', {
      LaunchTemplateName: 'big-nodes', 'LaunchTemplateData.InstanceType': 'm5.large', 'LaunchTemplateData.ImageId': 'ami-0123456789abcdef0',
      'LaunchTemplateData.SecurityGroupId.1': sg,
      'LaunchTemplateData.TagSpecification.1.ResourceType': 'instance', 'LaunchTemplateData.TagSpecification.1.Tag.1.Key': 'Name', 'LaunchTemplateData.TagSpecification.1.Tag.1.Value': 'big',
    })).launchTemplate as XmlObject;
    await h.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'big', MinSize: 1, MaxSize: 3, 'LaunchTemplate.LaunchTemplateId': String(lt.launchTemplateId), VPCZoneIdentifier: h.publicSubnets.join(',') });
    const [i] = list(await group(h, 'big'), 'Instances');
    const info = h.ec2h.ec2.backend.instance(REGION, String(i.InstanceId));
    assert.deepEqual([info?.instanceType, info?.imageId, info?.securityGroupIds, info?.tags.Name, info?.tags['aws:autoscaling:groupName']], ['m5.large', 'ami-0123456789abcdef0', [sg], 'big', 'big']);

    await h.ec2('CreateLaunchTemplateVersion', { LaunchTemplateName: 'big-nodes', SourceVersion: '1', 'LaunchTemplateData.InstanceType': 'm5.xlarge' });
    await h.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'big', 'LaunchTemplate.LaunchTemplateName': 'big-nodes', 'LaunchTemplate.Version': '$Latest', DesiredCapacity: 2 });
    const types = list(await group(h, 'big'), 'Instances').map((x) => h.ec2h.ec2.backend.instance(REGION, String(x.InstanceId))?.instanceType).sort();
    assert.deepEqual(types, ['m5.large', 'm5.xlarge'], 'new launches use the new version; running instances keep theirs');

    await rejectsWith(h.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'x', MinSize: 1, MaxSize: 1, 'LaunchTemplate.LaunchTemplateName': 'nope', VPCZoneIdentifier: h.publicSubnets[0] }),
      'ValidationError', 'You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.');
    await rejectsWith(h.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'x', MinSize: 1, MaxSize: 1, 'LaunchTemplate.LaunchTemplateId': 'lt-0123456789abcdef0', VPCZoneIdentifier: h.publicSubnets[0] }),
      'ValidationError', /with template ID lt-0123456789abcdef0, does not exist/);
  });

  it('takes the instance type from a MixedInstancesPolicy override', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'mixed', MinSize: 1, MaxSize: 1, VPCZoneIdentifier: h.publicSubnets[0],
      'MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName': 'ng-template',
      'MixedInstancesPolicy.LaunchTemplate.Overrides.member.1.InstanceType': 'c5.large',
      'MixedInstancesPolicy.LaunchTemplate.Overrides.member.2.InstanceType': 'c5.xlarge',
    });
    const g = await group(h, 'mixed');
    assert.equal(list(g, 'Instances')[0].InstanceType, 'c5.large');
    const policy = g.MixedInstancesPolicy as XmlObject;
    assert.deepEqual(list(policy.LaunchTemplate as XmlObject, 'Overrides').map((o) => o.InstanceType), ['c5.large', 'c5.xlarge']);
  });
});

describe('Auto Scaling describe calls and persistence', () => {
  it('filters groups by tag:<key>, tag-key and tag-value; lists instances and tags', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('a', h.publicSubnets, { min: 1, max: 1 }, { 'eks:cluster-name': 'one', team: 'x' }));
    await h.call('CreateAutoScalingGroup', createParams('b', h.publicSubnets, { min: 0, max: 1 }, { 'eks:cluster-name': 'two' }));
    const names = async (p: Record<string, string>): Promise<unknown[]> => list(await h.call('DescribeAutoScalingGroups', p), 'AutoScalingGroups').map((g) => g.AutoScalingGroupName);
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag:eks:cluster-name', 'Filters.member.1.Values.member.1': 'two' }), ['b']);
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag-key', 'Filters.member.1.Values.member.1': 'team' }), ['a']);
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag-value', 'Filters.member.1.Values.member.1': 'one', 'Filters.member.1.Values.member.2': 'two' }), ['a', 'b']);
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag:eks:cluster-name', 'Filters.member.1.Values.member.1': 'one', 'Filters.member.2.Name': 'tag-key', 'Filters.member.2.Values.member.1': 'nope' }), []);
    const p1 = await h.call('DescribeAutoScalingGroups', { MaxRecords: 1 });
    assert.deepEqual(list(p1, 'AutoScalingGroups').map((g) => g.AutoScalingGroupName), ['a']);
    const p2 = await h.call('DescribeAutoScalingGroups', { MaxRecords: 1, NextToken: String(p1.NextToken) });
    assert.deepEqual(list(p2, 'AutoScalingGroups').map((g) => g.AutoScalingGroupName), ['b']);

    const inst = list(await h.call('DescribeAutoScalingInstances'), 'AutoScalingInstances');
    assert.deepEqual(inst.map((i) => [i.AutoScalingGroupName, i.LifecycleState]), [['a', 'InService']]);
    const tags = list(await h.call('DescribeTags', { 'Filters.member.1.Name': 'auto-scaling-group', 'Filters.member.1.Values.member.1': 'a' }), 'Tags');
    assert.deepEqual(tags.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value, t.PropagateAtLaunch]), [['a', 'auto-scaling-group', 'eks:cluster-name', 'one', true], ['a', 'auto-scaling-group', 'team', 'x', true]]);
    await h.call('CreateOrUpdateTags', { 'Tags.member.1.ResourceId': 'b', 'Tags.member.1.ResourceType': 'auto-scaling-group', 'Tags.member.1.Key': 'k8s.io/cluster-autoscaler/enabled', 'Tags.member.1.Value': 'true', 'Tags.member.1.PropagateAtLaunch': 'false' });
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag-key', 'Filters.member.1.Values.member.1': 'k8s.io/cluster-autoscaler/enabled' }), ['b']);
    await h.call('DeleteTags', { 'Tags.member.1.ResourceId': 'b', 'Tags.member.1.ResourceType': 'auto-scaling-group', 'Tags.member.1.Key': 'k8s.io/cluster-autoscaler/enabled' });
    assert.deepEqual(await names({ 'Filters.member.1.Name': 'tag-key', 'Filters.member.1.Values.member.1': 'k8s.io/cluster-autoscaler/enabled' }), []);
  });

  it('groups, instances and activities survive a restart on the same store, and nothing is re-launched', async () => {
    const h = await asgHarness();
    await h.call('CreateAutoScalingGroup', createParams('ng', h.publicSubnets, { min: 1, max: 5, desired: 3 }));
    const before = await group(h, 'ng');
    await h.ec2h.ec2.backend.flush();

    const h2 = await asgHarness({ store: h.ec2h.store });
    const after = await group(h2, 'ng');
    assert.deepEqual(after, before);
    assert.deepEqual(h2.calls, [], 'no lifecycle calls on start');
    assert.equal((await running(h2, { 'tag:aws:autoscaling:groupName': 'ng' })).length, 3);
    assert.equal(list(await h2.call('DescribeScalingActivities', { AutoScalingGroupName: 'ng' }), 'Activities').length, 3);
    await h2.call('SetDesiredCapacity', { AutoScalingGroupName: 'ng', DesiredCapacity: 4 });
    assert.equal(list(await group(h2, 'ng'), 'Instances').length, 4);
    assert.deepEqual(zoneCounts(await group(h2, 'ng')), [2, 1, 1]);
  });

  it('the backend creates, resizes and deletes groups for EKS node groups', async () => {
    const h = await asgHarness();
    const info = await h.asg.backend.createGroup({ region: REGION, accountId: ACCOUNT, name: 'eks-ng-uuid', minSize: 2, maxSize: 6, desiredCapacity: 3, instanceType: 't3.medium', subnetIds: h.publicSubnets, tags: { 'eks:cluster-name': 'demo', 'eks:nodegroup-name': 'ng' } });
    assert.equal(info.instanceIds.length, 3);
    const inst = h.ec2h.ec2.backend.instance(REGION, info.instanceIds[0]);
    assert.equal(inst?.tags['eks:nodegroup-name'], 'ng');
    assert.equal(inst?.instanceType, 't3.medium');
    const grown = await h.asg.backend.updateGroup(REGION, 'eks-ng-uuid', { minSize: 4 });
    assert.deepEqual([grown.minSize, grown.desiredCapacity, grown.instanceIds.length], [4, 4, 4]);
    assert.equal(h.asg.backend.group(REGION, 'eks-ng-uuid')?.instanceIds.length, 4);
    await h.asg.backend.deleteGroup(REGION, 'eks-ng-uuid');
    assert.equal(h.asg.backend.group(REGION, 'eks-ng-uuid'), undefined);
    assert.equal(h.calls.filter((c) => c.event === 'terminating').length, 4);
  });
});
