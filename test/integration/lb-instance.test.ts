// Instance mode and externalTrafficPolicy: with Local only the node running the pod is a
// healthy target (the others unhealthy) and traffic reaches the pod through it; with Cluster
// every node is healthy. A TargetGroupBinding written by hand registers a Service's pods into a
// target group the user made. A LoadBalancer Service with no class gets the in-tree provider's
// classic ELB hostname.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/api.js';
import type { ResourceRef } from '../../src/client/client.js';
import { deployment, get, startLbLab, type LbLab } from './lb-helpers.js';

const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const TGBS: ResourceRef = { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'targetgroupbindings', namespaced: true };

describe('instance mode, traffic policy, TargetGroupBinding, classic', () => {
  let lab: LbLab;
  before(async () => { lab = await startLbLab(0); });
  after(async () => { await lab?.stop(); });

  it('externalTrafficPolicy Local: only the pod\'s node is healthy; Cluster: all nodes', async () => {
    await lab.client.create(DEPLOYMENTS, 'default', deployment('web', 1, { image: 'registry.k8s.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }));
    await lab.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'web', namespace: 'default', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance' } },
      spec: { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const nodes = (await lab.client.list(NODES, '')).items;
    const instanceOf = new Map(nodes.map((n) => [n.metadata.name ?? '', /\/(i-[0-9a-z]+)$/.exec((n.spec as { providerID: string }).providerID)?.[1] ?? '']));
    const pod = await eventually(async () => (await lab.client.list(PODS, 'default', { labelSelector: 'app=web' })).items.find((p) => (p.spec as { nodeName?: string }).nodeName), 'scheduled pod');
    const podNode = (pod.spec as { nodeName: string }).nodeName;
    const svc = await lab.client.get(SERVICES, 'default', 'web');
    const nodePort = (svc.spec as { ports: Array<{ nodePort: number }> }).ports[0].nodePort;

    const tg = () => lab.elbv2.backend.targetGroups()[0];
    const states = await eventually(() => {
      const t = tg() && lab.elbv2.backend.targetHealth(tg().arn);
      return t && t.length === 3 && t.every((x) => x.state === 'healthy' || x.state === 'unhealthy') ? t : undefined;
    }, 'three settled instance targets');
    assert.equal(tg().targetType, 'instance');
    assert.equal(tg().healthCheck.protocol, 'HTTP', 'Local: HTTP health checks on the healthCheckNodePort');
    assert.equal(tg().healthCheck.path, '/healthz');
    assert.deepEqual(states.map((s) => s.port), [nodePort, nodePort, nodePort]);
    assert.deepEqual(states.filter((s) => s.state === 'healthy').map((s) => s.id), [instanceOf.get(podNode)]);
    assert.equal(states.filter((s) => s.state === 'unhealthy').length, 2);
    assert.equal(states.find((s) => s.state === 'unhealthy')?.reason, 'Target.FailedHealthChecks');

    const address = await eventually(() => lab.lb.addresses()[0]?.local, 'listener');
    // Local keeps the client's address (loopback here); every request reaches the one pod.
    for (let i = 0; i < 6; i++) {
      const r = await get(address);
      assert.equal(r.status, 200);
      assert.match(r.body, new RegExp(`Hostname: ${pod.metadata.name}\n`));
      assert.match(r.body, /client_address=127\.0\.0\.1\n/);
    }

    await lab.client.patch(SERVICES, 'default', 'web', { spec: { externalTrafficPolicy: 'Cluster' } });
    await eventually(() => {
      const t = tg() && lab.elbv2.backend.targetHealth(tg().arn);
      return tg()?.healthCheck.protocol === 'TCP' && t.length === 3 && t.every((x) => x.state === 'healthy');
    }, 'all nodes healthy with Cluster');
    assert.equal(lab.elbv2.backend.targetGroups().length, 1, 'the Local group was replaced');
    // Cluster: kube-proxy SNATs to the node the connection entered, so the pod sees a node IP.
    const nodeIps = new Set(nodes.map((n) => (n.status as { addresses: Array<{ type: string; address: string }> }).addresses.find((a) => a.type === 'InternalIP')?.address));
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(/client_address=(\S+)/.exec((await get(address)).body)?.[1] ?? '');
    for (const ip of seen) assert.ok(nodeIps.has(ip), `${ip} is a node IP`);
    assert.equal(seen.size, 3, 'connections enter through all three nodes');
  });

  it('a hand-written TargetGroupBinding registers the Service\'s pods into the user\'s target group', async () => {
    const own = await lab.elbv2.backend.createTargetGroup({ region: 'us-east-1', accountId: '000000000000', name: 'my-own-tg', protocol: 'TCP', port: 80, vpcId: 'vpc-1', targetType: 'ip' });
    await lab.client.create(TGBS, 'default', {
      apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'mine', namespace: 'default' },
      spec: { targetGroupARN: own.arn, targetType: 'ip', serviceRef: { name: 'web', port: 80 } },
    });
    const pod = (await lab.client.list(PODS, 'default', { labelSelector: 'app=web' })).items[0];
    const ip = (pod.status as { podIP: string }).podIP;
    await eventually(() => lab.elbv2.backend.targetHealth(own.arn).map((t) => `${t.id}:${t.port}`).join() === `${ip}:8080`, 'pod registered');
    const tgb = await eventually(async () => {
      const o = await lab.client.get(TGBS, 'default', 'mine');
      return o.metadata.finalizers?.includes('elbv2.k8s.aws/resources') && (o.status as { observedGeneration?: number } | undefined)?.observedGeneration === 1 ? o : undefined;
    }, 'finalizer and status');
    assert.ok(tgb);
    await lab.client.delete(TGBS, 'default', 'mine');
    await eventually(() => lab.elbv2.backend.targetHealth(own.arn).every((t) => t.state === 'draining'), 'deregistered on delete');
    await eventually(async () => { try { await lab.client.get(TGBS, 'default', 'mine'); return false; } catch { return true; } }, 'binding gone');
  });

  it('a LoadBalancer Service without class or annotations gets a classic ELB hostname', async () => {
    const created = await lab.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const uid = (created.metadata.uid ?? '').replace(/-/g, '');
    const host = await eventually(async () => ((await lab.client.get(SERVICES, 'default', 'legacy')).status as { loadBalancer?: { ingress?: Array<{ hostname: string }> } }).loadBalancer?.ingress?.[0]?.hostname, 'classic hostname');
    assert.match(host, new RegExp(`^a${uid.slice(0, 31)}-\\d{10}\\.us-east-1\\.elb\\.amazonaws\\.com$`));
    await eventually(async () => {
      const ev = (await lab.client.list(EVENTS, 'default', { fieldSelector: 'involvedObject.name=legacy' })).items.map((e) => e.reason);
      return ev.includes('EnsuringLoadBalancer') && ev.includes('EnsuredLoadBalancer');
    }, 'service-controller events');
    assert.equal(lab.elbv2.backend.loadBalancers().filter((l) => l.tags.some((t) => t.value === 'default/legacy')).length, 0, 'no ELBv2 load balancer');
    // A real listener too: ELB → node → kube-proxy (SNAT) → pod.
    const classic = await eventually(() => lab.lb.addresses().find((a) => a.hostname === host && a.type === 'classic'), 'classic listener');
    const r = await get(classic.local);
    assert.equal(r.status, 200);
    const pod = (await lab.client.list(PODS, 'default', { labelSelector: 'app=web' })).items[0];
    const node = await lab.client.get(NODES, '', (pod.spec as { nodeName: string }).nodeName);
    const nodeIp = (node.status as { addresses: Array<{ type: string; address: string }> }).addresses.find((a) => a.type === 'InternalIP')?.address;
    assert.match(r.body, new RegExp(`client_address=${nodeIp?.replace(/\./g, '\\.')}\n`));
    await lab.client.patch(SERVICES, 'default', 'legacy', { spec: { type: 'ClusterIP' } });
    await eventually(() => !lab.lb.addresses().some((a) => a.type === 'classic'), 'classic listener closed');
  });
});
