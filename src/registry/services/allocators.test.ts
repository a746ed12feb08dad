import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { ClusterIpAllocator } from './ip-allocator.js';
import { NodePortAllocator } from './port-allocator.js';
import { ServiceAllocators } from './allocators.js';

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80, protocol: 'TCP' }], ...spec } });
const spec = (s: KubeObject): Record<string, any> => s.spec as Record<string, any>;

function message(fn: () => unknown): string {
  try { fn(); } catch (e) { return (e as Error).message; }
  assert.fail('expected an error');
}

describe('ClusterIpAllocator', () => {
  it('hands out random addresses above the static band, never the network or broadcast address', () => {
    const a = new ClusterIpAllocator({ cidr: '10.100.0.0/16' });
    assert.equal(a.firstIp, '10.100.0.1');
    assert.equal(a.nthIp(10), '10.100.0.10');
    for (let i = 0; i < 200; i++) {
      const ip = a.allocateNext();
      const [, , c, d] = ip.split('.').map(Number);
      assert.ok(c * 256 + d > 256, `${ip} is above the static band (first 256 addresses)`);
      assert.ok(ip !== '10.100.255.255');
    }
    assert.equal(a.used, 200);
  });

  it('refuses taken and out-of-range addresses with upstream wording; release frees', () => {
    const a = new ClusterIpAllocator({ cidr: '10.100.0.0/16' });
    a.allocate('10.100.0.10');
    assert.equal(message(() => a.allocate('10.100.0.10')), 'provided IP is already allocated');
    assert.equal(message(() => a.allocate('10.101.0.1')), 'the provided IP (10.101.0.1) is not in the valid range. The range of valid IPs is 10.100.0.0/16');
    assert.equal(message(() => a.allocate('10.100.0.0')), 'the provided IP (10.100.0.0) is not in the valid range. The range of valid IPs is 10.100.0.0/16');
    a.release('10.100.0.10');
    a.allocate('10.100.0.10');
  });

  it('fills a tiny range completely, then reports it full; the static band is used last', () => {
    const a = new ClusterIpAllocator({ cidr: '10.0.0.0/29', rand: () => 0 });
    const got = Array.from({ length: 6 }, () => a.allocateNext());
    assert.deepEqual(got.sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    assert.equal(message(() => a.allocateNext()), 'range is full');
  });
});

describe('NodePortAllocator', () => {
  it('allocates in 30000-32767 and refuses conflicts and out-of-range ports', () => {
    const p = new NodePortAllocator();
    const n = p.allocateNext();
    assert.ok(n >= 30086 && n <= 32767, `${n} in the dynamic band`);
    p.allocate(30080);
    assert.equal(message(() => p.allocate(30080)), 'provided port is already allocated');
    assert.equal(message(() => p.allocate(29999)), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    p.release(30080);
    p.allocate(30080);
  });
});

describe('ServiceAllocators', () => {
  const make = (): ServiceAllocators => new ServiceAllocators({ serviceCidr: '10.100.0.0/16' });

  it('fills clusterIP(s), ipFamilies and ipFamilyPolicy on create; commit keeps, revert frees', () => {
    const a = make();
    const s = svc('web', {});
    const finish = a.allocateCreate(s);
    assert.match(spec(s).clusterIP, /^10\.100\.\d+\.\d+$/);
    assert.deepEqual(spec(s).clusterIPs, [spec(s).clusterIP]);
    assert.deepEqual(spec(s).ipFamilies, ['IPv4']);
    assert.equal(spec(s).ipFamilyPolicy, 'SingleStack');
    finish(false);
    assert.equal(a.ips.has(spec(s).clusterIP), false, 'a failed write gives the address back');
    const s2 = svc('web', { clusterIP: '10.100.0.50' });
    a.allocateCreate(s2)(true);
    assert.equal(a.ips.has('10.100.0.50'), true);
    assert.deepEqual(spec(s2).clusterIPs, ['10.100.0.50']);
  });

  it('refuses a taken or out-of-range clusterIP as kube-apiserver does', () => {
    const a = make();
    a.allocateCreate(svc('a', { clusterIP: '10.100.0.50' }))(true);
    assert.equal(message(() => a.allocateCreate(svc('b', { clusterIP: '10.100.0.50' }))),
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.100.0.50"}: failed to allocate IP 10.100.0.50: provided IP is already allocated');
    assert.equal(message(() => a.allocateCreate(svc('c', { clusterIPs: ['10.0.0.5'], clusterIP: '10.0.0.5' }))),
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.100.0.0/16');
  });

  it('headless gets None, ExternalName nothing; dual-stack is refused on this single-stack cluster', () => {
    const a = make();
    const h = svc('h', { clusterIP: 'None', selector: { app: 'x' } });
    a.allocateCreate(h)(true);
    assert.deepEqual(spec(h).clusterIPs, ['None']);
    assert.deepEqual(spec(h).ipFamilies, ['IPv4']);
    assert.equal(a.ips.used, 0);
    const e = svc('e', { type: 'ExternalName', externalName: 'example.com' });
    a.allocateCreate(e)(true);
    assert.equal(spec(e).clusterIP, undefined);
    assert.equal(spec(e).ipFamilies, undefined);
    assert.match(message(() => a.allocateCreate(svc('d', { ipFamilyPolicy: 'RequireDualStack' }))), /spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services/);
    assert.match(message(() => a.allocateCreate(svc('d', { ipFamilies: ['IPv6'] }))), /spec.ipFamilies\[0\]: Invalid value: "IPv6": not configured on this cluster/);
  });

  it('NodePort: random or requested ports, conflicts refused, TCP and UDP on one port share a node port', () => {
    const a = make();
    const s = svc('np', { type: 'NodePort', ports: [{ name: 'a', port: 53, protocol: 'TCP' }, { name: 'b', port: 53, protocol: 'UDP' }, { name: 'c', port: 80, protocol: 'TCP', nodePort: 30080 }] });
    a.allocateCreate(s)(true);
    const ports = spec(s).ports as Array<{ nodePort: number }>;
    assert.equal(ports[0].nodePort, ports[1].nodePort);
    assert.equal(ports[2].nodePort, 30080);
    assert.equal(a.ports.used, 2);
    assert.equal(message(() => a.allocateCreate(svc('np2', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] }))),
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    assert.equal(a.ports.used, 2, 'nothing leaked by the refused create');
  });

  it('LoadBalancer: allocateLoadBalancerNodePorts false skips node ports; Local gets a healthCheckNodePort', () => {
    const a = make();
    const off = svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    a.allocateCreate(off)(true);
    assert.equal((spec(off).ports as Array<{ nodePort?: number }>)[0].nodePort, undefined);
    const local = svc('lb2', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    a.allocateCreate(local)(true);
    assert.ok(spec(local).healthCheckNodePort >= 30000);
    assert.equal(a.ports.used, 2);
    a.release(local);
    assert.equal(a.ports.used, 0);
  });

  it('updates: NodePort → ClusterIP releases on commit only; ClusterIP → ExternalName releases the IP', () => {
    const a = make();
    const old = svc('s', { type: 'NodePort' });
    a.allocateCreate(old)(true);
    const np = (spec(old).ports as Array<{ nodePort: number }>)[0].nodePort;
    const next = structuredClone(old);
    spec(next).type = 'ClusterIP';
    delete (spec(next).ports as Array<{ nodePort?: number }>)[0].nodePort;
    a.allocateUpdate(next, old)(false);
    assert.equal(a.ports.has(np), true, 'a failed update keeps the old port');
    a.allocateUpdate(next, old)(true);
    assert.equal(a.ports.has(np), false);
    const ext = structuredClone(next);
    spec(ext).type = 'ExternalName';
    spec(ext).externalName = 'x.example.com';
    delete spec(ext).clusterIP; delete spec(ext).clusterIPs;
    a.allocateUpdate(ext, next)(true);
    assert.equal(a.ips.has(spec(next).clusterIP), false);
  });

  it('rebuild marks what stored services hold (restart)', () => {
    const a = make();
    const s1 = svc('a', { type: 'NodePort' });
    a.allocateCreate(s1)(true);
    const b = make();
    b.rebuild([s1, svc('h', { clusterIP: 'None', clusterIPs: ['None'] })]);
    assert.equal(b.ips.has(spec(s1).clusterIP), true);
    assert.equal(b.ports.has((spec(s1).ports as Array<{ nodePort: number }>)[0].nodePort), true);
    assert.match(message(() => b.allocateCreate(svc('c', { clusterIP: spec(s1).clusterIP }))), /provided IP is already allocated/);
  });
});
