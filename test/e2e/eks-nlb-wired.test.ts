// The seed lab on keks as `keks start` wires it (no test-side controller): an echo Deployment and
// an NLB IP-mode Service in the default cluster get an AWS hostname from the built-in AWS Load
// Balancer Controller; `aws elbv2 describe-target-health` on keks's own AWS endpoint lists the
// two pod IPs healthy; `keks lb` lists hostname → local address, and curl through it reaches both
// pods.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

const run = promisify(execFile);

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: echo, image: "registry.k8s.io/echoserver:1.10", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata:
  name: echo-nlb
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
spec:
  type: LoadBalancer
  loadBalancerClass: service.k8s.aws/nlb
  selector: {app: echo}
  ports: [{port: 80, targetPort: 8080, protocol: TCP}]
`;

describe('NLB seed lab on keks as started (built-in controller, keks AWS endpoint)', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ nodes: 3, store: 'memory' });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => { await tk?.stop(); });

  it('hostname, healthy pod IPs through aws elbv2, keks lb, traffic to both pods', async () => {
    await k.ok(['apply', '-f', '-'], { input: MANIFEST });
    const host = await eventually(async () => {
      const svc = JSON.parse(await k.ok(['get', 'svc', 'echo-nlb', '-o', 'json']));
      return svc.status?.loadBalancer?.ingress?.[0]?.hostname as string | undefined;
    }, 'NLB hostname', 20_000, 100);
    assert.match(host, /^k8s-default-echonlb-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);

    const aws = { endpoint: tk.awsEndpoint };
    const tgArn = (await runAws(['elbv2', 'describe-target-groups', '--query', 'TargetGroups[0].TargetGroupArn', '--output', 'text'], aws)).stdout.trim();
    assert.match(tgArn, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\//);
    const podIps = (await k.ok(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(' ').sort();
    const healthy = await eventually(async () => {
      const r = await runAws(['elbv2', 'describe-target-health', '--target-group-arn', tgArn], aws);
      const ds = (r.json as { TargetHealthDescriptions: Array<{ Target: { Id: string }; TargetHealth: { State: string } }> }).TargetHealthDescriptions;
      return ds.length === 2 && ds.every((d) => d.TargetHealth.State === 'healthy') ? ds.map((d) => d.Target.Id).sort() : undefined;
    }, '2 healthy targets', 30_000, 500);
    assert.deepEqual(healthy, podIps);

    const lb = await run(process.execPath, ['bin/keks.js', 'lb', '--home', tk.dataDir, '-o', 'json']);
    const listeners = JSON.parse(lb.stdout) as Array<{ hostname: string; local: string }>;
    const local = listeners.find((l) => l.hostname === host)?.local;
    assert.ok(local, lb.stdout);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { stdout } = await run('curl', ['-s', '--max-time', '5', `http://${local}/`]);
      seen.add(/Hostname: (\S+)/.exec(stdout)?.[1] ?? '');
    }
    assert.equal(seen.size, 2, [...seen].join(','));
  });
});
