/**
 * EKS IAM sign-in end to end: the real `kubectl` with a kubeconfig whose user is the exec plugin
 * `aws eks get-token --cluster-name <name>` (the real aws CLI, credentials in its environment), as
 * `aws eks update-kubeconfig` writes it, against a cluster whose chain has the EKS token
 * authenticator. The week-6 lab: an IAM user is refused (401), mapped through aws-auth it gets
 * in, `kubectl auth whoami` shows what EKS shows, unmapped again it is refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Cluster } from '../../src/cluster/cluster.js';
import { createStore } from '../../src/storage/index.js';
import type { Store } from '../../src/storage/interface.js';
import { realClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/log.js';
import { eksTokenAuthenticator } from '../../src/auth/authn/eks/authenticator.js';
import type { AwsKeyInfo } from '../../src/auth/authn/eks/types.js';
import { Kubectl, haveKubectl } from '../helpers/kubectl.js';

const haveAws = spawnSync('aws', ['--version'], { timeout: 20_000 }).status === 0;
const skip = !haveKubectl ? 'kubectl not on PATH' : !haveAws ? 'aws CLI not on PATH' : false;

const ACCT = '000000000000';
const ALICE = { id: 'AKIAKEKSALICE0000001', secret: 'alice/Secret+Key0000000000000000000000000' };
const ROLE = { id: 'ASIAKEKSDEVROLE00001', secret: 'role/Secret+Key', token: 'IQoJb3JpZ2luX2VjE/session+token==' };
const keys = new Map<string, AwsKeyInfo>([
  ['test', { secretAccessKey: 'test', status: 'Active', principal: { accountId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, userId: ACCT, type: 'root' } }],
  [ALICE.id, { secretAccessKey: ALICE.secret, status: 'Active', principal: { accountId: ACCT, arn: `arn:aws:iam::${ACCT}:user/alice`, userId: 'AIDAKEKSALICE0000001', type: 'user' } }],
  [ROLE.id, {
    secretAccessKey: ROLE.secret, sessionToken: ROLE.token, expiresAt: Date.now() + 3600_000, status: 'Active',
    principal: { accountId: ACCT, arn: `arn:aws:sts::${ACCT}:assumed-role/Dev/dana@example.com`, userId: 'AROAKEKSDEV000000001:dana@example.com', type: 'assumed-role', roleArn: `arn:aws:iam::${ACCT}:role/teams/Dev`, sessionName: 'dana@example.com' },
  }],
]);

/** kube-system/aws-auth with the Dev role mapped (username from the session) and `mapUsers` as given. */
const awsAuth = (mapUsers: string) => stringify({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' },
  data: { mapUsers, mapRoles: `- rolearn: arn:aws:iam::${ACCT}:role/Dev\n  username: dev:{{SessionName}}\n  groups:\n    - system:masters\n` },
});

describe('sign-in with aws eks get-token through the real kubectl', { skip }, () => {
  let dir: string;
  let store: Store;
  let cluster: Cluster;
  let kubeconfig: string;
  const runners: Kubectl[] = [];

  /** A kubectl whose exec plugin signs with these credentials (in the plugin's environment). */
  function kubectlAs(creds: { id: string; secret: string; token?: string }, extraEnv: Record<string, string> = {}) {
    const k = new Kubectl(kubeconfig);
    runners.push(k);
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: creds.id, AWS_SECRET_ACCESS_KEY: creds.secret, AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      ...(creds.token ? { AWS_SESSION_TOKEN: creds.token } : {}), ...extraEnv,
    };
    return {
      run: (args: string[], input?: string) => k.run(args, { env, input, timeoutMs: 60_000 }),
      ok: (args: string[], input?: string) => k.ok(args, { env, input, timeoutMs: 60_000 }),
    };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keks-eks-signin-'));
    store = await createStore({ kind: 'memory', clock: realClock });
    cluster = await Cluster.start({
      name: 'myeks', dir, store, clock: realClock, logger: silentLogger, controllers: [],
      authenticators: (c) => [eksTokenAuthenticator({
        cluster: {
          clusterName: c.name, authenticationMode: () => 'CONFIG_MAP',
          creator: () => ({ arn: `arn:aws:iam::${ACCT}:root`, adminPermissions: true }),
          accessEntry: () => undefined,
        },
        credentials: { lookup: (id) => keys.get(id) },
        awsAuth: async () => {
          try {
            const cm = (await c.registry.storeOf('', 'configmaps').get('kube-system', 'aws-auth')) as { metadata: { resourceVersion?: string }; data?: Record<string, string> };
            return { resourceVersion: cm.metadata.resourceVersion, data: cm.data };
          } catch {
            return undefined;
          }
        },
        clock: realClock, logger: silentLogger,
      })],
    });
    // What `aws eks update-kubeconfig --name myeks` writes (awscli customizations/eks/update_kubeconfig.py).
    const arn = `arn:aws:eks:us-east-1:${ACCT}:cluster/myeks`;
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, stringify({
      apiVersion: 'v1', kind: 'Config', preferences: {}, 'current-context': arn,
      clusters: [{ name: arn, cluster: { server: cluster.endpoint, 'certificate-authority-data': Buffer.from(cluster.pki.ca.certPem).toString('base64') } }],
      contexts: [{ name: arn, context: { cluster: arn, user: arn } }],
      users: [{ name: arn, user: { exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws',
        args: ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'myeks', '--output', 'json'],
      } } }],
    }), { mode: 0o600 });
  });

  after(async () => {
    for (const k of runners) k.dispose();
    await cluster?.stop();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the cluster creator (root key test/test) is kubernetes-admin in system:masters', async () => {
    const admin = kubectlAs({ id: 'test', secret: 'test' });
    assert.match(await admin.ok(['get', 'ns', '-o', 'name']), /namespace\/kube-system/);
    const who = JSON.parse(await admin.ok(['auth', 'whoami', '-o', 'json'])) as { status: { userInfo: Record<string, unknown> } };
    assert.deepEqual(who.status.userInfo, {
      username: 'kubernetes-admin', uid: `aws-iam-authenticator:${ACCT}:${ACCT}`, groups: ['system:masters', 'system:authenticated'],
      extra: {
        accessKeyId: ['test'], arn: [`arn:aws:iam::${ACCT}:root`], canonicalArn: [`arn:aws:iam::${ACCT}:root`],
        principalId: [ACCT], sessionName: [''], 'sigs.k8s.io/aws-iam-authenticator/principalId': [ACCT],
      },
    });
  });

  it('week-6 lab: an IAM user is refused, mapped through aws-auth it gets in, unmapped it is refused again', async () => {
    const admin = kubectlAs({ id: 'test', secret: 'test' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    const alice = kubectlAs(ALICE);
    const refused = await alice.run(['get', 'ns']);
    assert.notEqual(refused.code, 0);
    // kubectl's wording for a 401 (from discovery: "the server has asked for the client to provide credentials").
    assert.match(refused.stderr, /You must be logged in to the server/);

    await admin.ok(['apply', '-f', '-'], awsAuth(`- userarn: arn:aws:iam::${ACCT}:user/alice\n  username: alice\n  groups:\n    - system:masters\n`));
    assert.match(await alice.ok(['get', 'ns', '-o', 'name']), /namespace\/default/);
    const who = await alice.ok(['auth', 'whoami']);
    assert.match(who, /Username\s+alice/);
    assert.match(who, /Groups\s+\[system:masters system:authenticated\]/);
    assert.match(who, /Extra: canonicalArn\s+\[arn:aws:iam::000000000000:user\/alice\]/);

    await admin.ok(['apply', '-f', '-'], awsAuth("''"));
    const again = await alice.run(['get', 'ns']);
    assert.match(again.stderr, /You must be logged in to the server/);
  });

  it('an assumed-role session (temporary credentials, AWS_ENDPOINT_URL) maps through mapRoles with {{SessionName}}', async () => {
    await kubectlAs({ id: 'test', secret: 'test' }).ok(['apply', '-f', '-'], awsAuth("''"));
    const dana = kubectlAs(ROLE, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    const who = JSON.parse(await dana.ok(['auth', 'whoami', '-o', 'json'])) as { status: { userInfo: { username: string; uid: string; extra: Record<string, string[]> } } };
    assert.equal(who.status.userInfo.username, 'dev:dana-example.com');
    assert.equal(who.status.userInfo.uid, `aws-iam-authenticator:${ACCT}:AROAKEKSDEV000000001`);
    assert.deepEqual(who.status.userInfo.extra.sessionName, ['dana@example.com']);
    assert.deepEqual(who.status.userInfo.extra.canonicalArn, [`arn:aws:iam::${ACCT}:role/Dev`]);
    // Without the session token the signature still matches but STS would refuse it: 401.
    const noToken = kubectlAs({ id: ROLE.id, secret: ROLE.secret });
    assert.match((await noToken.run(['get', 'ns'])).stderr, /You must be logged in to the server/);
  });
});
