// The week-6 security lab on keks as started, with the real aws CLI and kubectl: an IAM user with
// an access key signs in through `aws eks get-token` and gets 401 until mapped; mapped through an
// EKS access entry + AmazonEKSViewPolicy on one namespace it gets exactly view there (can-i
// matrix); unmapped it gets 401 again; mapped through the aws-auth ConfigMap to a group bound to
// `edit` it gets edit; a deleted access key stops working; the creator (root) stays admin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, runAws } from '../helpers/aws.js';

const USER_ARN = 'arn:aws:iam::000000000000:user/alice';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

describe('week-6 lab: IAM users signing in to an EKS cluster', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let eksKubeconfig: string;
  let k: Kubectl;
  let admin: Kubectl;
  let alice: { id: string; secret: string };
  const aws = (args: string[]) => runAws(args, { endpoint: tk.awsEndpoint });
  const asAlice = (args: string[]) => k.run(args, { env: { AWS_ACCESS_KEY_ID: alice.id, AWS_SECRET_ACCESS_KEY: alice.secret, AWS_ENDPOINT_URL: tk.awsEndpoint } });

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    admin = new Kubectl(tk.kubeconfig);
    eksKubeconfig = join(tk.dataDir, 'eks-kubeconfig');
    const upd = await aws(['eks', 'update-kubeconfig', '--name', 'keks', '--kubeconfig', eksKubeconfig]);
    assert.equal(upd.code, 0, upd.stderr);
    k = new Kubectl(eksKubeconfig);
    assert.equal((await aws(['iam', 'create-user', '--user-name', 'alice'])).code, 0);
    const key = (await aws(['iam', 'create-access-key', '--user-name', 'alice'])).json as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    alice = { id: key.AccessKey.AccessKeyId, secret: key.AccessKey.SecretAccessKey };
    await admin.ok(['create', 'namespace', 'team-a']);
  });
  after(async () => { await tk?.stop(); });

  it('the creator signs in as admin through aws eks get-token', async () => {
    const who = JSON.parse(await k.ok(['auth', 'whoami', '-o', 'json'], { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } }));
    assert.equal(who.status.userInfo.username, 'arn:aws:iam::000000000000:root');
    assert.equal((await k.run(['auth', 'can-i', '*', '*'], { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } })).stdout.trim(), 'yes');
  });

  it('unmapped → 401; access entry + view on team-a → exactly view there; entry deleted → 401', async () => {
    const denied = await asAlice(['get', 'pods', '-n', 'team-a']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /You must be logged in to the server/);

    assert.equal((await aws(['eks', 'create-access-entry', '--cluster-name', 'keks', '--principal-arn', USER_ARN])).code, 0);
    const assoc = await aws(['eks', 'associate-access-policy', '--cluster-name', 'keks', '--principal-arn', USER_ARN, '--policy-arn', VIEW,
      '--access-scope', 'type=namespace,namespaces=team-a']);
    assert.equal(assoc.code, 0, assoc.stderr);
    const matrix: Array<[string[], string]> = [
      [['get', 'pods', '-n', 'team-a'], 'yes'], [['list', 'deployments', '-n', 'team-a'], 'yes'],
      [['create', 'pods', '-n', 'team-a'], 'no'], [['delete', 'configmaps', '-n', 'team-a'], 'no'],
      [['get', 'secrets', '-n', 'team-a'], 'no'], [['get', 'pods', '-n', 'default'], 'no'], [['list', 'nodes'], 'no'],
    ];
    for (const [args, want] of matrix) {
      const r = await asAlice(['auth', 'can-i', ...args]);
      assert.equal(r.stdout.trim(), want, `can-i ${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal((await asAlice(['get', 'pods', '-n', 'team-a'])).code, 0);
    const forbidden = await asAlice(['get', 'pods', '-n', 'default']);
    assert.match(forbidden.stderr, /pods is forbidden: User "arn:aws:iam::000000000000:user\/alice" cannot list resource "pods" in API group "" in the namespace "default"/);

    assert.equal((await aws(['eks', 'delete-access-entry', '--cluster-name', 'keks', '--principal-arn', USER_ARN])).code, 0);
    assert.match((await asAlice(['get', 'pods', '-n', 'team-a'])).stderr, /You must be logged in to the server/);
  });

  it('aws-auth mapUsers to a group bound to edit → edit rights; the deleted key stops working', async () => {
    await admin.ok(['create', 'rolebinding', 'devs-edit', '-n', 'team-a', '--clusterrole', 'edit', '--group', 'devs']);
    await admin.ok(['apply', '-f', '-'], { input: `
apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapUsers: |
    - userarn: ${USER_ARN}
      username: alice
      groups: [devs]
` });
    await eventually(async () => (await asAlice(['auth', 'can-i', 'create', 'deployments', '-n', 'team-a'])).stdout.trim() === 'yes', 'edit via aws-auth', 10_000, 200);
    assert.equal((await asAlice(['auth', 'can-i', 'create', 'deployments', '-n', 'default'])).stdout.trim(), 'no');
    const who = JSON.parse((await asAlice(['auth', 'whoami', '-o', 'json'])).stdout);
    assert.equal(who.status.userInfo.username, 'alice');
    assert.deepEqual(who.status.userInfo.groups, ['devs', 'system:authenticated']);

    assert.equal((await aws(['iam', 'delete-access-key', '--user-name', 'alice', '--access-key-id', alice.id])).code, 0);
    assert.match((await asAlice(['get', 'pods', '-n', 'team-a'])).stderr, /You must be logged in to the server/);
  });
});
