/**
 * The EC2 data of every account and region: VPCs, subnets, security groups, instances and the
 * private IPs handed out for pods and load balancers, plus the per-subnet address allocators,
 * which are not stored but rebuilt on start from the instances and IP documents.
 *
 * Default VPC, as eksctl builds a cluster VPC: 192.168.0.0/16; public subnets 192.168.0.0/19,
 * .32.0/19, .64.0/19 and private subnets .96.0/19, .128.0/19, .160.0/19 in the region's first
 * three zones (public ones tagged kubernetes.io/role/elb=1 and mapping public IPs on launch,
 * private ones tagged kubernetes.io/role/internal-elb=1), and a `default` security group.
 */
import type { AwsState } from '../../core/state.js';
import { parseCidr } from './cidr.js';
import { Collection } from './collection.js';
import { newId } from './ids.js';
import { SubnetIpAllocator } from './ip-allocator.js';
import type { InstanceDoc, IpDoc, LaunchTemplateDoc, SecurityGroupDoc, SubnetDoc, VpcDoc } from './model.js';
import { zoneId, zonesOf } from './zones.js';

export const DEFAULT_VPC_CIDR = '192.168.0.0/16';
const PUBLIC_SUBNETS = ['192.168.0.0/19', '192.168.32.0/19', '192.168.64.0/19'];
const PRIVATE_SUBNETS = ['192.168.96.0/19', '192.168.128.0/19', '192.168.160.0/19'];

export function ipDocId(subnetId: string, ip: string): string {
  return `${subnetId}~${ip}`;
}

export class Ec2State {
  readonly vpcs: Collection<VpcDoc>;
  readonly subnets: Collection<SubnetDoc>;
  readonly groups: Collection<SecurityGroupDoc>;
  readonly instances: Collection<InstanceDoc>;
  readonly ips: Collection<IpDoc>;
  readonly launchTemplates: Collection<LaunchTemplateDoc>;
  private readonly allocators = new Map<string, SubnetIpAllocator>();
  private readonly now: () => number;

  private constructor(c: { vpcs: Collection<VpcDoc>; subnets: Collection<SubnetDoc>; groups: Collection<SecurityGroupDoc>; instances: Collection<InstanceDoc>; ips: Collection<IpDoc>; launchTemplates: Collection<LaunchTemplateDoc>; now: () => number }) {
    this.vpcs = c.vpcs;
    this.subnets = c.subnets;
    this.groups = c.groups;
    this.instances = c.instances;
    this.ips = c.ips;
    this.launchTemplates = c.launchTemplates;
    this.now = c.now;
    for (const s of this.subnets.values()) this.allocator(s.subnetId);
    for (const i of this.instances.values()) if (i.state !== 'terminated' && i.privateIpAddress) this.allocators.get(i.subnetId)?.reserve(i.privateIpAddress);
    for (const d of this.ips.values()) this.allocators.get(d.subnetId)?.reserve(d.ip);
  }

  static async open(opts: { state: AwsState; now: () => number }): Promise<Ec2State> {
    const [vpcs, subnets, groups, instances, ips, launchTemplates] = await Promise.all([
      opts.state.table<VpcDoc>('ec2-vpcs'),
      opts.state.table<SubnetDoc>('ec2-subnets'),
      opts.state.table<SecurityGroupDoc>('ec2-security-groups'),
      opts.state.table<InstanceDoc>('ec2-instances'),
      opts.state.table<IpDoc>('ec2-private-ips'),
      opts.state.table<LaunchTemplateDoc>('ec2-launch-templates'),
    ]);
    return new Ec2State({
      vpcs: new Collection(vpcs, (d) => d.vpcId),
      subnets: new Collection(subnets, (d) => d.subnetId),
      groups: new Collection(groups, (d) => d.groupId),
      instances: new Collection(instances, (d) => d.instanceId),
      ips: new Collection(ips, (d) => ipDocId(d.subnetId, d.ip)),
      launchTemplates: new Collection(launchTemplates, (d) => d.launchTemplateId),
      now: opts.now,
    });
  }

  private lock: Promise<unknown> = Promise.resolve();

  /**
   * Runs fn after every earlier exclusive section: read-modify-write changes (rules, tags,
   * termination, CIDR conflict checks) must not interleave, or one would overwrite the other.
   * Sections never nest (nothing called inside one takes the lock again).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.catch(() => undefined).then(fn);
    this.lock = next;
    return next;
  }

  /** Waits for every background write (see Collection). */
  async flush(): Promise<void> {
    await Promise.all([this.vpcs.flush(), this.subnets.flush(), this.groups.flush(), this.instances.flush(), this.ips.flush(), this.launchTemplates.flush()]);
  }

  /** The subnet's allocator (created for subnets made after start). */
  allocator(subnetId: string): SubnetIpAllocator {
    let a = this.allocators.get(subnetId);
    if (!a) {
      const s = this.subnets.get(subnetId);
      const cidr = s && parseCidr(s.cidrBlock);
      if (!cidr) throw new Error(`Ec2State: no subnet ${subnetId}`);
      a = new SubnetIpAllocator({ cidr });
      this.allocators.set(subnetId, a);
    }
    return a;
  }

  dropAllocator(subnetId: string): void {
    this.allocators.delete(subnetId);
  }

  /** The default VPC of (account, region), created (durably, in the background) on first use. */
  defaultVpc(accountId: string, region: string): VpcDoc {
    const found = this.vpcs.values().find((v) => v.isDefault && v.accountId === accountId && v.region === region);
    if (found) return found;
    const vpc: VpcDoc = { accountId, region, vpcId: newId('vpc'), cidrBlock: DEFAULT_VPC_CIDR, isDefault: true, tags: {}, createdAt: this.now() };
    this.vpcs.saveSoon(vpc.vpcId, vpc);
    this.groups.saveSoon(...defaultGroupEntry(vpc));
    const zones = zonesOf(region).slice(0, 3);
    const add = (cidrBlock: string, zone: string, pub: boolean): void => {
      const subnet: SubnetDoc = {
        accountId, region, subnetId: newId('subnet'), vpcId: vpc.vpcId, cidrBlock,
        availabilityZone: zone, availabilityZoneId: zoneId(zone), mapPublicIpOnLaunch: pub, defaultForAz: false,
        tags: pub ? { 'kubernetes.io/role/elb': '1' } : { 'kubernetes.io/role/internal-elb': '1' },
      };
      this.subnets.saveSoon(subnet.subnetId, subnet);
    };
    zones.forEach((z, i) => add(PUBLIC_SUBNETS[i], z, true));
    zones.forEach((z, i) => add(PRIVATE_SUBNETS[i], z, false));
    return vpc;
  }

  /** The `default` security group of a VPC. */
  defaultGroupOf(vpcId: string): SecurityGroupDoc | undefined {
    return this.groups.values().find((g) => g.vpcId === vpcId && g.groupName === 'default');
  }
}

/** The security group AWS creates with every VPC: all traffic from itself in, everything out. */
export function defaultGroupEntry(vpc: VpcDoc): [string, SecurityGroupDoc] {
  const groupId = newId('sg');
  return [groupId, {
    accountId: vpc.accountId, region: vpc.region, groupId, groupName: 'default', description: 'default VPC security group', vpcId: vpc.vpcId, tags: {},
    ingress: [{ ruleId: newId('sgr'), ipProtocol: '-1', groupId }],
    egress: [{ ruleId: newId('sgr'), ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
  }];
}
