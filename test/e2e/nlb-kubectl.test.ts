// The seed lab as the workshop types it: `kubectl apply` of an echo Deployment and an NLB
// Service (IP mode annotations), `kubectl get svc` showing the AWS hostname as EXTERNAL-IP,
// `kubectl get targetgroupbindings`, `kubectl describe svc` with the controller's events,
// `kubectl get ingressclass alb`, curl through the local listener, and `kubectl scale`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip, rowOf } from '../helpers/kubectl.js';
import { startLbLab, type LbLab } from '../integration/lb-helpers.js';

const run = promisify(execFile);

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deploy-echo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: deploy-websrv
  template:
    metadata:
      labels:
        app: deploy-websrv
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: aews-websrv
        image: k8s.gcr.io/echoserver:1.5
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: svc-nlb-ip-type
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
    service.beta.kubernetes.io/aws-load-balancer-healthcheck-port: "8080"
    service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
spec:
  ports:
    - port: 80
      targetPort: 8080
      protocol: TCP
  type: LoadBalancer
  loadBalancerClass: service.k8s.aws/nlb
  selector:
    app: deploy-websrv
`;

describe('NLB seed lab with kubectl and curl', { skip: kubectlSkip }, () => {
  let lab: LbLab;
  let k: Kubectl;
  before(async () => {
    lab = await startLbLab(0.01);
    k = new Kubectl(lab.tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await lab?.stop();
  });

  it('apply, get, describe, curl, scale', async () => {
    await k.ok(['apply', '-f', '-'], { input: MANIFEST });
    const host = await eventually(async () => {
      const row = rowOf(await k.ok(['get', 'svc', 'svc-nlb-ip-type']), 'svc-nlb-ip-type');
      return row && /\.elb\.us-east-1\.amazonaws\.com$/.test(row[3]) ? row[3] : undefined;
    }, 'EXTERNAL-IP hostname', 20_000, 200);
    assert.match(host, /^k8s-default-svcnlbip-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);

    const tgbs = await k.ok(['get', 'targetgroupbindings']);
    const header = tgbs.split('\n')[0].trim().split(/\s+/);
    assert.deepEqual(header, ['NAME', 'SERVICE-NAME', 'SERVICE-PORT', 'TARGET-TYPE', 'AGE']);
    assert.deepEqual(tgbs.split('\n')[1].trim().split(/\s+/).slice(1, 4), ['svc-nlb-ip-type', '80', 'ip']);
    assert.match(await k.ok(['get', 'ingressclass', 'alb']), /alb\s+ingress\.k8s\.aws\/alb/);

    const described = await eventually(async () => {
      const d = await k.ok(['describe', 'svc', 'svc-nlb-ip-type']);
      return /SuccessfullyReconciled\s.*Successfully reconciled/.test(d) && /LocalListener\s.*listening on 127\.0\.0\.1:\d+/.test(d) ? d : undefined;
    }, 'controller events', 20_000, 200);
    assert.match(described, /LoadBalancer Ingress:\s+k8s-default-svcnlbip-/);
    const local = /listening on (127\.0\.0\.1:\d+)/.exec(described)?.[1] ?? '';

    const lab2 = lab.elbv2.backend.targetGroups()[0];
    await eventually(() => lab.elbv2.backend.targetHealth(lab2.arn).filter((t) => t.state === 'healthy').length === 2, '2 healthy', 20_000);
    assert.equal(lab2.healthCheck.port, '8080');
    assert.equal(lab.elbv2.backend.loadBalancers()[0].attributes['load_balancing.cross_zone.enabled'], 'true');
    const names = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const { stdout } = await run('curl', ['-s', '--max-time', '5', `http://${local}/`]);
      const n = /Hostname: (\S+)/.exec(stdout)?.[1] ?? '';
      names.set(n, (names.get(n) ?? 0) + 1);
    }
    assert.equal(names.size, 2);
    assert.deepEqual([...names.values()], [10, 10]);

    await k.ok(['scale', 'deployment', 'deploy-echo', '--replicas=1']);
    await eventually(() => lab.elbv2.backend.targetHealth(lab2.arn).some((t) => t.state === 'draining'), 'draining', 20_000, 10);
    await eventually(() => lab.elbv2.backend.targetHealth(lab2.arn).length === 1, 'drained', 20_000);
    const { stdout } = await run('curl', ['-s', '--max-time', '5', `http://${local}/`]);
    const pods = (await k.ok(['get', 'pods', '-l', 'app=deploy-websrv', '-o', 'name'])).trim().split('\n').map((p) => p.replace('pod/', ''));
    assert.deepEqual(pods, [/Hostname: (\S+)/.exec(stdout)?.[1]]);
  });
});
