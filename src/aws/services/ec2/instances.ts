/**
 * Launching and terminating EC2 instances (shared by the RunInstances/TerminateInstances actions
 * and the backend the Auto Scaling service drives). A launched instance takes a private IP from
 * its subnet's allocator, a public IP when the subnet maps them on launch, and the VPC's default
 * security group unless told otherwise. Instances start `running` (keks's default timing: ready
 * by the next Describe). Terminated instances release their IP and stay visible for an hour,
 * as on AWS, then disappear.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from '../../core/types.js';
import type { Scope } from './common.js';
import { inScope } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { checkIdShape, notFound } from './errors.js';
import { newId } from './ids.js';
import type { InstanceDoc, SubnetDoc } from './model.js';
import { privateDnsName } from './zones.js';

/** How long terminated instances stay visible in DescribeInstances (AWS: about an hour). */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/** The image instances get when none is named (an EKS-optimized AMI id shape). */
export const DEFAULT_IMAGE_ID = 'ami-0eks0keks0node0ami';

export interface LaunchInput {
  scope: Scope;
  instanceType: string;
  imageId?: string;
  /** Instance k goes to subnetIds[k % n]. */
  subnetIds: string[];
  count: number;
  tags: Record<string, string>;
  securityGroupIds?: string[];
}

function publicIp(state: Ec2State): string {
  const taken = new Set(state.instances.values().map((i) => i.publicIpAddress));
  for (;;) {
    const ip = `3.${randomInt(32, 40)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (!taken.has(ip)) return ip;
  }
}

export async function launchInstances(state: Ec2State, now: () => number, input: LaunchInput): Promise<InstanceDoc[]> {
  if (input.subnetIds.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter SubnetId');
  const subnets: SubnetDoc[] = input.subnetIds.map((id) => {
    checkIdShape('subnet', id);
    const s = state.subnets.get(id);
    if (!s || !inScope(s, input.scope)) throw notFound('subnet', [id]);
    return s;
  });
  for (const gid of input.securityGroupIds ?? []) {
    const g = state.groups.get(gid);
    if (!g || !inScope(g, input.scope)) throw notFound('sg', [gid]);
  }
  const reservationId = newId('r');
  const launchTime = new Date(now()).toISOString();
  const docs: InstanceDoc[] = [];
  const taken: Array<{ subnetId: string; ip: string }> = [];
  try {
    for (let k = 0; k < input.count; k++) {
      const subnet = subnets[k % subnets.length];
      const ip = state.allocator(subnet.subnetId).allocate();
      if (!ip) {
        throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
      }
      taken.push({ subnetId: subnet.subnetId, ip });
      const dflt = state.defaultGroupOf(subnet.vpcId);
      docs.push({
        ...input.scope,
        instanceId: newId('i'),
        reservationId,
        instanceType: input.instanceType,
        imageId: input.imageId ?? DEFAULT_IMAGE_ID,
        state: 'running',
        availabilityZone: subnet.availabilityZone,
        subnetId: subnet.subnetId,
        vpcId: subnet.vpcId,
        privateIpAddress: ip,
        privateDnsName: privateDnsName(ip, input.scope.region),
        ...(subnet.mapPublicIpOnLaunch ? { publicIpAddress: publicIp(state) } : {}),
        launchTime,
        tags: { ...input.tags },
        securityGroupIds: input.securityGroupIds?.length ? [...input.securityGroupIds] : dflt ? [dflt.groupId] : [],
        amiLaunchIndex: k,
      });
    }
    for (const d of docs) await state.instances.save(d.instanceId, d);
  } catch (e) {
    for (const t of taken) state.allocator(t.subnetId).release(t.ip);
    for (const d of docs) if (state.instances.has(d.instanceId)) await state.instances.remove(d.instanceId).catch(() => undefined);
    throw e;
  }
  return docs;
}

/** Looks up instances of the scope by id; unknown ids → InvalidInstanceID.NotFound naming all of them. */
export function findInstances(state: Ec2State, scope: Scope, ids: string[], now: number): InstanceDoc[] {
  for (const id of ids) checkIdShape('i', id);
  const missing = ids.filter((id) => { const d = state.instances.get(id); return !d || !inScope(d, scope) || expired(d, now); });
  if (missing.length) throw notFound('i', missing);
  return [...new Set(ids)].map((id) => state.instances.get(id) as InstanceDoc);
}

/** Whether a terminated instance has outlived its visibility window. */
export function expired(d: InstanceDoc, now: number, windowMs = TERMINATED_VISIBLE_MS): boolean {
  return d.state === 'terminated' && d.terminatedAt !== undefined && now - d.terminatedAt > windowMs;
}

/** Marks an instance terminated and frees its private IP. Returns the state before. */
export async function terminateInstance(state: Ec2State, now: () => number, d: InstanceDoc): Promise<InstanceDoc['state']> {
  const previous = d.state;
  if (previous === 'terminated') return previous;
  const next: InstanceDoc = { ...d, state: 'terminated', terminatedAt: now(), stateReason: 'Client.UserInitiatedShutdown' };
  await state.instances.save(d.instanceId, next);
  state.allocator(d.subnetId).release(d.privateIpAddress);
  return previous;
}
