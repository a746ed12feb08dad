// EKS endpoint access on the real listener: UpdateClusterConfig publicAccessCidrs that exclude
// 127.0.0.1 make the API server drop this machine's connections (kubectl cannot connect), and
// opening it to 0.0.0.0/0 again lets kubectl back in. The loopback controllers are unaffected.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

describe('EKS public endpoint access CIDRs on the API listener', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  const aws = (args: string[]) => runAws(args, { endpoint: tk.awsEndpoint });
  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => { await tk?.stop(); });

  it('drops connections from outside publicAccessCidrs, then lets them in again', async () => {
    await k.ok(['get', 'ns']);
    const closed = await aws(['eks', 'update-cluster-config', '--name', 'keks', '--resources-vpc-config', 'publicAccessCidrs=203.0.113.0/24']);
    assert.equal(closed.code, 0, closed.stderr);
    await eventually(async () => (await aws(['eks', 'describe-cluster', '--name', 'keks', '--query', 'cluster.status', '--output', 'text'])).stdout.trim() === 'ACTIVE', 'update done');
    const refused = await k.run(['get', 'ns', '--request-timeout', '5s']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /connection reset|EOF|Unable to connect|connection refused|timeout/i);
    const opened = await aws(['eks', 'update-cluster-config', '--name', 'keks', '--resources-vpc-config', 'publicAccessCidrs=0.0.0.0/0']);
    assert.equal(opened.code, 0, opened.stderr);
    await eventually(async () => (await k.run(['get', 'ns'])).code === 0, 'kubectl back in', 10_000, 200);
  });
});
