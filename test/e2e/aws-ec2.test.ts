/**
 * EC2 and Auto Scaling through the real aws CLI v1: the default VPC as eksctl builds it, zones,
 * an Auto Scaling group whose instances show up in describe-instances with tag filters, and
 * set-desired-capacity up and down (the lifecycle listener sees launches and drains), plus the
 * EC2 / Auto Scaling error codes as the CLI prints them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import type { InstanceInfo } from '../../src/aws/core/backends.js';
import { createEc2 } from '../../src/aws/services/ec2/ec2.js';
import { createAutoScaling } from '../../src/aws/services/autoscaling/autoscaling.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { realClock } from '../../src/util/clock.js';
import { awsCliSkip, boto3Skip, cliError, runAws, runBoto3, type AwsRunResult } from '../helpers/aws.js';

const ACCOUNT = '000000000000';
const REGION = 'ap-northeast-2';

interface Subnet { SubnetId: string; CidrBlock: string; AvailabilityZone: string; MapPublicIpOnLaunch: boolean; AvailableIpAddressCount: number; Tags?: Array<{ Key: string; Value: string }> }
interface Instance { InstanceId: string; PrivateIpAddress: string; PrivateDnsName: string; SubnetId: string; Placement: { AvailabilityZone: string }; State: { Name: string }; Tags: Array<{ Key: string; Value: string }> }

function ok(r: AwsRunResult): unknown {
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return r.json;
}

function assertError(r: AwsRunResult, code: string, message?: string | RegExp): void {
  assert.notEqual(r.code, 0);
  const e = cliError(r);
  assert.ok(e, r.stderr);
  assert.equal(e.code, code);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
}

describe('EC2 and Auto Scaling through the aws CLI', { skip: awsCliSkip }, () => {
  let ep: AwsEndpoint;
  const events: Array<{ event: string; id: string }> = [];
  const aws = (args: string[]): Promise<AwsRunResult> => runAws(args, { endpoint: ep.url, region: REGION });

  before(async () => {
    const deps = { clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: ACCOUNT, defaultRegion: REGION };
    const ec2 = await createEc2(deps);
    const lifecycle = {
      async launched(i: InstanceInfo) { events.push({ event: 'launched', id: i.instanceId }); },
      async terminating(i: InstanceInfo) { events.push({ event: 'terminating', id: i.instanceId }); },
    };
    const asg = await createAutoScaling({ ...deps, ec2: ec2.backend, lifecycle });
    ep = new AwsEndpoint({ services: [ec2.service, asg.service], credentials: staticCredentials([rootAccessKey({ accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' })]), port: 0 });
    await ep.start();
  });
  after(async () => { await ep?.stop(); });

  it('describe-vpcs / describe-subnets / describe-availability-zones show the eksctl-shaped default VPC', async () => {
    const [vpcs, subnets, zones] = await Promise.all([
      aws(['ec2', 'describe-vpcs']),
      aws(['ec2', 'describe-subnets', '--filters', 'Name=tag:kubernetes.io/role/elb,Values=1']),
      aws(['ec2', 'describe-availability-zones']),
    ]);
    const v = (ok(vpcs) as { Vpcs: Array<{ VpcId: string; CidrBlock: string; IsDefault: boolean; State: string }> }).Vpcs;
    assert.equal(v.length, 1);
    assert.deepEqual([v[0].CidrBlock, v[0].IsDefault, v[0].State], ['192.168.0.0/16', true, 'available']);
    const s = (ok(subnets) as { Subnets: Subnet[] }).Subnets.sort((a, b) => a.CidrBlock.localeCompare(b.CidrBlock, undefined, { numeric: true }));
    assert.deepEqual(s.map((x) => [x.CidrBlock, x.AvailabilityZone, x.MapPublicIpOnLaunch, x.AvailableIpAddressCount]), [
      ['192.168.0.0/19', `${REGION}a`, true, 8187], ['192.168.32.0/19', `${REGION}b`, true, 8187], ['192.168.64.0/19', `${REGION}c`, true, 8187],
    ]);
    const z = (ok(zones) as { AvailabilityZones: Array<{ ZoneName: string; ZoneId: string; State: string; RegionName: string }> }).AvailabilityZones;
    assert.deepEqual(z.slice(0, 3).map((x) => [x.ZoneName, x.ZoneId, x.State, x.RegionName]), [
      [`${REGION}a`, 'apne2-az1', 'available', REGION], [`${REGION}b`, 'apne2-az2', 'available', REGION], [`${REGION}c`, 'apne2-az3', 'available', REGION],
    ]);
  });

  it('an Auto Scaling group launches tagged instances that describe-instances finds by tag, and scales up and down', async () => {
    const subnets = (ok(await aws(['ec2', 'describe-subnets', '--filters', 'Name=tag:kubernetes.io/role/internal-elb,Values=1'])) as { Subnets: Subnet[] }).Subnets;
    ok(await aws(['ec2', 'create-launch-template', '--launch-template-name', 'ng1', '--launch-template-data', '{"InstanceType":"t3.large","TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"myeks-ng1-Node"}]}]}']));
    const created = await aws(['autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'eks-ng1',
      '--launch-template', 'LaunchTemplateName=ng1,Version=1', '--min-size', '1', '--max-size', '6', '--desired-capacity', '3',
      '--vpc-zone-identifier', subnets.map((x) => x.SubnetId).join(','),
      '--tags', 'Key=eks:cluster-name,Value=myeks,PropagateAtLaunch=true', 'Key=eks:nodegroup-name,Value=ng1,PropagateAtLaunch=true']);
    ok(created);

    const byTag = async (): Promise<Instance[]> => {
      const r = ok(await aws(['ec2', 'describe-instances', '--filters', 'Name=tag:eks:cluster-name,Values=myeks', 'Name=instance-state-name,Values=running'])) as { Reservations: Array<{ Instances: Instance[] }> };
      return r.Reservations.flatMap((x) => x.Instances);
    };
    let instances = await byTag();
    assert.equal(instances.length, 3);
    assert.deepEqual(new Set(instances.map((i) => i.Placement.AvailabilityZone)).size, 3, 'one per zone');
    for (const i of instances) {
      const subnet = subnets.find((x) => x.SubnetId === i.SubnetId);
      assert.ok(subnet, 'in one of the group subnets');
      assert.match(i.PrivateIpAddress, /^192\.168\.\d+\.\d+$/);
      assert.equal(i.PrivateDnsName, `ip-${i.PrivateIpAddress.replaceAll('.', '-')}.${REGION}.compute.internal`);
      const tags = Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value]));
      assert.deepEqual([tags['eks:nodegroup-name'], tags['aws:autoscaling:groupName'], tags.Name], ['ng1', 'eks-ng1', 'myeks-ng1-Node']);
      assert.equal((i as unknown as { InstanceType: string }).InstanceType, 't3.large');
    }
    assert.equal(events.filter((e) => e.event === 'launched').length, 3);

    const groups = ok(await aws(['autoscaling', 'describe-auto-scaling-groups', '--query', "AutoScalingGroups[? Tags[? (Key=='eks:cluster-name') && Value=='myeks']].[AutoScalingGroupName,MinSize,MaxSize,DesiredCapacity]"]));
    assert.deepEqual(groups, [['eks-ng1', 1, 6, 3]]);

    ok(await aws(['autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'eks-ng1', '--desired-capacity', '5']));
    instances = await byTag();
    assert.equal(instances.length, 5);
    ok(await aws(['autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'eks-ng1', '--desired-capacity', '2']));
    instances = await byTag();
    assert.equal(instances.length, 2);
    assert.equal(events.filter((e) => e.event === 'terminating').length, 3);
    const terminated = ok(await aws(['ec2', 'describe-instances', '--filters', 'Name=instance-state-name,Values=terminated', '--query', 'Reservations[].Instances[].InstanceId'])) as string[];
    assert.deepEqual(terminated.sort(), events.filter((e) => e.event === 'terminating').map((e) => e.id).sort());

    const acts = ok(await aws(['autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'eks-ng1', '--max-items', '1'])) as { Activities: Array<{ Description: string; StatusCode: string }> };
    assert.match(acts.Activities[0].Description, /^Terminating EC2 instance: i-[0-9a-f]{17}$/);

    assertError(await aws(['autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'eks-ng1', '--desired-capacity', '7']), 'ValidationError', 'New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup.');
    assertError(await aws(['autoscaling', 'update-auto-scaling-group', '--auto-scaling-group-name', 'eks-ng1', '--min-size', '4', '--max-size', '10', '--desired-capacity', '2']), 'ValidationError', 'Desired capacity:2 must be between the specified min size:4 and max size:10');
    assertError(await aws(['autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'eks-ng1']), 'ResourceInUse');
    assertError(await aws(['autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'x', '--launch-template', 'LaunchTemplateName=nope', '--min-size', '1', '--max-size', '1', '--vpc-zone-identifier', subnets[0].SubnetId]), 'ValidationError', /does not exist/);
    ok(await aws(['autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'eks-ng1', '--force-delete']));
    assert.equal((await byTag()).length, 0);
  });

  it('boto3 parses the same shapes and errors (waiter included)', { skip: boto3Skip }, async () => {
    const r = await runBoto3(`
ec2, asg = client('ec2'), client('autoscaling')
subnets = [s['SubnetId'] for s in ec2.describe_subnets(Filters=[{'Name': 'map-public-ip-on-launch', 'Values': ['true']}])['Subnets']]
ec2.create_launch_template(LaunchTemplateName='py-lt', LaunchTemplateData={'InstanceType': 't3.small'})
asg.create_auto_scaling_group(AutoScalingGroupName='py', LaunchTemplate={'LaunchTemplateName': 'py-lt'}, MinSize=1, MaxSize=4, DesiredCapacity=2,
    VPCZoneIdentifier=','.join(subnets), Tags=[{'Key': 'team', 'Value': 'py', 'PropagateAtLaunch': True}])
ids = [i['InstanceId'] for i in asg.describe_auto_scaling_groups(AutoScalingGroupNames=['py'])['AutoScalingGroups'][0]['Instances']]
ec2.get_waiter('instance_running').wait(InstanceIds=ids, WaiterConfig={'Delay': 1, 'MaxAttempts': 2})
found = ec2.describe_instances(Filters=[{'Name': 'tag:team', 'Values': ['py']}])['Reservations']
types = sorted(i['InstanceType'] for r in found for i in r['Instances'])
asg.update_auto_scaling_group(AutoScalingGroupName='py', MinSize=3)
after = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['py'])['AutoScalingGroups'][0]
out({'types': types, 'public': all('PublicIpAddress' in i for r in found for i in r['Instances']),
     'desired': after['DesiredCapacity'], 'count': len(after['Instances']),
     'err': error_of(lambda: asg.set_desired_capacity(AutoScalingGroupName='py', DesiredCapacity=9)),
     'ec2err': error_of(lambda: ec2.describe_subnets(SubnetIds=['subnet-0123456789abcdef0']))})
`, { endpoint: ep.url, region: REGION });
    assert.equal(r.code, 0, r.stderr);
    const o = r.json as { types: string[]; public: boolean; desired: number; count: number; err: { Code: string; HTTPStatusCode: number }; ec2err: { Code: string; Message: string; HTTPStatusCode: number } };
    assert.deepEqual(o.types, ['t3.small', 't3.small']);
    assert.equal(o.public, true, 'public subnets map public IPs on launch');
    assert.deepEqual([o.desired, o.count], [3, 3]);
    assert.deepEqual([o.err.Code, o.err.HTTPStatusCode], ['ValidationError', 400]);
    assert.deepEqual([o.ec2err.Code, o.ec2err.Message, o.ec2err.HTTPStatusCode], ['InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist", 400]);
  });

  it('EC2 errors reach the CLI with their codes; security group rules round-trip', async () => {
    assertError(await aws(['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0']), 'InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist");
    assertError(await aws(['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-0123456789abcdef0']), 'InvalidVpcID.NotFound');
    const vpc = (ok(await aws(['ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16'])) as { Vpc: { VpcId: string } }).Vpc.VpcId;
    ok(await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/24', '--availability-zone', `${REGION}a`]));
    assertError(await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/25']), 'InvalidSubnet.Conflict');
    const sg = (ok(await aws(['ec2', 'create-security-group', '--group-name', 'web', '--description', 'web', '--vpc-id', vpc])) as { GroupId: string }).GroupId;
    ok(await aws(['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0']));
    assertError(await aws(['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0']), 'InvalidPermission.Duplicate', /already exists/);
    const perms = ok(await aws(['ec2', 'describe-security-groups', '--group-ids', sg, '--query', 'SecurityGroups[0].IpPermissions'])) as Array<{ IpProtocol: string; FromPort: number; IpRanges: Array<{ CidrIp: string }> }>;
    assert.deepEqual(perms.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges[0].CidrIp]), [['tcp', 22, '0.0.0.0/0']]);
  });
});
