// ResourceQuota and LimitRange through the real kubectl, as the EKS labs use them: a LimitRange
// fills in container defaults (and records them in kubernetes.io/limit-ranger), refuses pods
// outside min/max with upstream's message; a ResourceQuota shows usage in `kubectl describe`,
// refuses the pod that would exceed it ("exceeded quota: …, requested: …, used: …, limited: …"),
// demands limits when it tracks them, and frees usage when pods go away.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const pod = (name: string, ns: string, resources: string): string => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec: {containers: [{name: app, image: nginx, resources: ${resources}}]}
`;

describe('kubectl with ResourceQuota and LimitRange', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'memory', controllers: ['resourcequota', 'namespace', 'serviceaccount'] });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'namespace', 'lr']);
    await k.ok(['create', 'namespace', 'rq']);
  });
  after(async () => { await tk?.stop(); });

  it('LimitRange: defaults land on containers and out-of-range pods are refused', async () => {
    await k.ok(['apply', '-f', '-'], { input: `
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: lr}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    min: {cpu: 50m}
    max: {cpu: "1", memory: 1Gi}
` });
    await k.ok(['apply', '-f', '-'], { input: pod('plain', 'lr', '{}') });
    const p = JSON.parse(await k.ok(['-n', 'lr', 'get', 'pod', 'plain', '-o', 'json']));
    assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(p.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');

    const big = await k.run(['apply', '-f', '-'], { input: pod('big', 'lr', '{limits: {cpu: "2"}, requests: {cpu: 10m}}') });
    assert.notEqual(big.code, 0);
    assert.match(big.stderr, /pods "big" is forbidden: \[minimum cpu usage per Container is 50m, but request is 10m, maximum cpu usage per Container is 1, but limit is 2\]/);
  });

  it('ResourceQuota: usage is tracked, the pod over the limit is refused, and deletion frees it', async () => {
    await k.ok(['apply', '-f', '-'], { input: `
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: rq}
spec: {hard: {pods: "2", requests.cpu: "1", limits.memory: 1Gi, configmaps: "3"}}
` });
    await eventually(async () => JSON.parse(await k.ok(['-n', 'rq', 'get', 'quota', 'compute', '-o', 'json'])).status?.used, 'quota status');

    const nolimits = await k.run(['apply', '-f', '-'], { input: pod('nolimits', 'rq', '{requests: {cpu: 100m}}') });
    assert.match(nolimits.stderr, /pods "nolimits" is forbidden: failed quota: compute: must specify limits.memory for: app/);

    await k.ok(['apply', '-f', '-'], { input: pod('a', 'rq', '{requests: {cpu: 600m}, limits: {memory: 256Mi}}') });
    const over = await k.run(['apply', '-f', '-'], { input: pod('b', 'rq', '{requests: {cpu: 600m}, limits: {memory: 256Mi}}') });
    assert.notEqual(over.code, 0);
    assert.match(over.stderr, /pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1/);

    const described = await k.ok(['-n', 'rq', 'describe', 'quota', 'compute']);
    assert.match(described, /requests\.cpu\s+600m\s+1\b/);
    assert.match(described, /pods\s+1\s+2\b/);

    await k.ok(['-n', 'rq', 'delete', 'pod', 'a', '--wait=false']);
    await eventually(async () => {
      const q = JSON.parse(await k.ok(['-n', 'rq', 'get', 'quota', 'compute', '-o', 'json']));
      return q.status.used['requests.cpu'] === '0' ? q : undefined;
    }, 'usage freed after delete');
    await k.ok(['apply', '-f', '-'], { input: pod('b', 'rq', '{requests: {cpu: 600m}, limits: {memory: 256Mi}}') });
  });
});
