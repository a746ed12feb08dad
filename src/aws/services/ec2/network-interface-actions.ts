/**
 * DescribeNetworkInterfaces: the ENIs of the clusters' nodes as the VPC CNI (ipamd) attached them
 * — the primary ENI each instance launched with (device 0, the node's address) and the ones ipamd
 * added for its warm pool (description `aws-K8S-<instance id>`, tagged
 * `node.k8s.amazonaws.com/instance_id`), each with its primary and secondary private addresses.
 * keks does not store ENIs: they are read from sources (each cluster's node simulator) at request
 * time, so they always show the current warm pool. Subnet and VPC come from the subnet holding
 * the instance's address.
 */
import { createHash } from 'node:crypto';
import { AwsError, type QueryHandler, type XmlObject } from '../../core/types.js';
import { cidrHas, ipToInt, parseCidr, type Cidr } from './cidr.js';
import { maxResultsIn, page, scopeOf, type Scope } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { applyFilters, readFilters } from './filters.js';
import { isWellFormedId } from './ids.js';
import type { SubnetDoc } from './model.js';
import { tagSet } from './shapes.js';
import { privateDnsName } from './zones.js';

/** One ENI as a source reports it. */
export interface NetworkInterfaceView {
  networkInterfaceId: string;
  instanceId?: string;
  /** The instance's own address: its subnet is the ENI's. */
  instanceIp: string;
  deviceIndex: number;
  availabilityZone?: string;
  primaryIp: string;
  secondaryIps: string[];
  description: string;
  tags: Record<string, string>;
  /** When the instance attached it (ms). */
  attachedAt?: number;
}

export type NetworkInterfaceSource = (scope: Scope) => NetworkInterfaceView[];

interface Eni { v: NetworkInterfaceView; subnet?: SubnetDoc }

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

function macOf(id: string): string {
  return `02:${hex(`mac/${id}`, 10).match(/../g)?.join(':') ?? ''}`;
}

export function networkInterfaceActions(state: Ec2State, sources: () => readonly NetworkInterfaceSource[]): Record<string, QueryHandler> {
  const subnetOf = (scope: Scope, ip: string): SubnetDoc | undefined => {
    const n = ipToInt(ip);
    if (n === undefined) return undefined;
    return state.subnets.values().find((s) => s.accountId === scope.accountId && s.region === scope.region && cidrHas(parseCidr(s.cidrBlock) as Cidr, n));
  };
  const defaultGroup = (vpcId: string | undefined): XmlObject[] => {
    const g = vpcId ? state.groups.values().find((x) => x.vpcId === vpcId && x.groupName === 'default') : undefined;
    return g ? [{ groupId: g.groupId, groupName: g.groupName }] : [];
  };

  return {
    DescribeNetworkInterfaces(params, ctx) {
      const scope = scopeOf(ctx);
      let all: Eni[] = sources().flatMap((s) => s(scope)).map((v) => ({ v, subnet: subnetOf(scope, v.instanceIp) }));
      const ids = params.list('NetworkInterfaceId');
      if (ids.length) {
        for (const id of ids) if (!isWellFormedId('eni', id)) throw new AwsError('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${id}" (expecting "eni-...")`);
        const byId = new Map(all.map((e) => [e.v.networkInterfaceId, e]));
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length) throw new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`);
        all = [...new Set(ids)].map((id) => byId.get(id) as Eni);
      }
      const ips = (e: Eni): string[] => [e.v.primaryIp, ...e.v.secondaryIps];
      const picked = applyFilters(all, readFilters(params), {
        'network-interface-id': (e) => e.v.networkInterfaceId,
        'attachment.instance-id': (e) => e.v.instanceId,
        'attachment.device-index': (e) => e.v.deviceIndex,
        'attachment.status': () => 'attached',
        'attachment.attachment-id': (e) => `eni-attach-${hex(`attach/${e.v.networkInterfaceId}`, 17)}`,
        'attachment.delete-on-termination': (e) => e.v.deviceIndex === 0,
        'subnet-id': (e) => e.subnet?.subnetId,
        'vpc-id': (e) => e.subnet?.vpcId,
        'availability-zone': (e) => e.v.availabilityZone ?? e.subnet?.availabilityZone,
        'private-ip-address': ips,
        'addresses.private-ip-address': ips,
        'private-dns-name': (e) => privateDnsName(e.v.primaryIp, scope.region),
        'mac-address': (e) => macOf(e.v.networkInterfaceId),
        'description': (e) => e.v.description,
        'status': () => 'in-use',
        'interface-type': () => 'interface',
        'owner-id': () => scope.accountId,
        'requester-managed': () => false,
        'source-dest-check': () => true,
        'group-id': (e) => defaultGroup(e.subnet?.vpcId).map((g) => String(g.groupId)),
        'group-name': (e) => defaultGroup(e.subnet?.vpcId).map((g) => String(g.groupName)),
      }, (e) => e.v.tags);
      picked.sort((a, b) => a.v.networkInterfaceId.localeCompare(b.v.networkInterfaceId));
      const p = page(picked, (e) => e.v.networkInterfaceId, maxResultsIn(params, 5, 1000), params.get('NextToken'));
      return {
        networkInterfaceSet: p.items.map((e): XmlObject => {
          const id = e.v.networkInterfaceId;
          return {
            networkInterfaceId: id,
            subnetId: e.subnet?.subnetId,
            vpcId: e.subnet?.vpcId,
            availabilityZone: e.v.availabilityZone ?? e.subnet?.availabilityZone,
            description: e.v.description,
            ownerId: scope.accountId,
            requesterManaged: false,
            status: 'in-use',
            macAddress: macOf(id),
            privateIpAddress: e.v.primaryIp,
            privateDnsName: privateDnsName(e.v.primaryIp, scope.region),
            sourceDestCheck: true,
            interfaceType: 'interface',
            groupSet: defaultGroup(e.subnet?.vpcId),
            attachment: {
              attachmentId: `eni-attach-${hex(`attach/${id}`, 17)}`, deviceIndex: e.v.deviceIndex, networkCardIndex: 0,
              instanceId: e.v.instanceId, instanceOwnerId: scope.accountId, status: 'attached',
              attachTime: new Date(e.v.attachedAt ?? 0).toISOString(), deleteOnTermination: e.v.deviceIndex === 0,
            },
            tagSet: tagSet(e.v.tags),
            privateIpAddressesSet: ips(e).map((ip, i) => ({ privateIpAddress: ip, privateDnsName: privateDnsName(ip, scope.region), primary: i === 0 })),
            ipv6AddressesSet: [],
          };
        }),
        nextToken: p.nextToken,
      };
    },
  };
}
