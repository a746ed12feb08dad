import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { instanceType, nodeResources, podIpCapacity } from './instance-types.js';
import { nodePodIpCapacity, sandboxFailedMessage, subnetBase, VpcCni } from './vpc-cni.js';

const node = (type: string | undefined, pods?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: type ? { 'node.kubernetes.io/instance-type': type } : {} },
  status: pods ? { allocatable: { pods } } : {},
});

test('pod address capacity: ENIs × (IPv4 per ENI − 1); max pods adds the two host-network pods', () => {
  assert.equal(podIpCapacity(instanceType('t3.micro')), 2);
  assert.equal(nodeResources(instanceType('t3.micro')).allocatable.pods, '4');
  assert.equal(podIpCapacity(instanceType('t3.medium')), 15);
  assert.equal(nodeResources(instanceType('t3.medium')).allocatable.pods, '17');
  assert.equal(nodeResources(instanceType('m5.large')).allocatable.pods, '29');
  assert.equal(nodePodIpCapacity(node('t3.nano')), 2);
  assert.equal(nodePodIpCapacity(node('x9.unknown', '6')), 4, 'unknown type: max pods − 2');
  assert.equal(nodePodIpCapacity(node(undefined)), Number.POSITIVE_INFINITY);
});

test('addresses come from the node\'s /19, are unique, run out per node and come back on release', () => {
  const cni = new VpcCni();
  const n1 = { name: 'n1', ip: '192.168.40.7', capacity: 2 };
  const n2 = { name: 'n2', ip: '192.168.41.9', capacity: 2 };
  const a = cni.assign(n1, 'ns/a')!;
  const b = cni.assign(n1, 'ns/b')!;
  const c = cni.assign(n2, 'ns/c')!;
  for (const ip of [a, b, c]) assert.equal(subnetBase(ip), subnetBase('192.168.32.0'), ip);
  assert.equal(new Set([a, b, c]).size, 3);
  assert.equal(cni.assign(n1, 'ns/a'), a, 'the same pod keeps its address');
  assert.equal(cni.assign(n1, 'ns/d'), undefined, 'n1 is out of addresses');
  assert.equal(cni.release('ns/a'), 'n1');
  const d = cni.assign(n1, 'ns/d');
  assert.ok(d && d !== b && d !== c);
  assert.equal(cni.used('n1'), 2);
});

test('reserve marks a running pod\'s address (restart) so it is not handed out again', () => {
  const cni = new VpcCni();
  const n = { name: 'n', ip: '10.0.0.10', capacity: 1 };
  cni.reserve(n, 'ns/old', '10.0.16.1');
  assert.equal(cni.assign(n, 'ns/new'), undefined, 'capacity 1 already used');
  const m = { name: 'm', ip: '10.0.0.11', capacity: 5 };
  assert.notEqual(cni.assign(m, 'ns/x'), '10.0.16.1');
});

test('FailedCreatePodSandBox message has the VPC CNI wording', () => {
  const msg = sandboxFailedMessage({ apiVersion: 'v1', kind: 'Pod', metadata: { uid: 'u' } }, 1);
  assert.match(msg, /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="aws-cni" name="aws-cni" failed \(add\): add cmd: failed to assign an IP address to container$/);
});

test('a node subnet whose pod range is full overflows into a /13 of 100.64.0.0/10 (custom networking)', () => {
  const cni = new VpcCni();
  const n = { name: 'n', ip: '192.168.40.7', capacity: Number.POSITIVE_INFINITY };
  const m = { name: 'm', ip: '192.168.70.7', capacity: Number.POSITIVE_INFINITY };
  const seen = new Set<string>();
  let first: string | undefined;
  for (let i = 0; i < 4200; i++) {
    const ip = cni.assign(n, `ns/p${i}`)!;
    assert.ok(ip, `pod ${i} got an address`);
    seen.add(ip);
    if (!ip.startsWith('192.168.') && !first) first = ip;
  }
  assert.equal(seen.size, 4200, 'all distinct');
  assert.equal([...seen].filter((ip) => subnetBase(ip) === subnetBase('192.168.32.0')).length, 4064, 'the /19\'s upper half first (offsets 4096..8190 without the 16 .0 and 15 .255 addresses)');
  assert.match(first ?? '', /^100\.\d+\.0\.1$/);
  const other = cni.assign(m, 'ns/m0')!;
  assert.match(other, /^192\.168\.(8[0-9]|9[0-5])\./, 'another subnet still has its own range');
  // After a restart the overflow address is marked in its /13 and not handed out again.
  const again = new VpcCni();
  again.reserve(n, 'ns/p0', first!);
  for (let i = 0; i < 4100; i++) assert.notEqual(again.assign(n, `ns/q${i}`), first);
});
