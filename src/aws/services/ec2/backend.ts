/**
 * The Ec2Backend other services use (EKS for the default VPC and cluster security groups, Auto
 * Scaling for instances, the VPC CNI and load balancers for private IPs), over the same state
 * the EC2 API serves.
 */
import type { Ec2Backend, InstanceInfo, RunInstancesInput, SubnetInfo, VpcInfo } from '../../core/backends.js';
import { AwsError } from '../../core/types.js';
import { ipDocId, type Ec2State } from './ec2-state.js';
import { notFound } from './errors.js';
import type { TerminationDelegate } from './instance-actions.js';
import { launchInstances, terminateInstance } from './instances.js';
import { resolveTemplate } from './launch-templates.js';
import type { InstanceDoc, SubnetDoc, VpcDoc } from './model.js';
import { createGroup, deleteGroup } from './security-group-actions.js';

/** A subnet's addresses as the VPC CNI on an instance uses them (AssignPrivateIpAddresses / Unassign…). */
export interface InstanceSubnetAddresses {
  take(): string | undefined;
  give(ip: string): void;
  mark(ip: string): void;
}

export interface Ec2BackendImpl extends Ec2Backend {
  setTerminationDelegate(delegate: TerminationDelegate): void;
  /**
   * The subnet of the running instance whose private address is `instanceIp`, for its pods'
   * secondary addresses; undefined when no instance has it. The addresses are held in the
   * allocator only (not stored): after a restart the VPC CNI marks the ones its pods still use.
   */
  instanceSubnetAddresses(region: string, accountId: string, instanceIp: string): InstanceSubnetAddresses | undefined;
  /** Waits until writes made by synchronous calls (default VPC, private IPs) are durable. */
  flush(): Promise<void>;
}

const vpcInfo = (v: VpcDoc): VpcInfo => ({ vpcId: v.vpcId, cidrBlock: v.cidrBlock, isDefault: v.isDefault });

const subnetInfo = (s: SubnetDoc): SubnetInfo => ({
  subnetId: s.subnetId, vpcId: s.vpcId, cidrBlock: s.cidrBlock, availabilityZone: s.availabilityZone,
  availabilityZoneId: s.availabilityZoneId, mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
});

export function instanceInfo(d: InstanceDoc): InstanceInfo {
  return {
    instanceId: d.instanceId, region: d.region, accountId: d.accountId, instanceType: d.instanceType, imageId: d.imageId,
    state: d.state, availabilityZone: d.availabilityZone, subnetId: d.subnetId, vpcId: d.vpcId,
    privateIpAddress: d.privateIpAddress, privateDnsName: d.privateDnsName,
    ...(d.publicIpAddress ? { publicIpAddress: d.publicIpAddress } : {}),
    launchTime: d.launchTime, tags: { ...d.tags }, securityGroupIds: [...d.securityGroupIds],
  };
}

export function createEc2Backend(state: Ec2State, now: () => number, onDelegate: (d: TerminationDelegate) => void): Ec2BackendImpl {
  const subnetIn = (region: string, subnetId: string): SubnetDoc => {
    const s = state.subnets.get(subnetId);
    if (!s || s.region !== region) throw notFound('subnet', [subnetId]);
    return s;
  };
  return {
    defaultVpc(region, accountId) {
      return vpcInfo(state.defaultVpc(accountId, region));
    },
    vpc(region, vpcId) {
      const v = state.vpcs.get(vpcId);
      return v && v.region === region ? vpcInfo(v) : undefined;
    },
    subnet(region, subnetId) {
      const s = state.subnets.get(subnetId);
      return s && s.region === region ? subnetInfo(s) : undefined;
    },
    subnetsOf(region, vpcId) {
      return state.subnets.values().filter((s) => s.region === region && s.vpcId === vpcId)
        .sort((a, b) => a.cidrBlock.localeCompare(b.cidrBlock, undefined, { numeric: true })).map(subnetInfo);
    },
    async createSecurityGroup(input) {
      const v = state.vpcs.get(input.vpcId);
      if (!v || v.region !== input.region) throw notFound('vpc', [input.vpcId]);
      const scope = { accountId: input.accountId, region: input.region };
      const g = await state.exclusive(() => createGroup(state, { scope, vpcId: input.vpcId, name: input.name, description: input.description, tags: input.tags ?? {} }));
      return g.groupId;
    },
    async deleteSecurityGroup(region, groupId) {
      const g = state.groups.get(groupId);
      if (!g || g.region !== region) return;
      await state.exclusive(() => deleteGroup(state, state.groups.get(groupId) ?? g));
    },
    async runInstances(input: RunInstancesInput) {
      const docs = await launchInstances(state, now, {
        scope: { accountId: input.accountId, region: input.region }, instanceType: input.instanceType, imageId: input.imageId,
        subnetIds: input.subnetIds, count: input.count, tags: input.tags, securityGroupIds: input.securityGroupIds,
      });
      return docs.map(instanceInfo);
    },
    async terminateInstances(region, instanceIds) {
      const missing = instanceIds.filter((id) => state.instances.get(id)?.region !== region);
      if (missing.length) throw notFound('i', missing);
      await state.exclusive(async () => {
        for (const id of instanceIds) await terminateInstance(state, now, state.instances.get(id) as InstanceDoc);
      });
    },
    instance(region, instanceId) {
      const d = state.instances.get(instanceId);
      return d && d.region === region ? instanceInfo(d) : undefined;
    },
    allocatePrivateIp(region, subnetId) {
      const s = subnetIn(region, subnetId);
      const ip = state.allocator(subnetId).allocate();
      if (!ip) throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`);
      state.ips.saveSoon(ipDocId(subnetId, ip), { accountId: s.accountId, region, subnetId, ip });
      return ip;
    },
    instanceSubnetAddresses(region, accountId, instanceIp) {
      const inst = state.instances.values().find((d) => d.region === region && d.accountId === accountId && d.state !== 'terminated' && d.privateIpAddress === instanceIp);
      if (!inst) return undefined;
      const alloc = state.allocator(inst.subnetId);
      return { take: () => alloc.allocate(), give: (ip) => alloc.release(ip), mark: (ip) => { alloc.reserve(ip); } };
    },
    releasePrivateIp(region, subnetId, ip) {
      subnetIn(region, subnetId);
      const id = ipDocId(subnetId, ip);
      if (!state.ips.has(id)) return;
      state.ips.removeSoon(id);
      state.allocator(subnetId).release(ip);
    },
    launchTemplateData(region, accountId, ref) {
      return resolveTemplate(state, { accountId, region }, ref);
    },
    setTerminationDelegate(delegate) {
      onDelegate(delegate);
    },
    flush() {
      return state.flush();
    },
  };
}
