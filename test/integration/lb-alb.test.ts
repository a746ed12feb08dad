// An ALB Ingress group: two Ingresses with `group.name: shared` share one ALB (ip mode for one
// backend, instance mode over a NodePort for the other); host and path rules route real
// requests through the local listener; removing a member takes its rule away and releases its
// finalizer; removing the last deletes the ALB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/api.js';
import type { KubeObject } from '../../src/api/types.js';
import type { ResourceRef } from '../../src/client/client.js';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployment, get, startLbLab, type LbLab } from './lb-helpers.js';

const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const INGRESSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true };

function ingress(name: string, annotations: Record<string, string>, rule: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { 'alb.ingress.kubernetes.io/group.name': 'shared', 'alb.ingress.kubernetes.io/scheme': 'internet-facing', ...annotations } },
    spec: { ingressClassName: 'alb', rules: [rule] },
  };
}

const hostOf = (i: KubeObject): string | undefined => (i.status as { loadBalancer?: { ingress?: Array<{ hostname?: string }> } } | undefined)?.loadBalancer?.ingress?.[0]?.hostname;

describe('ALB Ingress group', () => {
  let lab: LbLab;
  before(async () => { lab = await startLbLab(0); });
  after(async () => { await lab?.stop(); });

  it('shares one ALB and routes by host and path', async () => {
    for (const [name, text] of [['fruit-a', 'apple'], ['fruit-b', 'banana']]) {
      await lab.client.create(DEPLOYMENTS, 'default', deployment(name, 1, { image: 'hashicorp/http-echo', args: [`-text=${text}`], ports: [{ containerPort: 5678 }] }));
    }
    await lab.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fruit-a', namespace: 'default' }, spec: { selector: { app: 'fruit-a' }, ports: [{ port: 80, targetPort: 5678 }] } });
    await lab.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fruit-b', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'fruit-b' }, ports: [{ port: 80, targetPort: 5678 }] } });
    await lab.client.create(INGRESSES, 'default', ingress('ing-a', { 'alb.ingress.kubernetes.io/target-type': 'ip' }, {
      host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'fruit-a', port: { number: 80 } } } }] },
    }));
    await lab.client.create(INGRESSES, 'default', ingress('ing-b', {}, {
      http: { paths: [{ path: '/b', pathType: 'Prefix', backend: { service: { name: 'fruit-b', port: { number: 80 } } } }] },
    }));

    const [a, b] = await eventually(async () => {
      const both = await Promise.all(['ing-a', 'ing-b'].map((n) => lab.client.get(INGRESSES, 'default', n)));
      return both.every((i) => hostOf(i)) ? both : undefined;
    }, 'both ingresses have a hostname');
    assert.equal(hostOf(a), hostOf(b));
    assert.match(hostOf(a) ?? '', /^k8s-shared-[0-9a-f]{10}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.ok(a.metadata.finalizers?.includes('group.ingress.k8s.aws/shared'));
    const albs = lab.elbv2.backend.loadBalancers();
    assert.deepEqual(albs.map((l) => [l.type, l.scheme]), [['application', 'internet-facing']]);
    const tgs = lab.elbv2.backend.targetGroups();
    assert.deepEqual(tgs.map((t) => t.targetType).sort(), ['instance', 'ip']);

    // Targets healthy: one pod IP (ip mode), the three nodes on the NodePort (instance mode).
    await eventually(() => tgs.every((t) => {
      const th = lab.elbv2.backend.targetHealth(t.arn);
      return th.length === (t.targetType === 'ip' ? 1 : 3) && th.every((x) => x.state === 'healthy');
    }), 'targets healthy');
    const address = await eventually(() => lab.lb.addresses().find((x) => x.hostname === hostOf(a))?.local, 'ALB local listener');

    assert.deepEqual(await get(address, '/', { Host: 'a.example.com' }).then((r) => [r.status, r.body]), [200, 'apple\n']);
    assert.deepEqual(await get(address, '/anything/deeper', { Host: 'a.example.com' }).then((r) => [r.status, r.body]), [200, 'apple\n']);
    assert.deepEqual(await get(address, '/b', { Host: 'elsewhere.example.com' }).then((r) => [r.status, r.body]), [200, 'banana\n']);
    assert.deepEqual(await get(address, '/b/c', { Host: 'x' }).then((r) => [r.status, r.body]), [200, 'banana\n']);
    const miss = await get(address, '/', { Host: 'x' });
    assert.equal(miss.status, 404, 'the default action is a fixed 404');
    assert.equal(miss.headers.server, 'awselb/2.0');

    // ing-b leaves: its rule goes, its finalizer is released, ing-a keeps the ALB.
    await lab.client.delete(INGRESSES, 'default', 'ing-b');
    await eventually(async () => {
      try { await lab.client.get(INGRESSES, 'default', 'ing-b'); return false; } catch { return true; }
    }, 'ing-b gone');
    await eventually(async () => (await get(address, '/b', { Host: 'x' })).status === 404, '/b no longer routed');
    assert.equal((await get(address, '/', { Host: 'a.example.com' })).body, 'apple\n');
    assert.equal(lab.elbv2.backend.loadBalancers().length, 1);

    await lab.client.delete(INGRESSES, 'default', 'ing-a');
    await eventually(() => lab.elbv2.backend.loadBalancers().length === 0 && lab.elbv2.backend.targetGroups().length === 0, 'ALB and groups deleted');
  });

  it('IngressClassParams set the group and scheme of Ingresses of its class', async () => {
    const ICP: ResourceRef = { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'ingressclassparams', namespaced: false };
    const CLASSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', namespaced: false };
    await lab.client.create(ICP, '', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'team' }, spec: { group: { name: 'team-group' }, scheme: 'internet-facing', tags: [{ key: 'team', value: 'blue' }] } });
    await lab.client.create(CLASSES, '', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'team-alb' }, spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'team' } } });
    await lab.client.create(INGRESSES, 'default', {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing-team', namespace: 'default', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } },
      spec: { ingressClassName: 'team-alb', defaultBackend: { service: { name: 'fruit-a', port: { number: 80 } } } },
    });
    const ing = await eventually(async () => { const i = await lab.client.get(INGRESSES, 'default', 'ing-team'); return hostOf(i) ? i : undefined; }, 'hostname');
    assert.match(hostOf(ing) ?? '', /^k8s-teamgroup-[0-9a-f]{10}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.ok(ing.metadata.finalizers?.includes('group.ingress.k8s.aws/team-group'));
    const alb = lab.elbv2.backend.loadBalancers().find((l) => l.dnsName === hostOf(ing));
    assert.equal(alb?.scheme, 'internet-facing');
    assert.ok(alb?.tags.some((t) => t.key === 'team' && t.value === 'blue'));
    const address = await eventually(() => lab.lb.addresses().find((x) => x.hostname === hostOf(ing))?.local, 'listener');
    await eventually(async () => (await get(address, '/any', { Host: 'whatever' })).body === 'apple\n', 'default backend answers');
    const tgs = await lab.client.list({ group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'targetgroupbindings', namespaced: true }, 'default');
    assert.equal(tgs.items.length, 1);
  });

  it('HTTPS listener with a certificate-arn terminates TLS; ssl-redirect answers HTTP with a 301 to HTTPS', async () => {
    await lab.client.create(INGRESSES, 'default', {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name: 'ing-tls', namespace: 'default', annotations: {
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
        'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      } },
      spec: { ingressClassName: 'alb', defaultBackend: { service: { name: 'fruit-a', port: { number: 80 } } } },
    });
    const ing = await eventually(async () => { const i = await lab.client.get(INGRESSES, 'default', 'ing-tls'); return hostOf(i) ? i : undefined; }, 'hostname');
    const host = hostOf(ing) ?? '';
    const listeners = await eventually(() => {
      const ls = lab.lb.addresses().filter((x) => x.hostname === host);
      return ls.length === 2 ? ls : undefined;
    }, 'two listeners');
    const plain = listeners.find((l) => l.protocol === 'HTTP');
    const tls = listeners.find((l) => l.protocol === 'HTTPS');
    assert.ok(plain && tls, JSON.stringify(listeners));
    // The ssl-policy annotation reaches the HTTPS listener (DescribeListeners SslPolicy); HTTP has none.
    const docs = lab.elbv2.backend.listeners(tls.loadBalancerArn);
    assert.deepEqual(docs.map((l) => [l.protocol, l.sslPolicy]).sort(), [['HTTP', undefined], ['HTTPS', 'ELBSecurityPolicy-TLS13-1-2-2021-06']]);
    const redirect = await get(plain.local, '/x?y=1', { Host: host });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `https://${host}/x?y=1`);

    const ca = readFileSync(join(lab.tk.dataDir, 'load-balancers', 'keks-ca.crt'), 'utf8');
    const [h, port] = tls.local.split(':');
    const body = await eventually(() => new Promise<string | undefined>((resolve) => {
      const req = https.get({ host: h, port: Number(port), path: '/', servername: host, headers: { Host: host }, ca, agent: false, timeout: 5000 }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve(res.statusCode === 200 ? text : undefined));
      });
      req.on('error', () => resolve(undefined));
    }), 'HTTPS answer verified against the load balancers CA');
    assert.equal(body, 'apple\n');
  });
});
