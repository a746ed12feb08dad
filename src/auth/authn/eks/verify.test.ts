import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyEksToken } from './verify.js';
import { EksTokenError, parseAmzDate, TOKEN_PREFIX } from './presigned-url.js';
import { encodeEksToken, issueEksToken, presignGetCallerIdentity } from './token-issuer.js';
import type { AwsCredentialLookup, AwsKeyInfo } from './types.js';

// Tokens printed by the real `aws eks get-token` (aws-cli/1.45.11, botocore 1.43.11):
//   AWS_ACCESS_KEY_ID=AKIAKEKSTESTUSER0001 AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
//     aws eks get-token --cluster-name c --region us-east-1
const CLI_USER_TOKEN = 'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lBS0VLU1RFU1RVU0VSMDAwMSUyRjIwMjYxMTIyJTJGdXMtZWFzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjJUMDg1MjE3WiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9NWU0NzAzZjdmOWFmODg2ZTljYmJkMGQ1ZTZjNTJiYzg3YmZmZmQ3ZTczNjgwYzM0YjhjZmE3YTk1NWRiMTczMg';
const CLI_USER_SIGNED_AT = parseAmzDate('20261122T085217Z')!;
//   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_ACCESS_KEY_ID=ASIAKEKSTESTROLE0001 AWS_SECRET_ACCESS_KEY=tempSecret+/x \
//     AWS_SESSION_TOKEN='FwoGZXIvYXdzE+session/token==' aws eks get-token --cluster-name my-eks_1 --region ap-northeast-2
const CLI_ROLE_TOKEN = 'k8s-aws-v1.aHR0cDovLzEyNy4wLjAuMTo0NTY2Lz9BY3Rpb249R2V0Q2FsbGVySWRlbnRpdHkmVmVyc2lvbj0yMDExLTA2LTE1JlgtQW16LUFsZ29yaXRobT1BV1M0LUhNQUMtU0hBMjU2JlgtQW16LUNyZWRlbnRpYWw9QVNJQUtFS1NURVNUUk9MRTAwMDElMkYyMDI2MTEyMiUyRmFwLW5vcnRoZWFzdC0yJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjJUMDg1MjE5WiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TZWN1cml0eS1Ub2tlbj1Gd29HWlhJdllYZHpFJTJCc2Vzc2lvbiUyRnRva2VuJTNEJTNEJlgtQW16LVNpZ25hdHVyZT00NTI2MDA4NWJiOTA1YTkyMDJjNWM4MWM4NzkwN2MyZmIyM2MxMTE0ZWRjNmQ1MGEyYjg4NTVkNTUwOGIwMDUx';
const CLI_ROLE_SIGNED_AT = parseAmzDate('20261122T085219Z')!;

const ACCOUNT = '111122223333';
const keys = new Map<string, AwsKeyInfo>([
  ['AKIAKEKSTESTUSER0001', {
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', status: 'Active',
    principal: { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, userId: 'AIDAALICE', type: 'user' },
  }],
  ['ASIAKEKSTESTROLE0001', {
    secretAccessKey: 'tempSecret+/x', sessionToken: 'FwoGZXIvYXdzE+session/token==', expiresAt: CLI_ROLE_SIGNED_AT + 5 * 60_000, status: 'Active',
    principal: { accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob@example.com`, userId: 'AROAADMIN:bob@example.com', type: 'assumed-role', roleArn: `arn:aws:iam::${ACCOUNT}:role/team/Admin`, sessionName: 'bob@example.com' },
  }],
  ['AKIAINACTIVE', {
    secretAccessKey: 's3cret', status: 'Inactive',
    principal: { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/old`, userId: 'AIDAOLD', type: 'user' },
  }],
  ['test', {
    secretAccessKey: 'test', status: 'Active',
    principal: { accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000', type: 'root' },
  }],
]);
const credentials: AwsCredentialLookup = { lookup: (id) => keys.get(id) };

function rejects(fn: () => unknown, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof EksTokenError && reason.test(e.message));
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const sign = (o: Partial<Parameters<typeof issueEksToken>[0]> = {}): string =>
  issueEksToken({ clusterName: 'c', accessKeyId: 'test', secretAccessKey: 'test', now: T0, ...o });
const verify = (token: string, o: { cluster?: string; now?: number } = {}) =>
  verifyEksToken(token, { clusterName: o.cluster ?? 'c', credentials, now: o.now ?? T0 });

test('a token from the real aws CLI verifies offline and names the IAM user', () => {
  const id = verify(CLI_USER_TOKEN, { now: CLI_USER_SIGNED_AT + 60_000 });
  assert.deepEqual(id, {
    arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, canonicalArn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, principalType: 'user',
    accountId: ACCOUNT, userId: 'AIDAALICE', sessionName: '', accessKeyId: 'AKIAKEKSTESTUSER0001', stsHost: 'sts.us-east-1.amazonaws.com',
  });
});

test('a CLI token from temporary credentials on the local endpoint (http, loopback) names the assumed role', () => {
  const id = verify(CLI_ROLE_TOKEN, { cluster: 'my-eks_1', now: CLI_ROLE_SIGNED_AT + 1000 });
  assert.equal(id.canonicalArn, `arn:aws:iam::${ACCOUNT}:role/Admin`, 'path lost, as the authenticator canonicalises');
  assert.equal(id.userId, 'AROAADMIN');
  assert.equal(id.sessionName, 'bob@example.com');
  assert.equal(id.stsHost, '127.0.0.1:4566');
});

test('the TS issuer produces the URL the CLI produces, byte for byte', () => {
  const url = Buffer.from(CLI_ROLE_TOKEN.slice(TOKEN_PREFIX.length), 'base64url').toString();
  const mine = presignGetCallerIdentity({
    clusterName: 'my-eks_1', accessKeyId: 'ASIAKEKSTESTROLE0001', secretAccessKey: 'tempSecret+/x', sessionToken: 'FwoGZXIvYXdzE+session/token==',
    region: 'ap-northeast-2', now: CLI_ROLE_SIGNED_AT, endpoint: 'http://127.0.0.1:4566',
  });
  assert.equal(mine, url);
});

test('wrong secret, other cluster, unknown or inactive key → rejected', () => {
  rejects(() => verify(sign({ secretAccessKey: 'nope' })), /signature does not match/);
  rejects(() => verify(sign(), { cluster: 'other' }), /signature does not match/);
  rejects(() => verify(CLI_USER_TOKEN, { cluster: 'C', now: CLI_USER_SIGNED_AT }), /signature does not match/);
  rejects(() => verify(sign({ accessKeyId: 'AKIAUNKNOWN' })), /unknown access key/);
  rejects(() => verify(sign({ accessKeyId: 'AKIAINACTIVE', secretAccessKey: 's3cret' })), /not active/);
  rejects(() => verify(sign({ accessKeyId: 'AKIAINACTIVE', secretAccessKey: 'wrong' })), /signature does not match/);
});

test('expiry: 15 minutes after X-Amz-Date whatever X-Amz-Expires says; far-future dates refused', () => {
  const t = sign({ expires: 60 });
  assert.equal(verify(t, { now: T0 + 15 * 60_000 }).accountId, '000000000000', 'still valid at exactly 15 min');
  rejects(() => verify(t, { now: T0 + 15 * 60_000 + 1 }), /expired/);
  rejects(() => verify(CLI_USER_TOKEN, { now: CLI_USER_SIGNED_AT + 16 * 60_000 }), /expired/);
  rejects(() => verify(sign({ now: T0 + 20 * 60_000 })), /future/);
  rejects(() => verify(sign({ expires: 901 })), /X-Amz-Expires/);
  assert.ok(verify(sign({ expires: 0 })));
});

test('temporary credentials need their session token and must not be expired', () => {
  const role = keys.get('ASIAKEKSTESTROLE0001')!;
  const base = { accessKeyId: 'ASIAKEKSTESTROLE0001', secretAccessKey: role.secretAccessKey, now: CLI_ROLE_SIGNED_AT };
  const ok = sign({ ...base, sessionToken: role.sessionToken });
  assert.equal(verify(ok, { now: CLI_ROLE_SIGNED_AT }).sessionName, 'bob@example.com');
  rejects(() => verify(sign(base), { now: CLI_ROLE_SIGNED_AT }), /security token/);
  rejects(() => verify(sign({ ...base, sessionToken: 'other' }), { now: CLI_ROLE_SIGNED_AT }), /security token/);
  rejects(() => verify(ok, { now: role.expiresAt! }), /temporary credentials have expired/);
  rejects(() => verify(sign({ sessionToken: 'x' })), /long-term/);
});

function tamper(token: string, edit: (url: string) => string): string {
  return encodeEksToken(edit(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString()));
}

test('a tampered URL is refused: changed values, extra, duplicate or multi-valued parameters, other hosts and paths', () => {
  const t = sign();
  rejects(() => verify(tamper(t, (u) => u.replace('X-Amz-Expires=60', 'X-Amz-Expires=61'))), /signature does not match/);
  rejects(() => verify(tamper(t, (u) => u.replace('Version=2011-06-15', 'Version=2011-06-16'))), /signature does not match/);
  rejects(() => verify(tamper(t, (u) => u + '&Foo=bar')), /non-whitelisted query parameter "Foo"/);
  rejects(() => verify(tamper(t, (u) => u + '&action=GetCallerIdentity')), /duplicate/);
  rejects(() => verify(tamper(t, (u) => u.replace('Action=GetCallerIdentity', 'Action=AssumeRole'))), /unexpected action/);
  rejects(() => verify(tamper(t, (u) => u.replace('host%3Bx-k8s-aws-id', 'host'))), /did not sign the x-k8s-aws-id/);
  rejects(() => verify(tamper(t, (u) => u.replace('https://sts.us-east-1.amazonaws.com/', 'https://evil.example.com/'))), /unexpected hostname/);
  rejects(() => verify(tamper(t, (u) => u.replace('https://sts.us-east-1.amazonaws.com/', 'http://sts.us-east-1.amazonaws.com/'))), /unexpected scheme "http"/);
  rejects(() => verify(tamper(t, (u) => u.replace('amazonaws.com/?', 'amazonaws.com/x?'))), /unexpected path/);
  rejects(() => verify(tamper(t, (u) => u.replace('sts.us-east-1', 'sts.us-west-2'))), /signature does not match/);
  rejects(() => verify(tamper(t, (u) => u.replace('X-Amz-Date=', 'X-Amz-Date=x'))), /X-Amz-Date/);
});

test('STS hosts of every form are accepted, loopback only as the local endpoint', () => {
  for (const endpoint of ['https://sts.amazonaws.com', 'https://sts.eu-west-1.amazonaws.com', 'https://sts-fips.us-east-1.amazonaws.com',
    'https://sts.us-east-1.api.aws', 'https://sts.cn-north-1.amazonaws.com.cn', 'http://localhost:4566', 'https://127.0.0.1:4566', 'http://127.0.0.1']) {
    assert.equal(verify(sign({ endpoint })).stsHost, new URL(endpoint).host, endpoint);
  }
  rejects(() => verify(sign({ endpoint: 'http://10.0.0.5:4566' })), /unexpected scheme/);
  const lan = sign({ endpoint: 'http://10.0.0.5:4566' });
  assert.equal(verifyEksToken(lan, { clusterName: 'c', credentials, now: T0, emulatorHosts: ['10.0.0.5:4566'] }).stsHost, '10.0.0.5:4566');
});

test('size, prefix and encoding limits', () => {
  rejects(() => verify('k8s-aws-v2.' + sign().slice(TOKEN_PREFIX.length)), /prefix/);
  rejects(() => verify(sign() + '='), /base64/);
  rejects(() => verify(sign().replace(/.$/, '+')), /base64/);
  rejects(() => verify(TOKEN_PREFIX + 'A'.repeat(4096)), /too large/);
  // A long but valid token (big session token) under 4096 bytes is fine; one byte over is not.
  const long = sign({ accessKeyId: 'ASIAKEKSTESTROLE0001', secretAccessKey: 'tempSecret+/x', sessionToken: 'x'.repeat(2000), now: CLI_ROLE_SIGNED_AT });
  assert.ok(long.length < 4096);
  rejects(() => verify(long, { now: CLI_ROLE_SIGNED_AT }), /security token does not match/);
});
