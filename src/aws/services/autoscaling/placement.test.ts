import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupInstance } from './model.js';
import { pickLaunchSubnet, pickVictim } from './placement.js';

const subnets = [
  { subnetId: 's-a', availabilityZone: 'z-a' },
  { subnetId: 's-b', availabilityZone: 'z-b' },
  { subnetId: 's-c', availabilityZone: 'z-c' },
];

function inst(id: string, zone: string, launchTime: string, prot = false): GroupInstance {
  return { instanceId: id, instanceType: 't3.medium', availabilityZone: zone, subnetId: `s-${zone.slice(2)}`, lifecycleState: 'InService', healthStatus: 'Healthy', protectedFromScaleIn: prot, launchTime };
}

describe('Auto Scaling placement', () => {
  it('launches into the zone with the fewest instances, in subnet order on ties', () => {
    const placed: GroupInstance[] = [];
    for (let k = 0; k < 7; k++) {
      const s = pickLaunchSubnet(subnets, placed);
      placed.push(inst(`i-${k}`, s.availabilityZone, `2025-01-01T00:00:0${k}Z`));
    }
    assert.deepEqual(placed.map((i) => i.availabilityZone), ['z-a', 'z-b', 'z-c', 'z-a', 'z-b', 'z-c', 'z-a']);
  });

  it('scale-in takes from the fullest zone, then the oldest instance there, skipping protected ones', () => {
    const list = [inst('i-1', 'z-a', '2025-01-01T00:00:01Z'), inst('i-2', 'z-b', '2025-01-01T00:00:02Z'), inst('i-3', 'z-b', '2025-01-01T00:00:03Z'), inst('i-4', 'z-a', '2025-01-01T00:00:04Z'), inst('i-5', 'z-b', '2025-01-01T00:00:00Z', true)];
    assert.equal(pickVictim(list, ['z-a', 'z-b', 'z-c'], ['Default'])?.instanceId, 'i-2');
    assert.equal(pickVictim(list, ['z-a', 'z-b', 'z-c'], ['NewestInstance'])?.instanceId, 'i-3');
    assert.equal(pickVictim([inst('i-9', 'z-a', 'x', true)], ['z-a'], ['Default']), undefined);
  });
});
