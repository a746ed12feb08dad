// The Endpoints and EndpointSlice controllers following pods: ready / not ready / terminating,
// named targetPorts resolved per pod, publishNotReadyAddresses, nodeName and zone, the labels,
// owner and annotations upstream writes, 100 endpoints per slice, and clean-up with the Service.
// No simulated nodes: the test plays kubelet through pods/status.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually, type ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const NS = '/api/v1/namespaces/default';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
const MERGE = 'application/merge-patch+json';

interface Slice { metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; uid: string; controller: boolean; blockOwnerDeletion: boolean }> }; addressType: string; endpoints: Array<{ addresses: string[]; conditions: { ready: boolean; serving: boolean; terminating: boolean }; nodeName?: string; zone?: string; targetRef: { name: string }; hints?: unknown }> | null; ports?: Array<{ name: string; port: number; protocol: string }> }

async function slicesOf(api: ApiClient, svc: string): Promise<Slice[]> {
  return (await api.get(`${SLICES}?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${svc}`)}`)).json().items as Slice[];
}

async function pod(api: ApiClient, name: string, labels: Record<string, string>, port: number, node = 'node-a'): Promise<void> {
  const r = await api.post(`${NS}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
  });
  assert.equal(r.status, 201, r.text);
}

async function setStatus(api: ApiClient, name: string, ip: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await api.patch(`${NS}/pods/${name}/status`, {
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] },
  }, MERGE);
  assert.equal(r.status, 200, r.text);
}

describe('services: Endpoints and EndpointSlices follow pods', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
    for (const [name, zone] of [['node-a', 'us-east-1a'], ['node-b', 'us-east-1b']]) {
      const r = await api.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('ready pods with a named targetPort resolved per pod; Endpoints subsets and slices per port list', async () => {
    const s = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { team: 'a' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    assert.equal(s.status, 201, s.text);
    const svcUid = s.json().metadata.uid as string;
    await pod(api, 'web-1', { app: 'web' }, 8080, 'node-a');
    await pod(api, 'web-2', { app: 'web' }, 9090, 'node-b');
    await pod(api, 'other', { app: 'other' }, 8080);
    await setStatus(api, 'web-1', '192.168.1.10', true);
    await setStatus(api, 'web-2', '192.168.33.20', true);
    await setStatus(api, 'other', '192.168.1.99', true);
    const ep = await eventually(async () => {
      const e = (await api.get(`${NS}/endpoints/web`)).json();
      return e.subsets?.length === 2 ? e : undefined;
    }, 'two subsets');
    assert.deepEqual(ep.subsets, [
      { addresses: [{ ip: '192.168.1.10', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: ep.subsets[0].addresses[0].targetRef.uid } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
      { addresses: [{ ip: '192.168.33.20', nodeName: 'node-b', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-2', uid: ep.subsets[1].addresses[0].targetRef.uid } }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ]);
    assert.equal(ep.metadata.labels.team, 'a');
    assert.match(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const slices = await eventually(async () => { const l = await slicesOf(api, 'web'); return l.length === 2 && l.every((x) => x.endpoints?.length === 1) ? l : undefined; }, 'two slices');
    for (const sl of slices) {
      assert.match(sl.metadata.name, /^web-[a-z0-9]{5}$/);
      assert.equal(sl.addressType, 'IPv4');
      assert.equal(sl.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
      assert.equal(sl.metadata.labels.team, 'a');
      assert.deepEqual(sl.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svcUid, controller: true, blockOwnerDeletion: true }]);
      const e = sl.endpoints![0];
      assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
      assert.equal(e.zone, e.nodeName === 'node-a' ? 'us-east-1a' : 'us-east-1b');
      assert.equal(sl.ports![0].port, e.targetRef.name === 'web-1' ? 8080 : 9090);
      assert.equal(sl.ports![0].name, 'http');
    }
  });

  it('a pod turning unready moves to notReadyAddresses and ready=false within ~100 ms', async () => {
    const t0 = Date.now();
    await setStatus(api, 'web-2', '192.168.33.20', false);
    await eventually(async () => {
      const e = (await api.get(`${NS}/endpoints/web`)).json();
      return e.subsets?.some((s: { notReadyAddresses?: unknown[] }) => s.notReadyAddresses?.length === 1) ? e : undefined;
    }, 'notReadyAddresses', 5000, 5);
    const endpointsMs = Date.now() - t0;
    const sl = await eventually(async () => {
      const l = await slicesOf(api, 'web');
      const e = l.flatMap((x) => x.endpoints ?? []).find((x) => x.targetRef.name === 'web-2');
      return e && !e.conditions.ready ? e : undefined;
    }, 'slice condition', 5000, 5);
    const sliceMs = Date.now() - t0;
    assert.deepEqual(sl.conditions, { ready: false, serving: false, terminating: false });
    assert.ok(endpointsMs < 250 && sliceMs < 250, `propagation took ${endpointsMs} ms (Endpoints) / ${sliceMs} ms (slices)`);
  });

  it('a terminating pod leaves Endpoints; its endpoint stays in the slice as serving and terminating', async () => {
    await setStatus(api, 'web-2', '192.168.33.20', true);
    const d = await api.delete(`${NS}/pods/web-2`);
    assert.equal(d.status, 200, d.text);
    assert.ok(d.json().metadata.deletionTimestamp, 'graceful: the pod is bound, so it stays while terminating');
    await eventually(async () => {
      const e = (await api.get(`${NS}/endpoints/web`)).json();
      return e.subsets?.length === 1 && e.subsets[0].addresses[0].ip === '192.168.1.10' ? e : undefined;
    }, 'only web-1 left');
    const e = await eventually(async () => {
      const x = (await slicesOf(api, 'web')).flatMap((s) => s.endpoints ?? []).find((y) => y.targetRef.name === 'web-2');
      return x?.conditions.terminating ? x : undefined;
    }, 'terminating endpoint');
    assert.deepEqual(e.conditions, { ready: false, serving: true, terminating: true });
  });

  it('publishNotReadyAddresses lists unready pods as ready; headless Services are labelled', async () => {
    const r = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'peers' }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'peer' }, ports: [{ port: 7000 }] } });
    assert.equal(r.status, 201, r.text);
    await pod(api, 'peer-0', { app: 'peer' }, 7000);
    await setStatus(api, 'peer-0', '192.168.1.50', false);
    const ep = await eventually(async () => { const e = (await api.get(`${NS}/endpoints/peers`)).json(); return e.subsets ? e : undefined; }, 'endpoints');
    assert.equal(ep.subsets[0].addresses[0].ip, '192.168.1.50');
    assert.equal(ep.metadata.labels['service.kubernetes.io/headless'], '');
    const sl = await eventually(async () => { const l = await slicesOf(api, 'peers'); return l[0]?.endpoints?.length ? l[0] : undefined; }, 'slice');
    assert.deepEqual(sl.endpoints![0].conditions, { ready: true, serving: false, terminating: false });
    assert.equal(sl.metadata.labels['service.kubernetes.io/headless'], '');
  });

  it('trafficDistribution PreferClose gives same-zone hints', async () => {
    const r = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'near' }, spec: { trafficDistribution: 'PreferClose', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
    assert.equal(r.status, 201, r.text);
    const e = await eventually(async () => (await slicesOf(api, 'near')).flatMap((s) => s.endpoints ?? []).find((x) => x.targetRef.name === 'web-1'), 'endpoint');
    assert.deepEqual(e.hints, { forZones: [{ name: 'us-east-1a' }] });
  });

  it('a selector without pods keeps one empty slice and an Endpoints without subsets', async () => {
    const r = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    assert.equal(r.status, 201, r.text);
    const sl = await eventually(async () => { const l = await slicesOf(api, 'empty'); return l.length === 1 ? l : undefined; }, 'placeholder');
    assert.equal((sl[0].endpoints ?? []).length, 0);
    const ep = await eventually(async () => { const x = await api.get(`${NS}/endpoints/empty`); return x.status === 200 ? x.json() : undefined; }, 'endpoints');
    assert.equal(ep.subsets, undefined);
  });

  it('more than 100 endpoints spread over slices of at most 100', async () => {
    const r = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'many' }, spec: { selector: { app: 'many' }, ports: [{ port: 80 }] } });
    assert.equal(r.status, 201, r.text);
    for (let i = 0; i < 105; i++) await pod(api, `many-${i}`, { app: 'many' }, 80);
    for (let i = 0; i < 105; i++) await setStatus(api, `many-${i}`, `192.168.2.${i + 1}`, true);
    const sl = await eventually(async () => {
      const l = await slicesOf(api, 'many');
      const n = l.reduce((a, s) => a + (s.endpoints?.length ?? 0), 0);
      return n === 105 ? l : undefined;
    }, '105 endpoints', 15_000);
    assert.equal(sl.length, 2);
    assert.deepEqual(sl.map((s) => s.endpoints!.length).sort((a, b) => a - b), [5, 100]);
  });

  it('a selector-less Service with hand-written Endpoints gets mirrored slices; the kubernetes Endpoints are not mirrored', async () => {
    const r = await api.post(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external-db' }, spec: { ports: [{ name: 'pg', port: 5432 }] } });
    assert.equal(r.status, 201, r.text);
    const e = await api.post(`${NS}/endpoints`, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db', labels: { tier: 'db' } }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], notReadyAddresses: [{ ip: '10.1.2.4' }], ports: [{ name: 'pg', port: 5432 }] }] });
    assert.equal(e.status, 201, e.text);
    const sl = await eventually(async () => { const l = await slicesOf(api, 'external-db'); return l.length === 1 && l[0].endpoints?.length === 2 ? l[0] : undefined; }, 'mirrored slice');
    assert.equal(sl.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.equal(sl.metadata.labels.tier, 'db');
    assert.equal(sl.metadata.ownerReferences?.[0].kind, 'Endpoints');
    assert.deepEqual(sl.endpoints!.map((x) => [x.addresses[0], x.conditions.ready]), [['10.1.2.3', true], ['10.1.2.4', false]]);
    assert.deepEqual(sl.ports, [{ name: 'pg', protocol: 'TCP', port: 5432 }]);
    const k = await slicesOf(api, 'kubernetes');
    assert.deepEqual(k.map((x) => x.metadata.name), ['kubernetes']);
    assert.equal((await api.delete(`${NS}/endpoints/external-db`)).status, 200);
    await eventually(async () => ((await slicesOf(api, 'external-db')).length === 0 ? true : undefined), 'mirrored slice gone');
  });

  it('deleting the Service deletes its Endpoints and (garbage collector) its slices', async () => {
    assert.equal((await api.delete(`${NS}/services/web`)).status, 200);
    await eventually(async () => ((await api.get(`${NS}/endpoints/web`)).status === 404 ? true : undefined), 'endpoints gone');
    await eventually(async () => ((await slicesOf(api, 'web')).length === 0 ? true : undefined), 'slices gone');
  });
});
