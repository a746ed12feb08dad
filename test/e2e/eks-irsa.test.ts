// IRSA's token exchange on keks as started: the cluster's service-account tokens are issued by its
// EKS OIDC issuer; with an IAM OIDC provider for that issuer and a role trusting it, a token from
// `kubectl create token --audience sts.amazonaws.com` is exchanged for temporary credentials by
// `aws sts assume-role-with-web-identity` (unsigned, as SDKs send it), and those credentials sign.
// Tokens for another audience, or forged ones, are refused with InvalidIdentityToken.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { awsCliSkip, cliError, runAws } from '../helpers/aws.js';

describe('IRSA: service-account token → AssumeRoleWithWebIdentity', { skip: kubectlSkip || awsCliSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  const aws = (args: string[], o: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } = {}) => runAws(args, { endpoint: tk.awsEndpoint, ...o });

  before(async () => {
    tk = await startTestKeks({ store: 'memory', controllers: ['serviceaccount', 'namespace'] });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'serviceaccount', 'app']);
  });
  after(async () => { await tk?.stop(); });

  it('exchanges a cluster-issued token for credentials that sign', async () => {
    const issuer = (await aws(['eks', 'describe-cluster', '--name', 'keks', '--query', 'cluster.identity.oidc.issuer', '--output', 'text'])).stdout.trim();
    assert.match(issuer, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    const provider = await aws(['iam', 'create-open-id-connect-provider', '--url', issuer, '--client-id-list', 'sts.amazonaws.com',
      '--thumbprint-list', '9e99a48a9960b14926bb7f3b02e22da2b0ab7280']);
    assert.equal(provider.code, 0, provider.stderr);
    const providerArn = (provider.json as { OpenIDConnectProviderArn: string }).OpenIDConnectProviderArn;
    assert.equal(providerArn, `arn:aws:iam::000000000000:oidc-provider/${issuer.slice('https://'.length)}`);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' }] });
    assert.equal((await aws(['iam', 'create-role', '--role-name', 'app-role', '--assume-role-policy-document', trust])).code, 0);

    const token = (await k.ok(['create', 'token', 'app', '--audience', 'sts.amazonaws.com'])).trim();
    const r = await aws(['sts', 'assume-role-with-web-identity', '--role-arn', 'arn:aws:iam::000000000000:role/app-role',
      '--role-session-name', 'app-session', '--web-identity-token', token]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; SubjectFromWebIdentityToken: string; AssumedRoleUser: { Arn: string } };
    assert.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:default:app');
    assert.equal(out.AssumedRoleUser.Arn, 'arn:aws:sts::000000000000:assumed-role/app-role/app-session');
    const who = await aws(['sts', 'get-caller-identity'], { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey, sessionToken: out.Credentials.SessionToken });
    assert.equal((who.json as { Arn: string }).Arn, 'arn:aws:sts::000000000000:assumed-role/app-role/app-session');

    const apiToken = (await k.ok(['create', 'token', 'app'])).trim();
    const wrongAud = await aws(['sts', 'assume-role-with-web-identity', '--role-arn', 'arn:aws:iam::000000000000:role/app-role',
      '--role-session-name', 'sx', '--web-identity-token', apiToken]);
    assert.notEqual(wrongAud.code, 0);
    assert.equal(cliError(wrongAud)?.code, 'InvalidIdentityToken', wrongAud.stderr);
    const [h, p] = token.split('.');
    const forged = await aws(['sts', 'assume-role-with-web-identity', '--role-arn', 'arn:aws:iam::000000000000:role/app-role',
      '--role-session-name', 'sx', '--web-identity-token', `${h}.${p}.AAAA`]);
    assert.equal(cliError(forged)?.code, 'InvalidIdentityToken');
  });
});
