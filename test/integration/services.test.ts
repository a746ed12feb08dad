// Services as on EKS: ClusterIP allocation from the service CIDR (10.100.0.0/16), the
// `kubernetes` Service at .1 with its Endpoints/EndpointSlice, NodePort allocation and
// conflicts, type changes, release on delete, and allocation state surviving a restart. The
// endpoint controllers' side is in services-endpoints.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const NS = '/api/v1/namespaces/default';
const MERGE = 'application/merge-patch+json';

const svc = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

function ipNum(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

describe('services: ClusterIP and NodePort allocation', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('the kubernetes Service has ClusterIP 10.100.0.1, port 443 → the API server, and its Endpoints and EndpointSlice', async () => {
    const s = (await api.get(`${NS}/services/kubernetes`)).json();
    assert.equal(s.spec.clusterIP, '10.100.0.1');
    assert.deepEqual(s.spec.clusterIPs, ['10.100.0.1']);
    assert.deepEqual(s.spec.ipFamilies, ['IPv4']);
    assert.equal(s.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(s.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: tk.cluster.port }]);
    assert.deepEqual(s.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    const ep = (await api.get(`${NS}/endpoints/kubernetes`)).json();
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: tk.cluster.port, protocol: 'TCP' }] }]);
    const es = (await api.get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).json();
    assert.equal(es.addressType, 'IPv4');
    assert.deepEqual(es.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    assert.equal(es.metadata.labels['kubernetes.io/service-name'], 'kubernetes');
  });

  it('a new Service gets a random free ClusterIP from the dynamic band, ipFamilies and ipFamilyPolicy; status.loadBalancer is {}', async () => {
    const r = await api.post(`${NS}/services`, svc('web', {}));
    assert.equal(r.status, 201, r.text);
    const s = r.json();
    assert.match(s.spec.clusterIP, /^10\.100\.\d+\.\d+$/);
    assert.ok(ipNum(s.spec.clusterIP) - ipNum('10.100.0.0') > 256, 'random addresses come from above the static band');
    assert.deepEqual(s.spec.clusterIPs, [s.spec.clusterIP]);
    assert.deepEqual(s.spec.ipFamilies, ['IPv4']);
    assert.equal(s.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(s.status, { loadBalancer: {} });
  });

  it('a requested ClusterIP must be free and in range, with upstream messages', async () => {
    const ok = await api.post(`${NS}/services`, svc('dns', { clusterIP: '10.100.0.10' }));
    assert.equal(ok.status, 201, ok.text);
    const taken = await api.post(`${NS}/services`, svc('dns2', { clusterIP: '10.100.0.10' }));
    assert.equal(taken.status, 422);
    assert.equal(taken.json().message, 'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.100.0.10"}: failed to allocate IP 10.100.0.10: provided IP is already allocated');
    const out = await api.post(`${NS}/services`, svc('far', { clusterIP: '172.20.0.10' }));
    assert.equal(out.status, 422);
    assert.equal(out.json().message, 'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"172.20.0.10"}: failed to allocate IP 172.20.0.10: the provided IP (172.20.0.10) is not in the valid range. The range of valid IPs is 10.100.0.0/16');
    const kube = await api.post(`${NS}/services`, svc('k2', { clusterIP: '10.100.0.1' }));
    assert.equal(kube.status, 422, 'the kubernetes Service holds .1');
  });

  it('clusterIP is immutable; an update that omits it keeps it', async () => {
    const s = (await api.get(`${NS}/services/web`)).json();
    const change = await api.patch(`${NS}/services/web`, { spec: { clusterIP: '10.100.0.99', clusterIPs: ['10.100.0.99'] } }, MERGE);
    assert.equal(change.status, 422);
    assert.match(change.json().message, /spec.clusterIPs\[0\]: Invalid value: \[\]string\{"10.100.0.99"\}: may not change once set/);
    const put = await api.put(`${NS}/services/web`, { ...s, spec: { ...s.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 81, targetPort: 8080 }] } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json().spec.clusterIP, s.spec.clusterIP);
  });

  it('headless Services get None, ExternalName gets no ClusterIP', async () => {
    const h = await api.post(`${NS}/services`, svc('db', { clusterIP: 'None' }));
    assert.equal(h.status, 201, h.text);
    assert.deepEqual(h.json().spec.clusterIPs, ['None']);
    const e = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(e.status, 201, e.text);
    assert.equal(e.json().spec.clusterIP, undefined);
    assert.equal(e.json().spec.ipFamilies, undefined);
  });

  it('NodePort: random ports in 30000-32767, an explicit port honoured once, conflicts and range refused', async () => {
    const a = await api.post(`${NS}/services`, svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'metrics', port: 9090 }] }));
    assert.equal(a.status, 201, a.text);
    const ports = a.json().spec.ports as Array<{ nodePort: number }>;
    assert.equal(ports[0].nodePort, 30080);
    assert.ok(ports[1].nodePort >= 30000 && ports[1].nodePort <= 32767);
    assert.equal(a.json().spec.externalTrafficPolicy, 'Cluster');
    const clash = await api.post(`${NS}/services`, svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(clash.status, 422);
    assert.equal(clash.json().message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const range = await api.post(`${NS}/services`, svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }));
    assert.equal(range.status, 422);
    assert.match(range.json().message, /spec.ports\[0\].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767/);
    // A refused create leaks nothing: the ClusterIP it got before its node port was refused is free again.
    const leak = await api.post(`${NS}/services`, svc('np5', { type: 'NodePort', clusterIP: '10.100.0.60', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(leak.status, 422);
    const again = await api.post(`${NS}/services`, svc('np6', { clusterIP: '10.100.0.60' }));
    assert.equal(again.status, 201, again.text);
  });

  it('LoadBalancer: node ports by default, none with allocateLoadBalancerNodePorts false, healthCheckNodePort for Local', async () => {
    const lb = await api.post(`${NS}/services`, svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    assert.equal(lb.status, 201, lb.text);
    const s = lb.json().spec;
    assert.equal(s.allocateLoadBalancerNodePorts, true);
    assert.ok(s.ports[0].nodePort >= 30000);
    assert.ok(s.healthCheckNodePort >= 30000 && s.healthCheckNodePort !== s.ports[0].nodePort);
    const off = await api.post(`${NS}/services`, svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
    assert.equal(off.status, 201, off.text);
    assert.equal(off.json().spec.ports[0].nodePort, undefined);
  });

  it('type NodePort → ClusterIP drops and releases the node port; delete releases the ClusterIP', async () => {
    const a = await api.post(`${NS}/services`, svc('flip', { type: 'NodePort', ports: [{ port: 80, nodePort: 30111 }] }));
    assert.equal(a.status, 201, a.text);
    const ip = a.json().spec.clusterIP as string;
    const p = await api.patch(`${NS}/services/flip`, { spec: { type: 'ClusterIP' } }, MERGE);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json().spec.ports[0].nodePort, undefined);
    assert.equal(p.json().spec.externalTrafficPolicy, undefined);
    const reuse = await api.post(`${NS}/services`, svc('reuse-port', { type: 'NodePort', ports: [{ port: 80, nodePort: 30111 }] }));
    assert.equal(reuse.status, 201, reuse.text);
    assert.equal((await api.delete(`${NS}/services/flip`)).status, 200);
    const reuseIp = await api.post(`${NS}/services`, svc('reuse-ip', { clusterIP: ip }));
    assert.equal(reuseIp.status, 201, reuseIp.text);
  });

  it('type ClusterIP → LoadBalancer allocates node ports and keeps the ClusterIP', async () => {
    const a = await api.post(`${NS}/services`, svc('grow', {}));
    assert.equal(a.status, 201, a.text);
    const p = await api.patch(`${NS}/services/grow`, { spec: { type: 'LoadBalancer' } }, MERGE);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json().spec.clusterIP, a.json().spec.clusterIP);
    assert.ok(p.json().spec.ports[0].nodePort >= 30000);
    assert.equal(p.json().spec.allocateLoadBalancerNodePorts, true);
    assert.equal(p.json().spec.externalTrafficPolicy, 'Cluster');
    const local = await api.patch(`${NS}/services/grow`, { spec: { externalTrafficPolicy: 'Local' } }, MERGE);
    assert.equal(local.status, 200, local.text);
    assert.ok(local.json().spec.healthCheckNodePort >= 30000);
  });

  it('dry-run create allocates nothing', async () => {
    const d = await api.post(`${NS}/services?dryRun=All`, svc('dry', { clusterIP: '10.100.0.77', type: 'NodePort', ports: [{ port: 80, nodePort: 30177 }] }));
    assert.equal(d.status, 201, d.text);
    const real = await api.post(`${NS}/services`, svc('wet', { clusterIP: '10.100.0.77', type: 'NodePort', ports: [{ port: 80, nodePort: 30177 }] }));
    assert.equal(real.status, 201, real.text);
  });

  it('concurrent creates never share an address', async () => {
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => api.post(`${NS}/services`, svc(`c${i}`, { type: 'NodePort' }))));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const ips = rs.map((r) => r.json().spec.clusterIP as string);
    const ports = rs.map((r) => r.json().spec.ports[0].nodePort as number);
    assert.equal(new Set(ips).size, 30);
    assert.equal(new Set(ports).size, 30);
  });
});

describe('services: allocations survive a restart', () => {
  it('after a restart, taken ClusterIPs and node ports are still refused', async () => {
    let tk = await startTestKeks({ store: 'sqlite' });
    const dataDir = tk.dataDir;
    let api = tokenClient(tk);
    try {
      const a = await api.post(`${NS}/services`, svc('keep', { type: 'NodePort', clusterIP: '10.100.0.42', ports: [{ port: 80, nodePort: 30042 }] }));
      assert.equal(a.status, 201, a.text);
      api.close();
      await tk.stop({ keepData: true });
      tk = await startTestKeks({ store: 'sqlite', dataDir });
      api = tokenClient(tk);
      const ip = await api.post(`${NS}/services`, svc('x', { clusterIP: '10.100.0.42' }));
      assert.equal(ip.status, 422);
      assert.match(ip.json().message, /provided IP is already allocated/);
      const port = await api.post(`${NS}/services`, svc('y', { type: 'NodePort', ports: [{ port: 80, nodePort: 30042 }] }));
      assert.equal(port.status, 422);
      assert.match(port.json().message, /provided port is already allocated/);
      const k = (await api.get(`${NS}/services/kubernetes`)).json();
      assert.equal(k.spec.clusterIP, '10.100.0.1');
      assert.equal(k.spec.ports[0].targetPort, tk.cluster.port);
    } finally {
      api.close();
      await tk.stop();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
