// ipamd's warm pool against the worked examples of amazon-vpc-cni-k8s docs/eni-and-ip-target.md
// (instance type, targets, pods → attached ENIs, secondary IPs, unused IPs, IPs per ENI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeIpam, warmTargetsFromEnv, type WarmTargets } from './ipamd.js';

function ipam(maxEnis: number, ipsPerEni: number): { n: NodeIpam; subnetFree: () => number } {
  let next = 1;
  const given: string[] = [];
  const n = new NodeIpam({
    node: 'n1', nodeIp: '192.168.0.10', maxEnis, ipsPerEni,
    take: () => given.shift() ?? `192.168.16.${next++}`,
    give: (ip) => { given.push(ip); },
  });
  return { n, subnetFree: () => given.length };
}

function row(maxEnis: number, ipsPerEni: number, t: WarmTargets, pods: number): [number, number, number, string] {
  const { n } = ipam(maxEnis, ipsPerEni);
  n.reconcile(t);
  for (let i = 0; i < pods; i++) assert.ok(n.assign(`ns/p${i}`, t), `pod ${i}`);
  const perEni = n.enis.map((e) => e.free.length + e.assigned.size).sort((a, b) => b - a).join(',');
  return [n.enis.length, n.total(), n.available(), perEni];
}

test('WARM_ENI_TARGET=1 (the default): a whole ENI of free addresses (t3.small, p3dn.24xlarge)', () => {
  const t = { warmEni: 1 };
  assert.deepEqual(row(3, 4, t, 0), [1, 3, 3, '3']);
  assert.deepEqual(row(3, 4, t, 5), [3, 9, 4, '3,3,3']);
  assert.deepEqual(row(3, 4, t, 9), [3, 9, 0, '3,3,3']);
  assert.deepEqual(row(15, 50, t, 0), [1, 49, 49, '49']);
  assert.deepEqual(row(15, 50, t, 3), [2, 98, 95, '49,49']);
  assert.deepEqual(row(15, 50, t, 95), [3, 147, 52, '49,49,49']);
});

test('WARM_IP_TARGET and MINIMUM_IP_TARGET: free and total address floors', () => {
  assert.deepEqual(row(3, 4, { warmEni: 1, warmIp: 1, minIp: 1 }, 0), [1, 1, 1, '1']);
  assert.deepEqual(row(3, 4, { warmEni: 1, warmIp: 1, minIp: 1 }, 5), [2, 6, 1, '3,3']);
  assert.deepEqual(row(3, 4, { warmEni: 1, warmIp: 1, minIp: 1 }, 9), [3, 9, 0, '3,3,3']);
  assert.deepEqual(row(3, 4, { warmEni: 1, warmIp: 2, minIp: 5 }, 0), [2, 5, 5, '3,2']);
  assert.deepEqual(row(3, 4, { warmEni: 1, warmIp: 2, minIp: 5 }, 5), [3, 7, 2, '3,3,1']);
  assert.deepEqual(row(15, 50, { warmEni: 1, warmIp: 5, minIp: 10 }, 0), [1, 10, 10, '10']);
  assert.deepEqual(row(15, 50, { warmEni: 1, warmIp: 5, minIp: 10 }, 7), [1, 12, 5, '12']);
  assert.deepEqual(row(15, 50, { warmEni: 1, warmIp: 5, minIp: 10 }, 45), [2, 50, 5, '49,1']);
});

test('a full node refuses; pods leaving release addresses and detach idle ENIs back to the subnet', () => {
  const t = { warmEni: 1 };
  const { n, subnetFree } = ipam(3, 4);
  const ips = Array.from({ length: 9 }, (_, i) => n.assign(`ns/p${i}`, t));
  assert.ok(ips.every(Boolean));
  assert.equal(n.assign('ns/p9', t), undefined, 'ENIs × (IPs − 1) = 9 is the limit');
  for (let i = 3; i < 9; i++) n.release(ips[i] as string, t);
  // 6 free ≥ (1 + 1) × 3: the newest idle ENI goes (its 3 secondaries and its primary), leaving 3 free.
  assert.deepEqual([n.enis.length, n.available()], [2, 3]);
  assert.equal(subnetFree(), 4);
  assert.deepEqual(n.enis.map((e) => e.deviceIndex), [0, 1]);
});

test('lowering WARM_IP_TARGET releases addresses beyond it; targets come from aws-node\'s env', () => {
  const { n, subnetFree } = ipam(3, 4);
  n.reconcile({ warmEni: 1 });
  n.assign('ns/a', { warmEni: 1 });
  assert.equal(n.total(), 6);
  n.reconcile({ warmEni: 1, warmIp: 1 });
  assert.deepEqual([n.enis.length, n.total(), n.available()], [1, 2, 1]);
  assert.equal(subnetFree(), 5, '4 secondaries and the second ENI\'s primary went back');
  assert.deepEqual(warmTargetsFromEnv([{ name: 'WARM_ENI_TARGET', value: '2' }]), { warmEni: 2 });
  assert.deepEqual(warmTargetsFromEnv([{ name: 'WARM_IP_TARGET', value: '5' }, { name: 'MINIMUM_IP_TARGET', value: '10' }]), { warmEni: 1, warmIp: 5, minIp: 10 });
  assert.deepEqual(warmTargetsFromEnv([{ name: 'WARM_IP_TARGET', value: '0' }, { name: 'WARM_ENI_TARGET', value: 'x' }]), { warmEni: 1 });
  assert.deepEqual(warmTargetsFromEnv(undefined), { warmEni: 1 });
});
