// IngressClassParams namespaceSelector, enforced as the AWS Load Balancer Controller's Ingress
// webhook does on EKS: an Ingress of a class whose params select namespaces by label is refused
// elsewhere with the webhook's words, and accepted (and given an ALB) where the labels match.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const CLASS = `
apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata: {name: team-a-params}
spec:
  namespaceSelector: {matchLabels: {team: a}}
  scheme: internet-facing
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: alb-team-a}
spec:
  controller: ingress.k8s.aws/alb
  parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: team-a-params}
`;

const ingress = (ns: string): string => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: ${ns}}
spec:
  ingressClassName: alb-team-a
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;

describe('IngressClassParams namespaceSelector (the controller\'s Ingress webhook)', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 1 });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => { await tk?.stop(); });

  it('refuses the Ingress outside the selected namespaces, accepts it inside', async () => {
    // The controller installs its CRDs when it starts.
    await eventually(async () => (await k.run(['get', 'crd', 'ingressclassparams.elbv2.k8s.aws'])).code === 0, 'IngressClassParams CRD', 15_000, 100);
    await k.ok(['apply', '-f', '-'], { input: CLASS });
    await k.ok(['create', 'namespace', 'other']);
    await k.ok(['create', 'namespace', 'team-a']);
    await k.ok(['label', 'namespace', 'team-a', 'team=a']);
    const bad = await k.fails(['apply', '-f', '-'], { input: ingress('other') });
    assert.match(bad.stderr, /Error from server \(invalid ingress class: namespaceSelector of IngressClassParams team-a-params mismatch\): error when creating "STDIN": admission webhook "vingress.elbv2.k8s.aws" denied the request: invalid ingress class: namespaceSelector of IngressClassParams team-a-params mismatch/);
    assert.equal((await k.run(['-n', 'other', 'get', 'ingress', 'web'])).code, 1, 'nothing was stored');
    await k.ok(['apply', '-f', '-'], { input: ingress('team-a') });
    await k.ok(['-n', 'team-a', 'create', 'service', 'nodeport', 'web', '--tcp=80:80']);
    const host = await eventually(async () => {
      const h = await k.ok(['-n', 'team-a', 'get', 'ingress', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].hostname}']);
      return h.trim() || undefined;
    }, 'ALB hostname', 20_000, 100).catch(async (e) => { console.log(await k.ok(['-n', 'team-a', 'describe', 'ingress', 'web'])); throw e; });
    assert.match(host, /^k8s-teama-web-[0-9a-f]{10}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
  });
});
