// The seed lab on an in-process keks: an echo Deployment behind an NLB in IP mode. The Service
// gets an AWS-style hostname, the finalizer and events; both pods register healthy; 100
// requests through the local listener split across them; scale to 1 drains one target and
// traffic goes only to the other; scale to 3 registers new targets initial, then healthy, and
// traffic reaches all three. Deleting the Service deletes the NLB and releases the finalizer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../helpers/api.js';
import type { ResourceRef } from '../../src/client/client.js';
import type { TargetDoc } from '../../src/aws/services/elbv2/model.js';
import { deployment, get, hostnameOf, startLbLab, type LbLab } from './lb-helpers.js';

const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const TGBS: ResourceRef = { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'targetgroupbindings', namespaced: true };

describe('NLB IP mode: the seed lab', () => {
  let lab: LbLab;
  before(async () => { lab = await startLbLab(0.01); });
  after(async () => { await lab?.stop(); });

  const tgArn = (): string | undefined => lab.elbv2.backend.targetGroups().find((t) => t.tags.some((x) => x.key === 'service.k8s.aws/stack' && x.value === 'default/echo'))?.arn;
  const targets = (): TargetDoc[] => { const a = tgArn(); return a ? lab.elbv2.backend.targetHealth(a) : []; };
  const podIps = async (): Promise<Map<string, string>> => {
    const l = await lab.client.list(PODS, 'default', { labelSelector: 'app=echo' });
    return new Map(l.items.filter((p) => !p.metadata.deletionTimestamp && (p.status as { podIP?: string }).podIP).map((p) => [(p.status as { podIP: string }).podIP, p.metadata.name ?? '']));
  };
  const spread = async (address: string, n: number): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const r = await get(address);
      assert.equal(r.status, 200);
      const h = hostnameOf(r.body);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    return counts;
  };

  it('runs the lab end to end', async () => {
    await lab.client.create(DEPLOYMENTS, 'default', deployment('echo', 2, { image: 'k8s.gcr.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }));
    await lab.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: {
        name: 'echo', namespace: 'default', annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
          'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'deregistration_delay.timeout_seconds=60',
        },
      },
      spec: { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });

    // Hostname in AWS form, finalizer, a TargetGroupBinding.
    const svc = await eventually(async () => {
      const s = await lab.client.get(SERVICES, 'default', 'echo');
      return (s.status as { loadBalancer?: { ingress?: Array<{ hostname: string }> } }).loadBalancer?.ingress?.[0]?.hostname ? s : undefined;
    }, 'service hostname');
    const hostname = (svc.status as { loadBalancer: { ingress: Array<{ hostname: string }> } }).loadBalancer.ingress[0].hostname;
    assert.match(hostname, /^k8s-default-echo-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    assert.ok(svc.metadata.finalizers?.includes('service.k8s.aws/resources'));
    const lbDoc = lab.elbv2.backend.loadBalancers()[0];
    assert.equal(lbDoc.type, 'network');
    assert.equal(lbDoc.scheme, 'internet-facing');
    assert.deepEqual(Object.fromEntries(lbDoc.tags.map((t) => [t.key, t.value])), { 'elbv2.k8s.aws/cluster': 'keks', 'service.k8s.aws/stack': 'default/echo', 'service.k8s.aws/resource': 'LoadBalancer' });
    const tgbs = await lab.client.list(TGBS, 'default');
    assert.equal(tgbs.items.length, 1);
    assert.equal((tgbs.items[0].spec as { targetType: string }).targetType, 'ip');
    assert.equal(lab.elbv2.backend.targetGroup(tgArn() ?? '')?.attributes['deregistration_delay.timeout_seconds'], '60');

    // Two pod IPs healthy.
    const healthy2 = await eventually(async () => {
      const ips = await podIps();
      const t = targets();
      return ips.size === 2 && t.length === 2 && t.every((x) => x.state === 'healthy' && ips.has(x.id)) ? t : undefined;
    }, '2 healthy targets');
    assert.deepEqual(healthy2.map((t) => t.port), [8080, 8080]);

    // The local listener: in addresses(), the data file and an event.
    const address = await eventually(() => lab.lb.addresses().find((a) => a.hostname === hostname && a.port === 80)?.local, 'local listener');
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const file = JSON.parse(readFileSync(join(lab.tk.dataDir, 'load-balancers', 'keks.json'), 'utf8')) as { listeners: Array<{ hostname: string; local: string; owner: string }> };
    assert.deepEqual(file.listeners.map((l) => [l.hostname, l.local, l.owner]), [[hostname, address, 'Service default/echo']]);
    await eventually(async () => {
      const ev = await lab.client.list(EVENTS, 'default', { fieldSelector: 'involvedObject.name=echo' });
      const reasons = ev.items.map((e) => `${e.reason}: ${e.message}`);
      return reasons.includes('SuccessfullyReconciled: Successfully reconciled') && reasons.some((r) => r === `LocalListener: ${hostname}:80 listening on ${address}`);
    }, 'events');

    // IP targets without client IP preservation (the ip/TCP default) see the NLB's private IP.
    const first = await get(address);
    assert.match(first.body, /client_address=192\.168\.\d+\.\d+\n/);

    // 100 requests split across both pods.
    const counts = await spread(address, 100);
    assert.equal(counts.size, 2, JSON.stringify([...counts]));
    for (const [, n] of counts) assert.ok(n >= 30, JSON.stringify([...counts]));

    // Scale to 1: one target draining, traffic only to the remaining pod.
    await lab.client.patch(DEPLOYMENTS, 'default', 'echo', { spec: { replicas: 1 } });
    await eventually(() => targets().some((t) => t.state === 'draining'), 'a draining target', 10_000, 5);
    const remaining = targets().find((t) => t.state === 'healthy');
    assert.ok(remaining);
    const remainingPod = (await podIps()).get(remaining.id);
    const after1 = await spread(address, 20);
    assert.deepEqual([...after1.keys()], [remainingPod]);
    await eventually(() => targets().length === 1, 'drained target gone', 10_000);
    // The terminated pod's server is gone from the process runtime.
    await eventually(() => [...lab.runtime.servers().keys()].filter((k) => k.startsWith('default/echo-')).length === 1, 'one echo server left', 10_000);

    // Scale to 3: new targets initial, then healthy; traffic to all three.
    const seen = new Map<string, Set<string>>();
    const off = lab.elbv2.backend.onChange((c) => {
      if (c.kind !== 'targets' || c.targetGroupArn !== tgArn()) return;
      for (const t of lab.elbv2.backend.targetHealth(c.targetGroupArn)) { const s = seen.get(t.id) ?? new Set(); s.add(t.state); seen.set(t.id, s); }
    });
    await lab.client.patch(DEPLOYMENTS, 'default', 'echo', { spec: { replicas: 3 } });
    await eventually(() => targets().filter((t) => t.state === 'healthy').length === 3, '3 healthy targets', 10_000);
    // The poll above can see the last transition before its change notification ran: record the final states too.
    for (const t of targets()) { const s = seen.get(t.id) ?? new Set(); s.add(t.state); seen.set(t.id, s); }
    off();
    const fresh = [...seen].filter(([id]) => id !== remaining.id);
    assert.equal(fresh.length, 2);
    for (const [, states] of fresh) assert.deepEqual([...states], ['initial', 'healthy']);
    const counts3 = await spread(address, 60);
    assert.equal(counts3.size, 3, JSON.stringify([...counts3]));

    // Delete: NLB and target group go, the finalizer is released.
    await lab.client.delete(SERVICES, 'default', 'echo');
    await eventually(async () => {
      try { await lab.client.get(SERVICES, 'default', 'echo'); return false; } catch { return true; }
    }, 'service gone');
    await eventually(() => lab.elbv2.backend.loadBalancers().length === 0 && lab.lb.addresses().length === 0, 'NLB deleted');
  });
  it('proxy protocol v2: the echo pod reads the header and reports the client\'s address, not the NLB\'s', async () => {
    await lab.client.create(DEPLOYMENTS, 'default', deployment('pp', 1, { image: 'registry.k8s.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }));
    await lab.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: {
        name: 'pp', namespace: 'default', annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
        },
      },
      spec: { type: 'LoadBalancer', selector: { app: 'pp' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    const arn = await eventually(() => lab.elbv2.backend.targetGroups().find((t) => t.tags.some((x) => x.key === 'service.k8s.aws/stack' && x.value === 'default/pp'))?.arn, 'target group');
    assert.equal(lab.elbv2.backend.targetGroup(arn)?.attributes['proxy_protocol_v2.enabled'], 'true');
    await eventually(() => lab.elbv2.backend.targetHealth(arn).some((t) => t.state === 'healthy'), 'healthy target', 10_000);
    const address = await eventually(() => lab.lb.addresses().find((a) => a.owner === 'Service default/pp')?.local, 'local listener');
    for (let i = 0; i < 3; i++) {
      const r = await get(address, '/pp?x=1');
      assert.equal(r.status, 200);
      // Without the header this would be the NLB's private 192.168.x.y (the test above).
      assert.match(r.body, /client_address=127\.0\.0\.1\n/);
      assert.match(r.body, /request_uri=http:\/\/[^/]+\/pp\?x=1\n/);
    }
    await lab.client.delete(SERVICES, 'default', 'pp');
    await eventually(() => lab.elbv2.backend.loadBalancers().length === 0, 'NLB deleted');
  });
});
