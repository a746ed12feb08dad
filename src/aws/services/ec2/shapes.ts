/**
 * EC2 documents as the ec2 protocol returns them: lowerCamel locationNames of the 2016-11-15
 * model (Vpc, Subnet, SecurityGroup, Instance…); the codec turns arrays into `<item>` lists.
 */
import type { XmlObject } from '../../core/types.js';
import type { InstanceDoc, SecurityGroupDoc, SgRule, SubnetDoc, VpcDoc } from './model.js';
import { STATE_CODES } from './model.js';
import { publicDnsName } from './zones.js';

export function tagSet(tags: Record<string, string>): XmlObject[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function vpcXml(v: VpcDoc): XmlObject {
  return {
    vpcId: v.vpcId,
    ownerId: v.accountId,
    state: 'available',
    cidrBlock: v.cidrBlock,
    cidrBlockAssociationSet: [{ cidrBlock: v.cidrBlock, associationId: `vpc-cidr-assoc-${v.vpcId.slice(4)}`, cidrBlockState: { state: 'associated' } }],
    dhcpOptionsId: 'default',
    instanceTenancy: 'default',
    isDefault: v.isDefault,
    tagSet: tagSet(v.tags),
  };
}

export function subnetXml(s: SubnetDoc, availableIpAddressCount: number): XmlObject {
  return {
    subnetId: s.subnetId,
    subnetArn: `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${s.subnetId}`,
    ownerId: s.accountId,
    state: 'available',
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    availableIpAddressCount,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId,
    defaultForAz: s.defaultForAz,
    mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    ipv6CidrBlockAssociationSet: [],
    tagSet: tagSet(s.tags),
  };
}

/** Rules of one direction grouped as EC2 lists them: one IpPermission per protocol + port range. */
export function ipPermissions(rules: SgRule[], ownerId: string): XmlObject[] {
  const byKey = new Map<string, { perm: XmlObject; ranges: XmlObject[]; groups: XmlObject[] }>();
  for (const r of rules) {
    const key = `${r.ipProtocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}`;
    let e = byKey.get(key);
    if (!e) {
      e = { perm: { ipProtocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort }, ranges: [], groups: [] };
      byKey.set(key, e);
    }
    if (r.cidrIp) e.ranges.push({ cidrIp: r.cidrIp, description: r.description });
    if (r.groupId) e.groups.push({ groupId: r.groupId, userId: ownerId, description: r.description });
  }
  return [...byKey.values()].map((e) => ({ ...e.perm, groups: e.groups, ipRanges: e.ranges, ipv6Ranges: [], prefixListIds: [] }));
}

export function securityGroupXml(g: SecurityGroupDoc): XmlObject {
  return {
    ownerId: g.accountId,
    groupId: g.groupId,
    groupName: g.groupName,
    groupDescription: g.description,
    ipPermissions: ipPermissions(g.ingress, g.accountId),
    ipPermissionsEgress: ipPermissions(g.egress, g.accountId),
    vpcId: g.vpcId,
    securityGroupArn: `arn:aws:ec2:${g.region}:${g.accountId}:security-group/${g.groupId}`,
    tagSet: tagSet(g.tags),
  };
}

/** A security group rule as AuthorizeSecurityGroupIngress returns it (securityGroupRuleSet). */
export function ruleXml(g: SecurityGroupDoc, r: SgRule, isEgress: boolean): XmlObject {
  return {
    securityGroupRuleId: r.ruleId,
    groupId: g.groupId,
    groupOwnerId: g.accountId,
    isEgress,
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort ?? -1,
    toPort: r.toPort ?? -1,
    cidrIpv4: r.cidrIp,
    referencedGroupInfo: r.groupId ? { groupId: r.groupId, userId: g.accountId } : undefined,
    description: r.description,
    securityGroupRuleArn: `arn:aws:ec2:${g.region}:${g.accountId}:security-group-rule/${r.ruleId}`,
    tagSet: [],
  };
}

export function instanceStateXml(state: InstanceDoc['state']): XmlObject {
  return { code: STATE_CODES[state], name: state };
}

export function instanceXml(i: InstanceDoc, groupName: (id: string) => string): XmlObject {
  const gone = i.state === 'terminated';
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: instanceStateXml(i.state),
    privateDnsName: gone ? '' : i.privateDnsName,
    dnsName: !gone && i.publicIpAddress ? publicDnsName(i.publicIpAddress, i.region) : '',
    reason: gone ? `User initiated (${new Date(i.terminatedAt ?? 0).toISOString().replace(/\.\d{3}Z$/, ' GMT').replace('T', ' ')})` : '',
    amiLaunchIndex: i.amiLaunchIndex,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: new Date(i.launchTime),
    placement: { availabilityZone: i.availabilityZone, availabilityZoneId: undefined, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: gone ? undefined : i.subnetId,
    vpcId: gone ? undefined : i.vpcId,
    privateIpAddress: gone ? undefined : i.privateIpAddress,
    ipAddress: gone ? undefined : i.publicIpAddress,
    sourceDestCheck: true,
    groupSet: gone ? [] : i.securityGroupIds.map((id) => ({ groupId: id, groupName: groupName(id) })),
    stateReason: i.stateReason ? { code: i.stateReason, message: `${i.stateReason}: User initiated shutdown` } : undefined,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: [],
    virtualizationType: 'hvm',
    clientToken: '',
    tagSet: tagSet(i.tags),
    hypervisor: 'xen',
    ebsOptimized: false,
    enaSupport: true,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
  };
}
