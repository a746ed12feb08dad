// The seed lab seen through the real clients: the aws CLI (elbv2 describe-load-balancers,
// describe-target-groups, describe-target-health, describe-listeners, describe-tags, the
// TargetGroupNotFound error), curl through the local listener, and `keks lb`'s listing.
// The ELBv2 service is served by an AwsEndpoint of its own here (the composition root serves it
// beside EKS, IAM, … when wired).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { lbCommand } from '../../src/cli/lb.js';
import type { ResourceRef } from '../../src/client/client.js';
import { awsCliSkip, cliError, runAws } from '../helpers/aws.js';
import { eventually } from '../helpers/api.js';
import { deployment, startLbLab, type LbLab } from '../integration/lb-helpers.js';

const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const run = promisify(execFile);

interface TargetHealthDescription { Target: { Id: string; Port: number }; TargetHealth: { State: string } }

describe('NLB seed lab with the aws CLI and curl', { skip: awsCliSkip }, () => {
  let lab: LbLab;
  let endpoint: AwsEndpoint;
  before(async () => {
    lab = await startLbLab(0.01);
    endpoint = new AwsEndpoint({
      services: [lab.elbv2.service], port: 0,
      credentials: staticCredentials([rootAccessKey({ accountId: '000000000000', accessKeyId: 'test', secretAccessKey: 'test' })]),
    });
    await endpoint.start();
  });
  after(async () => {
    await endpoint?.stop();
    await lab?.stop();
  });

  it('describe-target-health lists the pod IPs healthy; curl reaches both pods', async () => {
    const aws = (args: string[]): ReturnType<typeof runAws> => runAws(['elbv2', ...args], { endpoint: endpoint.url });
    await lab.client.create(DEPLOYMENTS, 'default', deployment('echo', 2, { image: 'registry.k8s.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }));
    await lab.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'echo', namespace: 'default', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } },
      spec: { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const hostname = await eventually(async () => ((await lab.client.get(SERVICES, 'default', 'echo')).status as { loadBalancer?: { ingress?: Array<{ hostname: string }> } }).loadBalancer?.ingress?.[0]?.hostname, 'hostname');

    const lbs = await aws(['describe-load-balancers']);
    assert.equal(lbs.code, 0, lbs.stderr);
    const lb = (lbs.json as { LoadBalancers: Array<{ LoadBalancerArn: string; DNSName: string; Type: string; Scheme: string; State: { Code: string } }> }).LoadBalancers[0];
    assert.deepEqual([lb.DNSName, lb.Type, lb.Scheme, lb.State.Code], [hostname, 'network', 'internet-facing', 'active']);
    const tgs = await aws(['describe-target-groups', '--load-balancer-arn', lb.LoadBalancerArn]);
    const tg = (tgs.json as { TargetGroups: Array<{ TargetGroupArn: string; TargetType: string; Port: number }> }).TargetGroups[0];
    assert.deepEqual([tg.TargetType, tg.Port], ['ip', 8080]);

    const pods = await lab.client.list(PODS, 'default', { labelSelector: 'app=echo' });
    const health = await eventually(async () => {
      const r = await aws(['describe-target-health', '--target-group-arn', tg.TargetGroupArn]);
      const d = (r.json as { TargetHealthDescriptions: TargetHealthDescription[] } | undefined)?.TargetHealthDescriptions ?? [];
      return d.length === 2 && d.every((x) => x.TargetHealth.State === 'healthy') ? d : undefined;
    }, 'two healthy targets', 20_000, 200);
    const ips = pods.items.map((p) => (p.status as { podIP: string }).podIP).sort();
    assert.deepEqual(health.map((h) => h.Target.Id).sort(), ips);

    const listeners = await aws(['describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn]);
    assert.deepEqual((listeners.json as { Listeners: Array<{ Port: number; Protocol: string }> }).Listeners.map((l) => [l.Port, l.Protocol]), [[80, 'TCP']]);
    const tags = await aws(['describe-tags', '--resource-arns', lb.LoadBalancerArn]);
    const tagMap = Object.fromEntries((tags.json as { TagDescriptions: Array<{ Tags: Array<{ Key: string; Value: string }> }> }).TagDescriptions[0].Tags.map((t) => [t.Key, t.Value]));
    assert.equal(tagMap['service.k8s.aws/stack'], 'default/echo');
    const missing = await aws(['describe-target-health', '--target-group-arn', tg.TargetGroupArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef')]);
    assert.deepEqual(cliError(missing), { code: 'TargetGroupNotFound', operation: 'DescribeTargetHealth', message: 'One or more target groups not found' });

    // `keks lb` lists hostname → local address; curl goes through it.
    let listing = '';
    assert.equal(lbCommand(['--home', lab.tk.dataDir], (s) => { listing += s; }), 0);
    const row = listing.split('\n').find((l) => l.startsWith(hostname));
    assert.ok(row, listing);
    const local = /127\.0\.0\.1:\d+/.exec(row)?.[0] ?? '';
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const { stdout } = await run('curl', ['-s', '--max-time', '5', `http://${local}/`]);
      seen.add(/Hostname: (\S+)/.exec(stdout)?.[1] ?? '');
    }
    assert.deepEqual([...seen].sort(), pods.items.map((p) => p.metadata.name).sort());
  });

  it('a target group made with the aws CLI, bound by a TargetGroupBinding, serves traffic', async () => {
    const aws = (args: string[]): ReturnType<typeof runAws> => runAws(['elbv2', ...args], { endpoint: endpoint.url });
    const tgRes = await aws(['create-target-group', '--name', 'manual-tg', '--protocol', 'TCP', '--port', '8080', '--vpc-id', 'vpc-0123', '--target-type', 'ip', '--health-check-interval-seconds', '10']);
    assert.equal(tgRes.code, 0, tgRes.stderr);
    const tgArn = (tgRes.json as { TargetGroups: Array<{ TargetGroupArn: string; HealthCheckIntervalSeconds: number }> }).TargetGroups[0].TargetGroupArn;
    const lbRes = await aws(['create-load-balancer', '--name', 'manual-nlb', '--type', 'network', '--subnets', 'subnet-aaa', 'subnet-bbb']);
    assert.equal(lbRes.code, 0, lbRes.stderr);
    const lb = (lbRes.json as { LoadBalancers: Array<{ LoadBalancerArn: string; DNSName: string }> }).LoadBalancers[0];
    assert.match(lb.DNSName, /^manual-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    const lis = await aws(['create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'TCP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`]);
    assert.equal(lis.code, 0, lis.stderr);
    const dup = await aws(['create-target-group', '--name', 'manual-tg', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-0123']);
    assert.equal(cliError(dup)?.code, 'DuplicateTargetGroupName');

    await lab.client.create({ group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'targetgroupbindings', namespaced: true }, 'default', {
      apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'manual', namespace: 'default' },
      spec: { targetGroupARN: tgArn, targetType: 'ip', serviceRef: { name: 'echo', port: 80 } },
    });
    await eventually(async () => {
      const r = await aws(['describe-target-health', '--target-group-arn', tgArn]);
      const d = (r.json as { TargetHealthDescriptions: TargetHealthDescription[] } | undefined)?.TargetHealthDescriptions ?? [];
      return d.length === 2 && d.every((x) => x.TargetHealth.State === 'healthy' && x.Target.Port === 8080);
    }, 'bound pods healthy', 20_000, 200);
    const local = await eventually(() => lab.lb.addresses().find((a) => a.hostname === lb.DNSName)?.local, 'local listener of the hand-made NLB');
    const { stdout } = await run('curl', ['-s', '--max-time', '5', `http://${local}/`]);
    assert.match(stdout, /Hostname: echo-/);

    const del = await aws(['delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn]);
    assert.equal(del.code, 0, del.stderr);
    await eventually(() => !lab.lb.addresses().some((a) => a.hostname === lb.DNSName), 'listener closed');
  });
});

