import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipToInt, parseCidr } from './cidr.js';
import { ACCOUNT, ec2Harness, items, rejectsWith, type Ec2Harness } from './test-harness.js';

const REGION = 'ap-northeast-2';

async function subnetIds(h: Ec2Harness): Promise<Array<{ id: string; cidr: string; zone: string; pub: boolean }>> {
  return items(await h.call('DescribeSubnets'), 'subnetSet')
    .map((s) => ({ id: String(s.subnetId), cidr: String(s.cidrBlock), zone: String(s.availabilityZone), pub: s.mapPublicIpOnLaunch === true }))
    .sort((a, b) => a.cidr.localeCompare(b.cidr, undefined, { numeric: true }));
}

async function launch(h: Ec2Harness, subnets: string[], count: number, tags: Record<string, string> = {}) {
  return h.ec2.backend.runInstances({ region: REGION, accountId: ACCOUNT, instanceType: 't3.medium', subnetIds: subnets, count, tags });
}

describe('EC2 instances', () => {
  it('get unique private IPs inside their subnets, EC2-style DNS names, and public IPs in public subnets', async () => {
    const h = await ec2Harness();
    const subnets = await subnetIds(h);
    const list = await launch(h, subnets.map((s) => s.id), 12, { 'eks:cluster-name': 'demo' });
    assert.equal(new Set(list.map((i) => i.privateIpAddress)).size, 12);
    for (const i of list) {
      const s = subnets.find((x) => x.id === i.subnetId);
      assert.ok(s);
      const cidr = parseCidr(s.cidr);
      const n = ipToInt(i.privateIpAddress);
      assert.ok(cidr && n !== undefined && n >= cidr.base + 4 && n < cidr.base + cidr.size - 1, `${i.privateIpAddress} usable in ${s.cidr}`);
      assert.equal(i.privateDnsName, `ip-${i.privateIpAddress.replaceAll('.', '-')}.${REGION}.compute.internal`);
      assert.equal(i.availabilityZone, s.zone);
      assert.equal(Boolean(i.publicIpAddress), s.pub);
      assert.match(i.instanceId, /^i-[0-9a-f]{17}$/);
      assert.equal(i.state, 'running');
    }
    const counts = items(await h.call('DescribeSubnets'), 'subnetSet').map((s) => s.availableIpAddressCount);
    assert.deepEqual(counts, counts.map(() => 8187 - 2), 'two instances per subnet');
  });

  it('uses ec2.internal names in us-east-1', async () => {
    const h = await ec2Harness();
    const vpc = h.ec2.backend.defaultVpc('us-east-1', ACCOUNT);
    const [subnet] = h.ec2.backend.subnetsOf('us-east-1', vpc.vpcId);
    const [i] = await h.ec2.backend.runInstances({ region: 'us-east-1', accountId: ACCOUNT, instanceType: 't3.small', subnetIds: [subnet.subnetId], count: 1, tags: {} });
    assert.match(i.privateDnsName, /^ip-192-168-\d+-\d+\.ec2\.internal$/);
  });

  it('DescribeInstances returns reservations and filters by tag, state, ip, dns name, zone and type', async () => {
    const h = await ec2Harness();
    const subnets = await subnetIds(h);
    const a = await launch(h, [subnets[0].id, subnets[1].id], 2, { 'eks:cluster-name': 'a', Name: 'a-node' });
    h.clock.step(1000);
    const b = await launch(h, [subnets[2].id], 1, { 'eks:cluster-name': 'b' });
    const all = await h.call('DescribeInstances');
    const res = items(all, 'reservationSet');
    assert.equal(res.length, 2);
    assert.equal(items(res[0], 'instancesSet').length, 2);
    assert.match(String(res[0].reservationId), /^r-[0-9a-f]{17}$/);
    assert.equal(res[0].ownerId, ACCOUNT);
    const first = items(res[0], 'instancesSet').find((i) => i.instanceId === a[0].instanceId) ?? {};
    assert.deepEqual(first.instanceState, { code: 16, name: 'running' });
    assert.deepEqual((first.placement as Record<string, unknown>).availabilityZone, a[0].availabilityZone);
    assert.deepEqual(items(first, 'tagSet').find((t) => t.key === 'Name'), { key: 'Name', value: 'a-node' });

    const ids = (q: Record<string, string | number>) => h.call('DescribeInstances', q).then((r) => items(r, 'reservationSet').flatMap((x) => items(x, 'instancesSet').map((i) => String(i.instanceId))).sort());
    assert.deepEqual(await ids({ 'Filter.1.Name': 'tag:eks:cluster-name', 'Filter.1.Value.1': 'a' }), a.map((i) => i.instanceId).sort());
    assert.deepEqual(await ids({ 'Filter.1.Name': 'tag-key', 'Filter.1.Value.1': 'Name' }), a.map((i) => i.instanceId).sort());
    assert.deepEqual(await ids({ 'Filter.1.Name': 'private-ip-address', 'Filter.1.Value.1': b[0].privateIpAddress }), [b[0].instanceId]);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'private-dns-name', 'Filter.1.Value.1': a[1].privateDnsName }), [a[1].instanceId]);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'availability-zone', 'Filter.1.Value.1': b[0].availabilityZone, 'Filter.2.Name': 'instance-type', 'Filter.2.Value.1': 't3.medium' }), [b[0].instanceId]);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'subnet-id', 'Filter.1.Value.1': subnets[1].id }), [a[1].instanceId]);
    assert.deepEqual(await ids({ 'InstanceId.1': b[0].instanceId }), [b[0].instanceId]);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'terminated' }), []);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'instance-id', 'Filter.1.Value.1': a[0].instanceId }), [a[0].instanceId]);
    assert.deepEqual(await ids({ 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': a[0].vpcId }), [...a, ...b].map((i) => i.instanceId).sort());
    assert.deepEqual(await ids({}, ).then((x) => x.length), 3);
    assert.deepEqual(await h.call('DescribeInstances', {}, { accountId: '999999999999' }).then((r) => items(r, 'reservationSet').length), 0, 'other accounts see nothing');
  });

  it('pages DescribeInstances with MaxResults/NextToken and refuses bad combinations', async () => {
    const h = await ec2Harness();
    const subnets = await subnetIds(h);
    const launched = await launch(h, [subnets[0].id], 7);
    const p1 = await h.call('DescribeInstances', { MaxResults: 5 });
    const got1 = items(p1, 'reservationSet').flatMap((r) => items(r, 'instancesSet'));
    assert.equal(got1.length, 5);
    const p2 = await h.call('DescribeInstances', { MaxResults: 5, NextToken: String(p1.nextToken) });
    const got2 = items(p2, 'reservationSet').flatMap((r) => items(r, 'instancesSet'));
    assert.equal(got2.length, 2);
    assert.equal(p2.nextToken, undefined);
    assert.deepEqual([...got1, ...got2].map((i) => i.instanceId).sort(), launched.map((i) => i.instanceId).sort());
    await rejectsWith(h.call('DescribeInstances', { MaxResults: 2 }), 'InvalidParameterValue');
    await rejectsWith(h.call('DescribeInstances', { MaxResults: 5, 'InstanceId.1': launched[0].instanceId }), 'InvalidParameterCombination');
  });

  it('reports unknown and malformed instance ids as EC2 does', async () => {
    const h = await ec2Harness();
    await rejectsWith(h.call('DescribeInstances', { 'InstanceId.1': 'i-0123456789abcdef0' }), 'InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist");
    await rejectsWith(h.call('DescribeInstances', { 'InstanceId.1': 'i-0123456789abcdef0', 'InstanceId.2': 'i-0123456789abcdef1' }), 'InvalidInstanceID.NotFound', "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    await rejectsWith(h.call('DescribeInstances', { 'InstanceId.1': 'i-123' }), 'InvalidInstanceID.Malformed', 'Invalid id: "i-123"');
    await rejectsWith(h.call('TerminateInstances', { 'InstanceId.1': 'i-0123456789abcdef0' }), 'InvalidInstanceID.NotFound');
    await rejectsWith(h.call('TerminateInstances'), 'MissingParameter');
  });

  it('TerminateInstances terminates, frees the IP and hides the instance after an hour', async () => {
    const h = await ec2Harness();
    const subnets = await subnetIds(h);
    const [i] = await launch(h, [subnets[3].id], 1);
    const before = items(await h.call('DescribeSubnets', { 'SubnetId.1': subnets[3].id }), 'subnetSet')[0].availableIpAddressCount;
    const out = await h.call('TerminateInstances', { 'InstanceId.1': i.instanceId });
    const change = items(out, 'instancesSet')[0];
    assert.deepEqual(change.previousState, { code: 16, name: 'running' });
    assert.deepEqual(change.currentState, { code: 48, name: 'terminated' });
    const after = items(await h.call('DescribeSubnets', { 'SubnetId.1': subnets[3].id }), 'subnetSet')[0].availableIpAddressCount;
    assert.equal(after, Number(before) + 1);
    const [res] = items(await h.call('DescribeInstances', { 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'terminated' }), 'reservationSet');
    const shown = items(res, 'instancesSet')[0];
    assert.equal(shown.privateIpAddress, undefined);
    assert.equal(h.ec2.backend.instance(REGION, i.instanceId)?.state, 'terminated');
    h.clock.step(61 * 60 * 1000);
    assert.equal(items(await h.call('DescribeInstances'), 'reservationSet').length, 0);
  });

  it('hands TerminateInstances of Auto Scaling instances to the registered delegate', async () => {
    const h = await ec2Harness();
    const subnets = await subnetIds(h);
    const [own] = await launch(h, [subnets[0].id], 1, { 'aws:autoscaling:groupName': 'asg' });
    const [free] = await launch(h, [subnets[0].id], 1);
    const calls: string[][] = [];
    h.ec2.backend.setTerminationDelegate(async (region, idsToTerminate) => {
      calls.push(idsToTerminate);
      await h.ec2.backend.terminateInstances(region, idsToTerminate);
    });
    await h.call('TerminateInstances', { 'InstanceId.1': own.instanceId, 'InstanceId.2': free.instanceId });
    assert.deepEqual(calls, [[own.instanceId]]);
    assert.equal(h.ec2.backend.instance(REGION, free.instanceId)?.state, 'terminated');
    assert.equal(h.ec2.backend.instance(REGION, own.instanceId)?.state, 'terminated');
  });

  it('RunInstances and CreateTags/DeleteTags/DescribeTags work through the API', async () => {
    const h = await ec2Harness();
    const run = await h.call('RunInstances', { ImageId: 'ami-12345678', InstanceType: 't3.small', MinCount: 2, MaxCount: 2, 'TagSpecification.1.ResourceType': 'instance', 'TagSpecification.1.Tag.1.Key': 'team', 'TagSpecification.1.Tag.1.Value': 'x' });
    const ids = items(run, 'instancesSet').map((i) => String(i.instanceId));
    assert.equal(ids.length, 2);
    await h.call('CreateTags', { 'ResourceId.1': ids[0], 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev' });
    const tags = items(await h.call('DescribeTags', { 'Filter.1.Name': 'resource-id', 'Filter.1.Value.1': ids[0] }), 'tagSet');
    assert.deepEqual(tags.map((t) => [t.key, t.value, t.resourceType]), [['env', 'dev', 'instance'], ['team', 'x', 'instance']]);
    await h.call('DeleteTags', { 'ResourceId.1': ids[0], 'Tag.1.Key': 'team', 'Tag.1.Value': 'other' });
    assert.equal(h.ec2.backend.instance(REGION, ids[0])?.tags.team, 'x', 'a value that does not match is kept');
    await h.call('DeleteTags', { 'ResourceId.1': ids[0], 'Tag.1.Key': 'team' });
    assert.deepEqual(h.ec2.backend.instance(REGION, ids[0])?.tags, { env: 'dev' });
    await rejectsWith(h.call('CreateTags', { 'ResourceId.1': 'i-0123456789abcdef0', 'Tag.1.Key': 'a', 'Tag.1.Value': 'b' }), 'InvalidInstanceID.NotFound');
    const types = items(await h.call('DescribeInstanceTypes', { 'InstanceType.1': 't3.medium' }), 'instanceTypeSet');
    assert.deepEqual([types[0].instanceType, (types[0].networkInfo as Record<string, unknown>).maximumNetworkInterfaces, (types[0].networkInfo as Record<string, unknown>).ipv4AddressesPerInterface], ['t3.medium', 3, 6]);
  });
});
