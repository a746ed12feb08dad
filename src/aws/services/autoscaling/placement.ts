/**
 * Where an Auto Scaling group launches and which instance it removes.
 *
 * Launch: the zone (of the group's subnets, in VPCZoneIdentifier order) with the fewest
 * instances, then that zone's subnet with the fewest — AWS's Availability Zone rebalancing.
 * Scale-in, the default termination policy (docs: "Control which Auto Scaling instances
 * terminate during scale in"): among instances not protected from scale-in, the zone with the
 * most instances, then the oldest launch in it (AWS next looks at launch template versions and
 * billing hours, which keks does not model). OldestInstance / NewestInstance policies pick by
 * launch time across the group after the same zone balancing.
 */
import type { GroupInstance } from './model.js';

export interface SubnetZone {
  subnetId: string;
  availabilityZone: string;
}

/** The subnet the next instance goes to. */
export function pickLaunchSubnet(subnets: SubnetZone[], instances: GroupInstance[]): SubnetZone {
  const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
  const inZone = (z: string): number => instances.filter((i) => i.availabilityZone === z).length;
  const zone = zones.reduce((best, z) => (inZone(z) < inZone(best) ? z : best), zones[0]);
  const candidates = subnets.filter((s) => s.availabilityZone === zone);
  const inSubnet = (id: string): number => instances.filter((i) => i.subnetId === id).length;
  return candidates.reduce((best, s) => (inSubnet(s.subnetId) < inSubnet(best.subnetId) ? s : best), candidates[0]);
}

/** The instance to terminate on scale-in, or undefined when every instance is protected. */
export function pickVictim(instances: GroupInstance[], zoneOrder: string[], policies: string[]): GroupInstance | undefined {
  const candidates = instances.filter((i) => !i.protectedFromScaleIn);
  if (candidates.length === 0) return undefined;
  const count = (z: string): number => instances.filter((i) => i.availabilityZone === z).length;
  const zones = [...new Set([...zoneOrder, ...candidates.map((i) => i.availabilityZone)])].filter((z) => candidates.some((i) => i.availabilityZone === z));
  const zone = zones.reduce((best, z) => (count(z) > count(best) ? z : best), zones[0]);
  const newest = policies[0] === 'NewestInstance';
  const pool = candidates.filter((i) => i.availabilityZone === zone)
    .sort((a, b) => a.launchTime.localeCompare(b.launchTime) || a.instanceId.localeCompare(b.instanceId));
  return newest ? pool[pool.length - 1] : pool[0];
}
