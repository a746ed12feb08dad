// Naming/hashes, annotation parsing, the Service and Ingress stack models, target selection and
// ALB routing of the load balancer add-on (pure functions, no cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { BuildModelError, parseIngressAnnotations, parseListenPorts, parseServiceAnnotations, serviceLbMode } from './annotations.js';
import { route, TargetPool, WeightedChoice } from './balancer.js';
import { buildIngressStack, pathPatterns, type GroupMember } from './ingress-model.js';
import { albName, classicElbHostname, nlbName, serviceTargetGroupName } from './naming.js';
import { buildServiceStack } from './service-model.js';
import { instanceTargets, ipTargets, parseProviderId, serviceEndpoints, type ClusterView } from './targets.js';
import type { RuleDoc, TargetDoc } from '../../aws/services/elbv2/model.js';

const svc = (annotations: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'echo-service', namespace: 'default', uid: '5a4c3b2a-1111-2222-3333-444455556666', annotations },
  spec: { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080, nodePort: 31000, protocol: 'TCP' }], ...spec },
});

test('NLB and target group names: k8s-%.8s-%.8s-%.10s over the controller\'s sha256 inputs', () => {
  const uid = '5a4c3b2a-1111-2222-3333-444455556666';
  const h = createHash('sha256').update('keks').update(uid).update('internet-facing').digest('hex').slice(0, 10);
  assert.equal(nlbName('keks', { namespace: 'default', name: 'echo-service', uid }, 'internet-facing'), `k8s-default-echoserv-${h}`);
  assert.match(serviceTargetGroupName({ clusterName: 'keks', namespace: 'my-ns', name: 'a.b', uid, tgPort: 8080, svcPort: '80', targetType: 'ip', protocol: 'TCP', hcProtocol: 'TCP', hcInterval: 10 }), /^k8s-myns-ab-[0-9a-f]{10}$/);
  assert.match(albName('keks', { namespace: '', name: 'shared-group', explicit: true }, 'internal'), /^k8s-sharedgroup-[0-9a-f]{10}$/);
  assert.match(classicElbHostname(uid, 'us-west-2'), /^a5a4c3b2a11112222333344445555666-\d{10}\.us-west-2\.elb\.amazonaws\.com$/);
  assert.equal(classicElbHostname(uid, 'us-west-2'), classicElbHostname(uid, 'us-west-2'), 'stable');
});

test('which Services get which load balancer', () => {
  assert.equal(serviceLbMode(svc({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' })), 'nlb');
  assert.equal(serviceLbMode(svc({}, { loadBalancerClass: 'service.k8s.aws/nlb' })), 'nlb');
  assert.equal(serviceLbMode(svc({}, { loadBalancerClass: 'example.com/other' })), 'none');
  assert.equal(serviceLbMode(svc({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' })), 'legacy-nlb');
  assert.equal(serviceLbMode(svc({})), 'classic');
  assert.equal(serviceLbMode(svc({}, { type: 'ClusterIP' })), 'none');
});

test('Service annotations: defaults, health checks, attributes, proxy protocol, errors', () => {
  const d = parseServiceAnnotations(svc({}));
  assert.deepEqual([d.scheme, d.targetType, d.healthCheck.protocol, d.healthCheck.port, d.healthCheck.intervalSeconds, d.healthCheck.healthyThresholdCount], ['internal', 'instance', 'TCP', 'traffic-port', 10, 3]);
  const s = parseServiceAnnotations(svc({
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    'service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol': 'http',
    'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': '/healthz',
    'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '5',
    'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
    'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
    'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'deregistration_delay.timeout_seconds=30, preserve_client_ip.enabled=true',
  }));
  assert.deepEqual([s.scheme, s.targetType, s.healthCheck.protocol, s.healthCheck.path, s.healthCheck.intervalSeconds, s.healthCheck.matcher], ['internet-facing', 'ip', 'HTTP', '/healthz', 5, '200-399']);
  assert.deepEqual(s.tgAttributes, { 'deregistration_delay.timeout_seconds': '30', 'preserve_client_ip.enabled': 'true', 'proxy_protocol_v2.enabled': 'true' });
  assert.deepEqual(s.lbAttributes, { 'load_balancing.cross_zone.enabled': 'true' });
  const local = parseServiceAnnotations(svc({}, { externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 }));
  assert.deepEqual([local.healthCheck.protocol, local.healthCheck.port, local.healthCheck.path, local.healthCheck.healthyThresholdCount], ['HTTP', '32000', '/healthz', 2]);
  assert.throws(() => parseServiceAnnotations(svc({ 'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': 'v2' })), BuildModelError);
  assert.throws(() => parseServiceAnnotations(svc({ 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'pod' })), /unknown targetType: pod/);
  assert.throws(() => parseServiceAnnotations(svc({ 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': 'ten' })), /failed to parse int64 annotation/);
});

test('Service stack: listener per port, ip mode on the targetPort, instance on the NodePort, tags', () => {
  const ip = buildServiceStack('keks', svc({ 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' }));
  assert.equal(ip.loadBalancer.type, 'network');
  assert.deepEqual(ip.targetGroups.map((t) => [t.port, t.targetType, t.tags['service.k8s.aws/resource']]), [[8080, 'ip', 'default/echo-service:80']]);
  assert.deepEqual(ip.listeners.map((l) => [l.port, l.protocol]), [[80, 'TCP']]);
  assert.deepEqual(ip.stackTags, { 'elbv2.k8s.aws/cluster': 'keks', 'service.k8s.aws/stack': 'default/echo-service' });
  const inst = buildServiceStack('keks', svc({}));
  assert.equal(inst.targetGroups[0].port, 31000);
  assert.notEqual(inst.targetGroups[0].name, ip.targetGroups[0].name);
});

test('Ingress annotations and the ALB group model: host/path rules in member order, ssl-redirect, conflicts', () => {
  assert.deepEqual(parseListenPorts('[{"HTTP": 80}, {"HTTPS": 443}]'), [{ protocol: 'HTTP', port: 80 }, { protocol: 'HTTPS', port: 443 }]);
  assert.throws(() => parseListenPorts('[{"TCP": 80}]'), BuildModelError);
  assert.deepEqual(pathPatterns('/', 'Prefix'), ['/*']);
  assert.deepEqual(pathPatterns('/api/', 'Prefix'), ['/api', '/api/*']);
  assert.deepEqual(pathPatterns('/x', 'Exact'), ['/x']);
  const services = (_ns: string, name: string): KubeObject => ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } });
  const ing = (name: string, ann: Record<string, string>, spec: Record<string, unknown>): KubeObject => ({ metadata: { name, namespace: 'default', annotations: { 'alb.ingress.kubernetes.io/group.name': 'shared', ...ann } }, spec });
  const a = ing('a', { 'alb.ingress.kubernetes.io/group.order': '2', 'alb.ingress.kubernetes.io/target-type': 'ip' }, { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc-a', port: { number: 80 } } } }] } }] });
  const b = ing('b', { 'alb.ingress.kubernetes.io/group.order': '1', 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }, { rules: [{ http: { paths: [{ path: '/b', pathType: 'Prefix', backend: { service: { name: 'svc-b', port: { number: 80 } } } }] } }] });
  const g = { namespace: '', name: 'shared', explicit: true };
  const m = buildIngressStack('keks', g, [{ ingress: a, spec: parseIngressAnnotations(a) }, { ingress: b, spec: parseIngressAnnotations(b) }], services);
  assert.equal(m.loadBalancer.type, 'application');
  assert.equal(m.loadBalancer.scheme, 'internet-facing');
  assert.deepEqual(m.listeners.map((l) => [l.port, l.protocol, l.defaultActions[0].type]), [[80, 'HTTP', 'fixed-response']]);
  assert.deepEqual(m.listeners[0].rules.map((r) => [r.priority, r.conditions]), [
    [1, [{ field: 'path-pattern', values: ['/b', '/b/*'] }]],
    [2, [{ field: 'host-header', values: ['a.example.com'] }, { field: 'path-pattern', values: ['/*'] }]],
  ]);
  assert.deepEqual(m.targetGroups.map((t) => [t.binding.serviceName, t.targetType, t.port, t.healthCheck.protocol, t.healthCheck.intervalSeconds]), [['svc-b', 'instance', 30080, 'HTTP', 15], ['svc-a', 'ip', 8080, 'HTTP', 15]]);
  const c = ing('c', { 'alb.ingress.kubernetes.io/scheme': 'internal' }, { defaultBackend: { service: { name: 'svc-a', port: { number: 80 } } } });
  assert.throws(() => buildIngressStack('keks', g, [b, c].map((x) => ({ ingress: x, spec: parseIngressAnnotations(x) })), services), /conflicting scheme/);
  const r = ing('r', { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'alb.ingress.kubernetes.io/ssl-redirect': '443', 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:000000000000:certificate/x' }, { defaultBackend: { service: { name: 'svc-a', port: { number: 80 } } } });
  const rm = buildIngressStack('keks', g, [{ ingress: r, spec: parseIngressAnnotations(r) }], services);
  assert.deepEqual(rm.listeners.map((l) => [l.port, l.defaultActions[0].type, l.certificates.length]), [[80, 'redirect', 0], [443, 'forward', 1]]);
});

test('targets: ready endpoints for ip mode; instance health with Cluster vs Local traffic policy', () => {
  const slice: KubeObject = {
    metadata: { name: 's', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo-service' } },
    ports: [{ name: '', port: 8080 }],
    endpoints: [
      { addresses: ['10.0.0.1'], conditions: { ready: true }, nodeName: 'n1', zone: 'us-east-1a' },
      { addresses: ['10.0.0.2'], conditions: { ready: false }, nodeName: 'n2' },
      { addresses: ['10.0.0.3'], conditions: { ready: false, terminating: true }, nodeName: 'n2' },
    ],
  };
  const view: ClusterView = { slicesOf: () => [slice], podsIn: () => [], nodes: () => [] };
  const eps = serviceEndpoints(view, svc({}), { port: 80, targetPort: 8080 });
  assert.deepEqual(ipTargets(eps), [{ id: '10.0.0.1', port: 8080, availabilityZone: 'us-east-1a', healthy: true }]);
  const nodes = [{ name: 'n1', instanceId: 'i-1', zone: 'us-east-1a' }, { name: 'n2', instanceId: 'i-2', zone: 'us-east-1b' }];
  assert.deepEqual(instanceTargets(nodes, 31000, eps, false).map((t) => t.healthy), [true, true]);
  assert.deepEqual(instanceTargets(nodes, 31000, eps, true).map((t) => [t.id, t.healthy]), [['i-1', true], ['i-2', false]]);
  assert.deepEqual(parseProviderId('aws:///us-east-1a/i-0123abc'), { zone: 'us-east-1a', instanceId: 'i-0123abc' });
  assert.equal(parseProviderId('kind://docker/x'), undefined);
});

test('round-robin over healthy targets only; unresolvable ones skipped; weighted groups; ALB routing', () => {
  const t = (id: string, state: TargetDoc['state']): TargetDoc => ({ id, port: 80, state, since: 0, probe: true });
  const pool = new TargetPool();
  pool.set([t('a', 'healthy'), t('b', 'draining'), t('c', 'healthy'), t('d', 'initial'), t('e', 'unhealthy')]);
  const resolve = (x: TargetDoc): { host: string; port: number } => ({ host: x.id, port: 1 });
  assert.deepEqual([1, 2, 3, 4].map(() => pool.pick(resolve)?.host), ['a', 'c', 'a', 'c']);
  assert.deepEqual([1, 2].map(() => pool.pick((x) => (x.id === 'a' ? undefined : resolve(x)))?.host), ['c', 'c']);
  pool.set([]);
  assert.equal(pool.pick(resolve), undefined);
  const w = new WeightedChoice();
  const picks = Array.from({ length: 4 }, () => w.choose([{ arn: 'x', weight: 3 }, { arn: 'y', weight: 1 }]));
  assert.deepEqual(picks.sort(), ['x', 'x', 'x', 'y']);
  const fwd = (arn: string): RuleDoc['actions'] => [{ type: 'forward', targetGroups: [{ arn, weight: 1 }] }];
  const rules: RuleDoc[] = [
    { arn: '1', listenerArn: 'l', priority: '1', conditions: [{ field: 'host-header', values: ['*.example.com'] }, { field: 'path-pattern', values: ['/api/*'] }], actions: fwd('api'), tags: [] },
    { arn: '2', listenerArn: 'l', priority: '2', conditions: [{ field: 'path-pattern', values: ['/b', '/b/*'] }], actions: fwd('b'), tags: [] },
    { arn: 'd', listenerArn: 'l', priority: 'default', conditions: [], actions: fwd('default'), tags: [] },
  ];
  const to = (host: string, path: string): string => { const a = route(rules, host, path)[0]; return a.type === 'forward' ? a.targetGroups[0].arn : a.type; };
  assert.equal(to('A.Example.com:8080', '/api/v1'), 'api');
  assert.equal(to('example.com', '/api/v1'), 'default');
  assert.equal(to('x', '/b'), 'b');
  assert.equal(to('x', '/bc'), 'default');
  assert.equal(to('x', '/B'), 'default', 'paths are case-sensitive');
});

test('HTTPS listeners carry the ssl-policy: IngressClassParams, else the annotation, else the controller default', () => {
  const ing = (name: string, policy?: string): GroupMember => {
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name, namespace: 'default', annotations: {
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS": 443}]', 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:000000000000:certificate/c',
        'alb.ingress.kubernetes.io/target-type': 'ip', ...(policy ? { 'alb.ingress.kubernetes.io/ssl-policy': policy } : {}),
      } },
      spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    };
    return { ingress, spec: parseIngressAnnotations(ingress) };
  };
  const svc = (): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } });
  const g = { namespace: '', name: 'g', explicit: true };
  const policy = (members: GroupMember[], params = {}): string | undefined => buildIngressStack('keks', g, members, svc, params).listeners[0].sslPolicy;
  assert.equal(policy([ing('a')]), 'ELBSecurityPolicy-2016-08');
  assert.equal(policy([ing('a', 'ELBSecurityPolicy-TLS13-1-2-2021-06')]), 'ELBSecurityPolicy-TLS13-1-2-2021-06');
  assert.equal(policy([ing('a', 'ELBSecurityPolicy-TLS13-1-2-2021-06')], { sslPolicy: 'ELBSecurityPolicy-FS-1-2-2019-08' }), 'ELBSecurityPolicy-FS-1-2-2019-08');
});
