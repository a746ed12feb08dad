/**
 * EC2 instance operations: DescribeInstances (ids, filters, MaxResults/NextToken, grouped into
 * reservations), RunInstances (minimal), TerminateInstances, DescribeInstanceTypes.
 *
 * TerminateInstances of an instance an Auto Scaling group owns (tag aws:autoscaling:groupName)
 * goes to the owner's termination delegate when one is registered: as on AWS, the group then
 * notices the terminated instance and launches a replacement.
 */
import { AwsError, type QueryHandler, type XmlObject } from '../../core/types.js';
import { inScope, page, scopeOf } from './common.js';
import { tagsFromSpecs } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { invalidParameterValue } from './errors.js';
import { applyFilters, readFilters } from './filters.js';
import { INSTANCE_TYPES } from './instance-types.js';
import { expired, findInstances, launchInstances, terminateInstance } from './instances.js';
import type { InstanceDoc } from './model.js';
import { instanceStateXml, instanceXml } from './shapes.js';

export type TerminationDelegate = (region: string, instanceIds: string[]) => Promise<void>;

export const ASG_TAG = 'aws:autoscaling:groupName';

export function instanceActions(state: Ec2State, now: () => number, delegate: () => TerminationDelegate | undefined): Record<string, QueryHandler> {
  const groupName = (id: string): string => state.groups.get(id)?.groupName ?? '';

  function reservations(docs: InstanceDoc[]): XmlObject[] {
    const byRes = new Map<string, InstanceDoc[]>();
    for (const d of docs) byRes.set(d.reservationId, [...(byRes.get(d.reservationId) ?? []), d]);
    return [...byRes.entries()].map(([reservationId, list]) => ({
      reservationId,
      ownerId: list[0].accountId,
      groupSet: [],
      instancesSet: list.map((d) => instanceXml(d, groupName)),
    }));
  }

  return {
    DescribeInstances(params, ctx) {
      const scope = scopeOf(ctx);
      const t = now();
      const ids = params.list('InstanceId');
      const maxResults = params.int('MaxResults');
      if (maxResults !== undefined) {
        if (ids.length) throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
        if (maxResults < 5 || maxResults > 1000) throw invalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
      }
      for (const d of state.instances.values()) if (expired(d, t)) state.instances.removeSoon(d.instanceId);
      let docs = ids.length ? findInstances(state, scope, ids, t) : state.instances.values().filter((d) => inScope(d, scope));
      docs = applyFilters(docs, readFilters(params), {
        'instance-id': (d) => d.instanceId,
        'instance-state-name': (d) => d.state,
        'instance-state-code': (d) => String(instanceStateXml(d.state).code),
        'instance-type': (d) => d.instanceType,
        'image-id': (d) => d.imageId,
        'vpc-id': (d) => d.vpcId,
        'subnet-id': (d) => d.subnetId,
        'private-ip-address': (d) => d.privateIpAddress,
        'private-dns-name': (d) => d.privateDnsName,
        'ip-address': (d) => d.publicIpAddress,
        'network-interface.addresses.private-ip-address': (d) => d.privateIpAddress,
        'availability-zone': (d) => d.availabilityZone,
        'placement.availability-zone': (d) => d.availabilityZone,
        'reservation-id': (d) => d.reservationId,
        'owner-id': (d) => d.accountId,
        'instance.group-id': (d) => d.securityGroupIds,
        'group-id': (d) => d.securityGroupIds,
        'architecture': () => 'x86_64',
      }, (d) => d.tags);
      docs.sort((a, b) => a.launchTime.localeCompare(b.launchTime) || a.instanceId.localeCompare(b.instanceId));
      const p = page(docs, (d) => `${d.launchTime}|${d.instanceId}`, maxResults, params.get('NextToken'));
      return { reservationSet: reservations(p.items), nextToken: p.nextToken };
    },

    async RunInstances(params, ctx) {
      const scope = scopeOf(ctx);
      const min = params.int('MinCount') ?? 1;
      const max = params.int('MaxCount') ?? min;
      if (min < 1 || max < min) throw invalidParameterValue(`Invalid value for MinCount/MaxCount: ${min}/${max}`);
      const subnetId = params.get('SubnetId') ?? state.subnets.values()
        .filter((s) => s.vpcId === state.defaultVpc(scope.accountId, scope.region).vpcId).sort((a, b) => a.cidrBlock.localeCompare(b.cidrBlock))[0]?.subnetId;
      const docs = await launchInstances(state, now, {
        scope,
        instanceType: params.get('InstanceType') ?? 'm1.small',
        imageId: params.required('ImageId'),
        subnetIds: subnetId ? [subnetId] : [],
        count: max,
        tags: tagsFromSpecs(params, 'instance'),
        securityGroupIds: params.list('SecurityGroupId'),
      });
      return { ...reservations(docs)[0] };
    },

    async TerminateInstances(params, ctx) {
      const scope = scopeOf(ctx);
      const ids = params.list('InstanceId');
      if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
      const docs = findInstances(state, scope, ids, now());
      const before = new Map(docs.map((d) => [d.instanceId, d.state]));
      const owned = docs.filter((d) => d.tags[ASG_TAG] && d.state !== 'terminated').map((d) => d.instanceId);
      const hook = delegate();
      if (hook && owned.length) await hook(scope.region, owned);
      await state.exclusive(async () => {
        for (const d of docs) await terminateInstance(state, now, state.instances.get(d.instanceId) as InstanceDoc);
      });
      return {
        instancesSet: docs.map((d) => ({
          instanceId: d.instanceId,
          currentState: instanceStateXml((state.instances.get(d.instanceId) as InstanceDoc).state),
          previousState: instanceStateXml(before.get(d.instanceId) as InstanceDoc['state']),
        })),
      };
    },

    DescribeInstanceTypes(params) {
      const wanted = params.list('InstanceType');
      for (const t of wanted) if (!INSTANCE_TYPES[t]) throw invalidParameterValue(`The following supplied instance types do not exist: [${t}]`);
      let names = Object.keys(INSTANCE_TYPES).sort();
      if (wanted.length) names = names.filter((n) => wanted.includes(n));
      names = applyFilters(names, readFilters(params), {
        'instance-type': (n) => n,
        'current-generation': () => true,
        'processor-info.supported-architecture': (n) => INSTANCE_TYPES[n].arch,
        'vcpu-info.default-vcpus': (n) => INSTANCE_TYPES[n].vcpus,
        'memory-info.size-in-mib': (n) => INSTANCE_TYPES[n].memoryMiB,
      }, () => ({}));
      return {
        instanceTypeSet: names.map((n) => {
          const t = INSTANCE_TYPES[n];
          return {
            instanceType: n,
            currentGeneration: true,
            supportedUsageClasses: ['on-demand', 'spot'],
            supportedRootDeviceTypes: ['ebs'],
            supportedVirtualizationTypes: ['hvm'],
            hypervisor: 'nitro',
            processorInfo: { supportedArchitectures: [t.arch], sustainedClockSpeedInGhz: t.arch === 'arm64' ? 2.5 : 3.1 },
            vCpuInfo: { defaultVCpus: t.vcpus, defaultCores: Math.max(1, t.vcpus / 2), defaultThreadsPerCore: t.arch === 'arm64' ? 1 : 2 },
            memoryInfo: { sizeInMiB: t.memoryMiB },
            networkInfo: { networkPerformance: 'Up to 5 Gigabit', maximumNetworkInterfaces: t.maxEnis, maximumNetworkCards: 1, ipv4AddressesPerInterface: t.ipv4PerEni, ipv6Supported: true, enaSupport: 'required' },
            supportedBootModes: ['legacy-bios', 'uefi'],
          };
        }),
      };
    },
  };
}
