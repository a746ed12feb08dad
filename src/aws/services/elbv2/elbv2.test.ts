// ELBv2: the backend's target health lifecycle on a FakeClock and the Describe* operations'
// shapes and errors, through the query handlers (no HTTP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../util/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { storeBackedState } from '../../core/state.js';
import { AwsError, type AwsRequestContext, type XmlObject } from '../../core/types.js';
import { fakeParams } from '../ec2/fake-params.js';
import { createElbv2, type Elbv2Module } from './elbv2.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const ctx: AwsRequestContext = {
  requestId: 'r', region: REGION, accessKeyId: 'AKIA', service: 'elasticloadbalancing', operation: 'X',
  caller: { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, type: 'root' },
};

async function setup(scale = 1): Promise<{ m: Elbv2Module; clock: FakeClock; store: MemoryStore; call: (a: string, p?: Record<string, string | number>) => Promise<XmlObject> }> {
  const clock = new FakeClock();
  const store = new MemoryStore({ clock });
  const m = await createElbv2({ clock, state: storeBackedState(store), defaultAccountId: ACCOUNT, defaultRegion: REGION, timing: { scale } });
  const call = async (a: string, p: Record<string, string | number> = {}): Promise<XmlObject> => (await m.service.actions[a](fakeParams(p, 'query'), { ...ctx, operation: a })) ?? {};
  return { m, clock, store, call };
}

async function nlb(m: Elbv2Module): Promise<{ lbArn: string; tgArn: string }> {
  const lb = await m.backend.createLoadBalancer({
    region: REGION, accountId: ACCOUNT, name: 'k8s-default-echo-0123456789', type: 'network', scheme: 'internet-facing', vpcId: 'vpc-1',
    subnets: [{ subnetId: 'subnet-a', zoneName: 'us-east-1a' }], tags: { 'elbv2.k8s.aws/cluster': 'keks' },
  });
  const tg = await m.backend.createTargetGroup({
    region: REGION, accountId: ACCOUNT, name: 'k8s-default-echo-abcdef0123', protocol: 'TCP', port: 8080, vpcId: 'vpc-1', targetType: 'ip',
    healthCheck: { intervalSeconds: 10, healthyThresholdCount: 3, unhealthyThresholdCount: 3 }, attributes: { 'deregistration_delay.timeout_seconds': '60' },
  });
  await m.backend.createListener({ loadBalancerArn: lb.arn, port: 80, protocol: 'TCP', defaultActions: [{ type: 'forward', targetGroups: [{ arn: tg.arn, weight: 1 }] }] });
  return { lbArn: lb.arn, tgArn: tg.arn };
}

const states = (m: Elbv2Module, arn: string): string[] => m.backend.targetHealth(arn).map((t) => `${t.id}=${t.state}`);

test('names, ARNs and DNS names in AWS form', async () => {
  const { m } = await setup();
  const { lbArn, tgArn } = await nlb(m);
  assert.match(lbArn, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/net\/k8s-default-echo-0123456789\/[0-9a-f]{16}$/);
  assert.match(tgArn, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/k8s-default-echo-abcdef0123\/[0-9a-f]{16}$/);
  assert.match(m.backend.loadBalancer(lbArn)?.dnsName ?? '', /^k8s-default-echo-0123456789-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
  const alb = await m.backend.createLoadBalancer({ region: REGION, accountId: ACCOUNT, name: 'k8s-grp-abc', type: 'application', scheme: 'internal', vpcId: 'vpc-1', subnets: [] });
  assert.match(alb.dnsName, /^internal-k8s-grp-abc-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  assert.equal((await m.backend.createLoadBalancer({ region: REGION, accountId: ACCOUNT, name: 'k8s-grp-abc', type: 'application', scheme: 'internal', vpcId: 'vpc-1', subnets: [] })).arn, alb.arn, 'idempotent by name');
});

test('health: initial → healthy after interval × threshold; unhealthy when failing; draining for the delay, then gone', async () => {
  const { m, clock } = await setup(1);
  const { tgArn } = await nlb(m);
  const seen: string[] = [];
  m.backend.onChange((c) => { if (c.kind === 'targets') seen.push(c.targetGroupArn); });
  await m.backend.registerTargets(tgArn, [{ id: '192.168.1.10', port: 8080 }, { id: '192.168.1.11', port: 8080, healthy: false }]);
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=initial', '192.168.1.11=initial']);
  clock.step(29_999);
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=initial', '192.168.1.11=initial']);
  clock.step(1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=healthy', '192.168.1.11=unhealthy']);
  assert.ok(seen.length >= 2, 'timer transitions are announced');
  // The failing one starts passing: healthy after 3 × 10 s.
  await m.backend.reportHealth(tgArn, [{ id: '192.168.1.11', port: 8080, healthy: true }]);
  clock.step(30_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=healthy', '192.168.1.11=healthy']);
  await m.backend.deregisterTargets(tgArn, [{ id: '192.168.1.10', port: 8080 }]);
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=draining', '192.168.1.11=healthy']);
  clock.step(59_000);
  assert.deepEqual(states(m, tgArn), ['192.168.1.10=draining', '192.168.1.11=healthy']);
  clock.step(1_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(states(m, tgArn), ['192.168.1.11=healthy']);
  assert.equal(m.backend.targetGroup(tgArn)?.targets.length, 1, 'the drained target is removed from the stored document');
});

test('DescribeTargetHealth shape, unused groups, unregistered targets, TargetGroupNotFound', async () => {
  const { m, call, clock } = await setup(0.001);
  const { tgArn } = await nlb(m);
  await m.backend.registerTargets(tgArn, [{ id: '192.168.1.10', port: 8080, availabilityZone: 'us-east-1a' }]);
  let out = await call('DescribeTargetHealth', { TargetGroupArn: tgArn });
  assert.deepEqual(out.TargetHealthDescriptions, [{
    Target: { Id: '192.168.1.10', Port: 8080, AvailabilityZone: 'us-east-1a' }, HealthCheckPort: '8080',
    TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
  }]);
  clock.step(30);
  out = await call('DescribeTargetHealth', { TargetGroupArn: tgArn });
  assert.equal(((out.TargetHealthDescriptions as XmlObject[])[0].TargetHealth as XmlObject).State, 'healthy');
  out = await call('DescribeTargetHealth', { TargetGroupArn: tgArn, 'Targets.member.1.Id': '10.0.0.9', 'Targets.member.1.Port': 80 });
  assert.deepEqual((out.TargetHealthDescriptions as XmlObject[])[0].TargetHealth, { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
  const lone = await m.backend.createTargetGroup({ region: REGION, accountId: ACCOUNT, name: 'lonely', protocol: 'TCP', port: 80, vpcId: 'vpc-1', targetType: 'ip' });
  await m.backend.registerTargets(lone.arn, [{ id: '192.168.1.12', port: 80 }]);
  out = await call('DescribeTargetHealth', { TargetGroupArn: lone.arn });
  assert.equal(((out.TargetHealthDescriptions as XmlObject[])[0].TargetHealth as XmlObject).State, 'unused');
  await assert.rejects(() => call('DescribeTargetHealth', { TargetGroupArn: tgArn.replace(/[0-9a-f]{16}$/, '0000000000000000') }),
    (e: unknown) => e instanceof AwsError && e.code === 'TargetGroupNotFound' && e.status === 400 && e.message === 'One or more target groups not found');
});

test('DescribeLoadBalancers / TargetGroups / Listeners / Rules / Tags / Attributes', async () => {
  const { m, call } = await setup(0);
  const { lbArn, tgArn } = await nlb(m);
  const lbs = (await call('DescribeLoadBalancers', { 'Names.member.1': 'k8s-default-echo-0123456789' })).LoadBalancers as XmlObject[];
  assert.equal(lbs.length, 1);
  assert.equal(lbs[0].Type, 'network');
  assert.deepEqual(lbs[0].State, { Code: 'active' });
  assert.equal(lbs[0].CanonicalHostedZoneId, 'Z26RNL4JYFTOTI');
  await assert.rejects(() => call('DescribeLoadBalancers', { 'Names.member.1': 'nope' }), (e: unknown) => e instanceof AwsError && e.code === 'LoadBalancerNotFound');
  const tgs = (await call('DescribeTargetGroups', { LoadBalancerArn: lbArn })).TargetGroups as XmlObject[];
  assert.deepEqual(tgs.map((t) => [t.TargetGroupArn, t.TargetType, t.HealthCheckIntervalSeconds, t.LoadBalancerArns]), [[tgArn, 'ip', 10, [lbArn]]]);
  const ls = (await call('DescribeListeners', { LoadBalancerArn: lbArn })).Listeners as XmlObject[];
  assert.equal(ls[0].Port, 80);
  assert.deepEqual((ls[0].DefaultActions as XmlObject[])[0].TargetGroupArn, tgArn);
  const rules = (await call('DescribeRules', { ListenerArn: ls[0].ListenerArn as string })).Rules as XmlObject[];
  assert.deepEqual(rules.map((r) => [r.Priority, r.IsDefault]), [['default', true]]);
  const tags = (await call('DescribeTags', { 'ResourceArns.member.1': lbArn })).TagDescriptions as XmlObject[];
  assert.deepEqual(tags, [{ ResourceArn: lbArn, Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'keks' }] }]);
  const attrs = (await call('DescribeTargetGroupAttributes', { TargetGroupArn: tgArn })).Attributes as XmlObject[];
  assert.deepEqual(attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds'), { Key: 'deregistration_delay.timeout_seconds', Value: '60' });
  const lbAttrs = (await call('DescribeLoadBalancerAttributes', { LoadBalancerArn: lbArn })).Attributes as XmlObject[];
  assert.deepEqual(lbAttrs.find((a) => a.Key === 'load_balancing.cross_zone.enabled'), { Key: 'load_balancing.cross_zone.enabled', Value: 'false' });
  await assert.rejects(() => m.backend.deleteTargetGroup(tgArn), (e: unknown) => e instanceof AwsError && e.code === 'ResourceInUse');
  await m.backend.deleteLoadBalancer(lbArn);
  await m.backend.deleteTargetGroup(tgArn);
  assert.deepEqual((await call('DescribeLoadBalancers')).LoadBalancers, []);
});

test('state survives a reopen over the same store; pending drains resume', async () => {
  const { m, clock, store } = await setup(1);
  const { tgArn } = await nlb(m);
  await m.backend.registerTargets(tgArn, [{ id: '192.168.1.10', port: 8080 }]);
  await m.backend.deregisterTargets(tgArn, [{ id: '192.168.1.10', port: 8080 }]);
  m.close();
  const again = await createElbv2({ clock, state: storeBackedState(store), defaultAccountId: ACCOUNT, defaultRegion: REGION, timing: { scale: 1 } });
  assert.deepEqual(states(again, tgArn), ['192.168.1.10=draining']);
  clock.step(60_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(again.backend.targetGroup(tgArn)?.targets, []);
});

test('an HTTPS or TLS listener created without SslPolicy gets ELB\'s default policy; others have none', async () => {
  const { m } = await setup();
  const alb = await m.backend.createLoadBalancer({ region: REGION, accountId: ACCOUNT, name: 'k8s-tls-abc', type: 'application', scheme: 'internal', vpcId: 'vpc-1', subnets: [] });
  const fixed = [{ type: 'fixed-response' as const, statusCode: '404' }];
  const https = await m.backend.createListener({ loadBalancerArn: alb.arn, port: 443, protocol: 'HTTPS', certificates: ['arn:aws:acm:us-east-1:000000000000:certificate/c'], defaultActions: fixed });
  const named = await m.backend.createListener({ loadBalancerArn: alb.arn, port: 8443, protocol: 'HTTPS', certificates: ['arn:aws:acm:us-east-1:000000000000:certificate/c'], sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', defaultActions: fixed });
  const http = await m.backend.createListener({ loadBalancerArn: alb.arn, port: 80, protocol: 'HTTP', defaultActions: fixed });
  assert.deepEqual([https.sslPolicy, named.sslPolicy, http.sslPolicy], ['ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-TLS13-1-2-2021-06', undefined]);
});
