/**
 * EC2 VPC, subnet and zone operations: DescribeVpcs, CreateVpc, DeleteVpc, DescribeSubnets,
 * CreateSubnet, DeleteSubnet, DescribeAvailabilityZones. CIDR rules as EC2 enforces them: VPC
 * and subnet netmasks /16../28, a subnet inside its VPC and overlapping no other subnet.
 */
import { AwsError, type QueryHandler, type QueryParams, type XmlObject } from '../../core/types.js';
import { cidrContains, cidrOverlaps, parseCidr, type Cidr } from './cidr.js';
import { inScope, maxResultsIn, page, scopeOf, tagsFromSpecs, type Scope } from './common.js';
import { defaultGroupEntry, type Ec2State } from './ec2-state.js';
import { checkIdShape, dependencyViolation, invalidParameterValue, notFound } from './errors.js';
import { applyFilters, readFilters } from './filters.js';
import { newId } from './ids.js';
import type { SubnetDoc, VpcDoc } from './model.js';
import { subnetXml, vpcXml } from './shapes.js';
import { zoneId, zonesOf } from './zones.js';

function cidrParam(params: QueryParams, name: string): { text: string; cidr: Cidr } {
  const text = params.required('CidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter ${name} is invalid. This is not a valid CIDR block.`);
  return { text, cidr };
}

export function findVpc(state: Ec2State, scope: Scope, vpcId: string): VpcDoc {
  checkIdShape('vpc', vpcId);
  const v = state.vpcs.get(vpcId);
  if (!v || !inScope(v, scope)) throw notFound('vpc', [vpcId]);
  return v;
}

export function findSubnet(state: Ec2State, scope: Scope, subnetId: string): SubnetDoc {
  checkIdShape('subnet', subnetId);
  const s = state.subnets.get(subnetId);
  if (!s || !inScope(s, scope)) throw notFound('subnet', [subnetId]);
  return s;
}

/** Docs of the scope named by `ids` (all when empty); unknown ids → NotFound naming them all. */
function selectByIds<T extends { accountId: string; region: string }>(all: T[], ids: string[], idOf: (t: T) => string, kind: 'vpc' | 'subnet', scope: Scope): T[] {
  const mine = all.filter((d) => inScope(d, scope));
  if (ids.length === 0) return mine;
  for (const id of ids) checkIdShape(kind, id);
  const byId = new Map(mine.map((d) => [idOf(d), d]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw notFound(kind, missing);
  return [...new Set(ids)].map((id) => byId.get(id) as T);
}

export function vpcActions(state: Ec2State, now: () => number): Record<string, QueryHandler> {
  const subnetXmlOf = (s: SubnetDoc): XmlObject => subnetXml(s, state.allocator(s.subnetId).available());

  return {
    DescribeVpcs(params, ctx) {
      const scope = scopeOf(ctx);
      const vpcs = applyFilters(selectByIds(state.vpcs.values(), params.list('VpcId'), (v) => v.vpcId, 'vpc', scope), readFilters(params), {
        'vpc-id': (v) => v.vpcId,
        'cidr': (v) => v.cidrBlock,
        'cidr-block': (v) => v.cidrBlock,
        'cidr-block-association.cidr-block': (v) => v.cidrBlock,
        'is-default': (v) => v.isDefault,
        'state': () => 'available',
        'owner-id': (v) => v.accountId,
        'dhcp-options-id': () => 'default',
      }, (v) => v.tags);
      const p = page(vpcs.sort((a, b) => a.vpcId.localeCompare(b.vpcId)), (v) => v.vpcId, maxResultsIn(params, 5, 1000), params.get('NextToken'));
      return { vpcSet: p.items.map(vpcXml), nextToken: p.nextToken };
    },

    async CreateVpc(params, ctx) {
      const scope = scopeOf(ctx);
      const { text, cidr } = cidrParam(params, 'cidrBlock');
      if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`);
      const vpc: VpcDoc = { ...scope, vpcId: newId('vpc'), cidrBlock: text, isDefault: false, tags: tagsFromSpecs(params, 'vpc'), createdAt: now() };
      await state.vpcs.save(vpc.vpcId, vpc);
      await state.groups.save(...defaultGroupEntry(vpc));
      return { vpc: vpcXml(vpc) };
    },

    async DeleteVpc(params, ctx) {
      const vpc = findVpc(state, scopeOf(ctx), params.required('VpcId'));
      const busy = state.subnets.values().some((s) => s.vpcId === vpc.vpcId)
        || state.groups.values().some((g) => g.vpcId === vpc.vpcId && g.groupName !== 'default');
      if (busy) throw dependencyViolation(`The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`);
      const dflt = state.defaultGroupOf(vpc.vpcId);
      if (dflt) await state.groups.remove(dflt.groupId);
      await state.vpcs.remove(vpc.vpcId);
      return { return: true };
    },

    DescribeSubnets(params, ctx) {
      const scope = scopeOf(ctx);
      const subnets = applyFilters(selectByIds(state.subnets.values(), params.list('SubnetId'), (s) => s.subnetId, 'subnet', scope), readFilters(params), {
        'subnet-id': (s) => s.subnetId,
        'vpc-id': (s) => s.vpcId,
        'availability-zone': (s) => s.availabilityZone,
        'availability-zone-id': (s) => s.availabilityZoneId,
        'availabilityZone': (s) => s.availabilityZone,
        'cidr': (s) => s.cidrBlock,
        'cidr-block': (s) => s.cidrBlock,
        'cidrBlock': (s) => s.cidrBlock,
        'default-for-az': (s) => s.defaultForAz,
        'defaultForAz': (s) => s.defaultForAz,
        'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
        'state': () => 'available',
        'owner-id': (s) => s.accountId,
        'available-ip-address-count': (s) => state.allocator(s.subnetId).available(),
        'subnet-arn': (s) => `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${s.subnetId}`,
      }, (s) => s.tags);
      const p = page(subnets.sort((a, b) => a.subnetId.localeCompare(b.subnetId)), (s) => s.subnetId, maxResultsIn(params, 5, 1000), params.get('NextToken'));
      return { subnetSet: p.items.map(subnetXmlOf), nextToken: p.nextToken };
    },

    async CreateSubnet(params, ctx) {
      const scope = scopeOf(ctx);
      const vpc = findVpc(state, scope, params.required('VpcId'));
      const { text, cidr } = cidrParam(params, 'cidrBlock');
      const vpcCidr = parseCidr(vpc.cidrBlock) as Cidr;
      if (cidr.prefix < 16 || cidr.prefix > 28 || !cidrContains(vpcCidr, cidr)) throw new AwsError('InvalidSubnet.Range', `The CIDR '${text}' is invalid.`);
      const siblings = state.subnets.values().filter((s) => s.vpcId === vpc.vpcId);
      if (siblings.some((s) => cidrOverlaps(parseCidr(s.cidrBlock) as Cidr, cidr))) throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${text}' conflicts with another subnet`);
      const zones = zonesOf(scope.region);
      let zone = params.get('AvailabilityZone');
      const wantedId = params.get('AvailabilityZoneId');
      if (!zone && wantedId) zone = zones.find((z) => zoneId(z) === wantedId) ?? wantedId;
      if (zone && !zones.includes(zone)) {
        throw invalidParameterValue(`Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`);
      }
      // Without a zone EC2 picks one; here the zone of the VPC with the fewest subnets.
      zone ??= [...zones].sort((a, b) => siblings.filter((s) => s.availabilityZone === a).length - siblings.filter((s) => s.availabilityZone === b).length)[0];
      const subnet: SubnetDoc = {
        ...scope, subnetId: newId('subnet'), vpcId: vpc.vpcId, cidrBlock: text, availabilityZone: zone, availabilityZoneId: zoneId(zone),
        mapPublicIpOnLaunch: false, defaultForAz: false, tags: tagsFromSpecs(params, 'subnet'),
      };
      await state.subnets.save(subnet.subnetId, subnet);
      return { subnet: subnetXmlOf(subnet) };
    },

    async DeleteSubnet(params, ctx) {
      const subnet = findSubnet(state, scopeOf(ctx), params.required('SubnetId'));
      const busy = state.instances.values().some((i) => i.subnetId === subnet.subnetId && i.state !== 'terminated')
        || state.ips.values().some((d) => d.subnetId === subnet.subnetId);
      if (busy) throw dependencyViolation(`The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`);
      await state.subnets.remove(subnet.subnetId);
      state.dropAllocator(subnet.subnetId);
      return { return: true };
    },

    DescribeAvailabilityZones(params, ctx) {
      const region = ctx.region;
      const all = zonesOf(region);
      const names = params.list('ZoneName');
      const ids = params.list('ZoneId');
      for (const n of names) if (!all.includes(n)) throw invalidParameterValue(`Invalid availability zone: [${n}]`);
      for (const id of ids) if (!all.some((z) => zoneId(z) === id)) throw invalidParameterValue(`Invalid availability zone: [${id}]`);
      let zones = all.filter((z) => (names.length === 0 && ids.length === 0) || names.includes(z) || ids.includes(zoneId(z)));
      zones = applyFilters(zones, readFilters(params), {
        'zone-name': (z) => z,
        'zone-id': (z) => zoneId(z),
        'region-name': () => region,
        'state': () => 'available',
        'zone-type': () => 'availability-zone',
        'group-name': () => region,
        'opt-in-status': () => 'opt-in-not-required',
      }, () => ({}));
      return {
        availabilityZoneInfo: zones.map((z) => ({
          optInStatus: 'opt-in-not-required', messageSet: [], regionName: region, zoneName: z, zoneId: zoneId(z),
          groupName: region, networkBorderGroup: region, zoneType: 'availability-zone', zoneState: 'available',
        })),
      };
    },
  };
}
