// Fargate on keks as started, with the real aws CLI and kubectl: a profile for namespace
// `serverless` (label app=api) makes a matching pod land on its own `fargate-ip-…` node
// (compute-type fargate, one pod), a non-matching pod in another namespace stays on the
// regular nodes, and the Fargate node goes away with its pod.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks-fargate-pods.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('Fargate placement on keks as started', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  const aws = (args: string[]) => runAws(args, { endpoint: tk.awsEndpoint });
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 2 });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => { await tk?.stop(); });

  it('matching pods get their own fargate node; others never', async () => {
    assert.equal((await aws(['iam', 'create-role', '--role-name', 'fargate-pods', '--assume-role-policy-document', TRUST])).code, 0);
    const fp = await aws(['eks', 'create-fargate-profile', '--cluster-name', 'keks', '--fargate-profile-name', 'fp',
      '--pod-execution-role-arn', 'arn:aws:iam::000000000000:role/fargate-pods', '--selectors', 'namespace=serverless,labels={app=api}']);
    assert.equal(fp.code, 0, fp.stderr);
    await eventually(async () => (await aws(['eks', 'describe-fargate-profile', '--cluster-name', 'keks', '--fargate-profile-name', 'fp',
      '--query', 'fargateProfile.status', '--output', 'text'])).stdout.trim() === 'ACTIVE', 'profile ACTIVE');
    await k.ok(['create', 'namespace', 'serverless']);
    await k.ok(['run', 'api', '-n', 'serverless', '--image=nginx', '--labels=app=api']);
    await k.ok(['run', 'other', '-n', 'default', '--image=nginx', '--labels=app=api']);

    const node = await eventually(async () => {
      const p = JSON.parse(await k.ok(['get', 'pod', 'api', '-n', 'serverless', '-o', 'json']));
      return p.status?.phase === 'Running' ? p.spec.nodeName as string : undefined;
    }, 'fargate pod Running', 20_000, 200);
    assert.match(node, /^fargate-ip-192-168-\d+-\d+\.ec2\.internal$/); // us-east-1 names hosts *.ec2.internal
    const n = JSON.parse(await k.ok(['get', 'node', node, '-o', 'json']));
    assert.equal(n.metadata.labels['eks.amazonaws.com/compute-type'], 'fargate');
    const pod = JSON.parse(await k.ok(['get', 'pod', 'api', '-n', 'serverless', '-o', 'json']));
    assert.equal(pod.spec.schedulerName, 'fargate-scheduler');
    assert.equal(pod.status.podIP, n.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address);

    const other = await eventually(async () => {
      const p = JSON.parse(await k.ok(['get', 'pod', 'other', '-o', 'json']));
      return p.spec.nodeName as string | undefined;
    }, 'other pod scheduled', 20_000, 200);
    assert.doesNotMatch(other, /^fargate-/);

    await k.ok(['delete', 'pod', 'api', '-n', 'serverless', '--wait=false']);
    await eventually(async () => (await k.run(['get', 'node', node])).code !== 0, 'fargate node removed', 20_000, 200);
  });
});
