/**
 * Small fakes of the contracts the EKS compute parts depend on (ClusterLookup, UpdateLog,
 * AutoScalingBackend, Ec2Backend), for unit and integration tests. The fake ASG follows the
 * UpdateAutoScalingGroup size rules and tells an optional InstanceLifecycleListener about the
 * instances it launches and terminates, as the real Auto Scaling part does.
 */
import type {
  AutoScalingBackend, AutoScalingGroupInfo, ControlPlaneHandle, CreateGroupInput, Ec2Backend, InstanceInfo, InstanceLifecycleListener,
  RunInstancesInput, SubnetInfo, VpcInfo,
} from '../../core/backends.js';
import type { ClusterLookup, EksClusterView, EksUpdate, UpdateLog } from './model.js';

export const FAKE_ACCOUNT = '000000000000';
export const FAKE_REGION = 'ap-northeast-2';
export const FAKE_VPC = 'vpc-0fake';
/** Private subnets in zones a/b/c, then public ones. */
export const FAKE_SUBNETS: SubnetInfo[] = ['a', 'b', 'c'].flatMap((z, i) => [
  { subnetId: `subnet-priv${z}`, vpcId: FAKE_VPC, cidrBlock: `192.168.${96 + i * 32}.0/19`, availabilityZone: `${FAKE_REGION}${z}`, availabilityZoneId: `apne2-az${i + 1}`, mapPublicIpOnLaunch: false },
  { subnetId: `subnet-pub${z}`, vpcId: FAKE_VPC, cidrBlock: `192.168.${i * 32}.0/19`, availabilityZone: `${FAKE_REGION}${z}`, availabilityZoneId: `apne2-az${i + 1}`, mapPublicIpOnLaunch: true },
]);

export function fakeCluster(name: string, over: Partial<EksClusterView> = {}): EksClusterView {
  return {
    name, arn: `arn:aws:eks:${FAKE_REGION}:${FAKE_ACCOUNT}:cluster/${name}`, region: FAKE_REGION, accountId: FAKE_ACCOUNT, status: 'ACTIVE',
    version: '1.32', platformVersion: 'eks.8', subnetIds: FAKE_SUBNETS.map((s) => s.subnetId), vpcId: FAKE_VPC,
    clusterSecurityGroupId: 'sg-0cluster', serviceIpv4Cidr: '10.100.0.0/16', authenticationMode: 'API_AND_CONFIG_MAP', ...over,
  };
}

export class FakeClusters implements ClusterLookup {
  readonly clusters = new Map<string, EksClusterView>();
  readonly planes = new Map<string, ControlPlaneHandle>();
  find(accountId: string, region: string, name: string): EksClusterView | undefined {
    const c = this.clusters.get(name);
    return c && c.accountId === accountId && c.region === region ? c : undefined;
  }
  controlPlane(name: string): ControlPlaneHandle | undefined {
    return this.planes.get(name);
  }
}

export class FakeUpdateLog implements UpdateLog {
  readonly updates = new Map<string, EksUpdate & { owner: { nodegroupName?: string; addonName?: string }; cluster: string }>();
  async record(key: { accountId: string; region: string; cluster: string }, owner: { nodegroupName?: string; addonName?: string }, update: EksUpdate): Promise<void> {
    this.updates.set(update.id, { ...update, owner, cluster: key.cluster });
  }
}

export class FakeEc2 implements Ec2Backend {
  readonly instances = new Map<string, InstanceInfo>();
  readonly groups: string[] = [];
  private seq = 0;
  defaultVpc(): VpcInfo { return { vpcId: FAKE_VPC, cidrBlock: '192.168.0.0/16', isDefault: true }; }
  vpc(_r: string, id: string): VpcInfo | undefined { return id === FAKE_VPC ? this.defaultVpc() : undefined; }
  subnet(_r: string, id: string): SubnetInfo | undefined { return FAKE_SUBNETS.find((s) => s.subnetId === id); }
  subnetsOf(): SubnetInfo[] { return FAKE_SUBNETS; }
  async createSecurityGroup(): Promise<string> { const id = `sg-0fake${this.groups.length}`; this.groups.push(id); return id; }
  async deleteSecurityGroup(_r: string, id: string): Promise<void> { this.groups.splice(this.groups.indexOf(id), 1); }
  async runInstances(input: RunInstancesInput): Promise<InstanceInfo[]> {
    const out: InstanceInfo[] = [];
    for (let i = 0; i < input.count; i++) {
      const n = this.seq++;
      const subnet = this.subnet(input.region, input.subnetIds[n % input.subnetIds.length]) as SubnetInfo;
      const base = subnet.cidrBlock.split('.');
      const ip = `192.168.${Number(base[2]) + Math.floor(n / 200)}.${10 + (n % 200)}`;
      const inst: InstanceInfo = {
        instanceId: `i-0${(0xabc000 + n).toString(16).padStart(16, '0')}`, region: input.region, accountId: input.accountId, instanceType: input.instanceType,
        imageId: input.imageId ?? 'ami-0fake', state: 'running', availabilityZone: subnet.availabilityZone, subnetId: subnet.subnetId, vpcId: subnet.vpcId,
        privateIpAddress: ip, privateDnsName: `ip-${ip.replaceAll('.', '-')}.${input.region}.compute.internal`, launchTime: new Date(0).toISOString(),
        tags: { ...input.tags }, securityGroupIds: input.securityGroupIds ?? [],
      };
      this.instances.set(inst.instanceId, inst);
      out.push(inst);
    }
    return out;
  }
  async terminateInstances(_r: string, ids: string[]): Promise<void> { for (const id of ids) { const i = this.instances.get(id); if (i) i.state = 'terminated'; } }
  instance(_r: string, id: string): InstanceInfo | undefined { return this.instances.get(id); }
  allocatePrivateIp(): string { return `192.168.200.${++this.seq}`; }
  releasePrivateIp(): void { /* nothing to track */ }
}

export class FakeAsg implements AutoScalingBackend {
  readonly groups = new Map<string, AutoScalingGroupInfo & { imageId?: string }>();
  listener: InstanceLifecycleListener | undefined;
  failCreate: Error | undefined;
  constructor(readonly ec2: FakeEc2 = new FakeEc2()) {}

  async createGroup(input: CreateGroupInput): Promise<AutoScalingGroupInfo> {
    if (this.failCreate) throw this.failCreate;
    const g = { ...input, arn: `arn:aws:autoscaling:${input.region}:${input.accountId}:autoScalingGroup:x:autoScalingGroupName/${input.name}`, instanceIds: [] as string[] };
    this.groups.set(input.name, g);
    await this.reconcile(g);
    return { ...g };
  }
  group(_r: string, name: string): AutoScalingGroupInfo | undefined {
    const g = this.groups.get(name);
    return g ? { ...g, instanceIds: [...g.instanceIds] } : undefined;
  }
  async updateGroup(_r: string, name: string, sizes: { minSize?: number; maxSize?: number; desiredCapacity?: number }): Promise<AutoScalingGroupInfo> {
    const g = this.groups.get(name);
    if (!g) throw new Error(`AutoScalingGroup name not found - ${name}`);
    Object.assign(g, Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined)));
    if (sizes.desiredCapacity === undefined) g.desiredCapacity = Math.min(g.maxSize, Math.max(g.minSize, g.desiredCapacity));
    await this.reconcile(g);
    return { ...g };
  }
  async deleteGroup(_r: string, name: string): Promise<void> {
    const g = this.groups.get(name);
    if (!g) return;
    g.desiredCapacity = 0;
    g.minSize = 0;
    await this.reconcile(g);
    this.groups.delete(name);
  }
  private async reconcile(g: AutoScalingGroupInfo & { imageId?: string }): Promise<void> {
    while (g.instanceIds.length < g.desiredCapacity) {
      const [inst] = await this.ec2.runInstances({ region: g.region, accountId: g.accountId, instanceType: g.instanceType, imageId: g.imageId, subnetIds: g.subnetIds, count: 1, tags: { ...g.tags, 'aws:autoscaling:groupName': g.name } });
      g.instanceIds.push(inst.instanceId);
      await this.listener?.launched(inst);
    }
    while (g.instanceIds.length > g.desiredCapacity) {
      const id = g.instanceIds.pop() as string;
      const inst = this.ec2.instances.get(id) as InstanceInfo;
      await this.listener?.terminating(inst);
      await this.ec2.terminateInstances(g.region, [id]);
    }
  }
}
