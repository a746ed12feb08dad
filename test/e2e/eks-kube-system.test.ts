// A new EKS cluster's kube-system as on AWS (bootstrapSelfManagedAddons): aws-node and kube-proxy
// on every node, two coredns pods, the kube-dns Service at .10 of the service CIDR — and none of
// them is an EKS add-on (ListAddons is empty) until CreateAddon takes one over.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

describe('kube-system of a new EKS cluster', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 3, selfManagedAddons: true });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => { await tk?.stop(); });

  it('runs aws-node, kube-proxy and coredns; kube-dns at 10.100.0.10; no managed add-ons', async () => {
    const pods = await eventually(async () => {
      const list = JSON.parse(await k.ok(['get', 'pods', '-n', 'kube-system', '-o', 'json'])).items as Array<{ metadata: { name: string }; status: { phase: string } }>;
      const running = list.filter((p) => p.status.phase === 'Running').map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$|-[a-z0-9]{8,10}-[a-z0-9]{5}$/, ''));
      const count = (n: string): number => running.filter((r) => r === n).length;
      return count('aws-node') === 3 && count('kube-proxy') === 3 && count('coredns') === 2 ? running : undefined;
    }, 'kube-system pods Running', 30_000, 200);
    assert.equal(pods.length, 8);
    const dns = JSON.parse(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json']));
    assert.equal(dns.spec.clusterIP, '10.100.0.10');
    assert.deepEqual(dns.spec.selector, { 'k8s-app': 'kube-dns' });
    const addons = await runAws(['eks', 'list-addons', '--cluster-name', 'keks'], { endpoint: tk.awsEndpoint });
    assert.deepEqual((addons.json as { addons: string[] }).addons, []);
  });
});
