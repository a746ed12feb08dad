/**
 * IAM and STS credentials through the real request pipeline (AwsDispatcher, SigV4 verification,
 * query codec), without a socket: created keys sign, Inactive/deleted keys and wrong secrets do
 * not, temporary credentials need their session token and stop at Expiration (FakeClock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { FakeClock } from '../../../util/clock.js';
import { AwsDispatcher, type AwsHttpRequest } from '../../core/dispatch.js';
import { signRequest, type SigningCredentials } from '../../core/sigv4-sign.js';
import { storeBackedState } from '../../core/state.js';
import { createIam } from '../iam/iam.js';

const ACCOUNT = '000000000000';
const ROOT: SigningCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  const iam = await createIam({
    clock, state: storeBackedState(new MemoryStore()), defaultAccountId: ACCOUNT, defaultRegion: 'ap-northeast-2',
    rootKeys: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
  });
  const d = new AwsDispatcher({ services: [iam.iam, iam.sts], credentials: iam.backend, clock });
  const call = async (service: 'iam' | 'sts', body: string, creds: SigningCredentials = ROOT) => {
    const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
    const full = `${body}&Version=${version}`;
    const headers = signRequest({
      method: 'POST', url: 'http://127.0.0.1:4566/', body: full, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      credentials: creds, region: 'eu-west-1', service, nowMs: clock.now(),
    });
    const req: AwsHttpRequest = { method: 'POST', rawUrl: '/', headers: Object.entries(headers), body: Buffer.from(full) };
    return d.handle(req);
  };
  return { clock, iam, call };
}

function member(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  assert.ok(m, `no <${tag}> in ${xml}`);
  return m[1];
}

test('a key created through IAM signs GetCallerIdentity as its user; Inactive and deleted keys do not', async () => {
  const { call } = await setup();
  assert.equal((await call('iam', 'Action=CreateUser&UserName=dev')).status, 200);
  const created = await call('iam', 'Action=CreateAccessKey&UserName=dev');
  assert.equal(created.status, 200);
  const dev: SigningCredentials = { accessKeyId: member(created.body, 'AccessKeyId'), secretAccessKey: member(created.body, 'SecretAccessKey') };
  const who = await call('sts', 'Action=GetCallerIdentity', dev);
  assert.equal(who.status, 200);
  assert.equal(member(who.body, 'Arn'), `arn:aws:iam::${ACCOUNT}:user/dev`);
  assert.match(who.body, /<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);

  const wrong = await call('sts', 'Action=GetCallerIdentity', { ...dev, secretAccessKey: `${dev.secretAccessKey.slice(1)}x` });
  assert.equal(wrong.status, 403);
  assert.equal(member(wrong.body, 'Code'), 'SignatureDoesNotMatch');

  await call('iam', `Action=UpdateAccessKey&UserName=dev&AccessKeyId=${dev.accessKeyId}&Status=Inactive`);
  const inactive = await call('sts', 'Action=GetCallerIdentity', dev);
  assert.equal(inactive.status, 403);
  assert.equal(member(inactive.body, 'Code'), 'InvalidClientTokenId');

  await call('iam', `Action=UpdateAccessKey&UserName=dev&AccessKeyId=${dev.accessKeyId}&Status=Active`);
  assert.equal((await call('sts', 'Action=GetCallerIdentity', dev)).status, 200);
  await call('iam', `Action=DeleteAccessKey&UserName=dev&AccessKeyId=${dev.accessKeyId}`);
  const deleted = await call('sts', 'Action=GetCallerIdentity', dev);
  assert.equal(deleted.status, 403);
  assert.equal(member(deleted.body, 'Code'), 'InvalidClientTokenId');
});

test('AssumeRole credentials sign with their session token until Expiration, then ExpiredToken', async () => {
  const { call, clock } = await setup();
  const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }));
  assert.equal((await call('iam', `Action=CreateRole&RoleName=lab&AssumeRolePolicyDocument=${trust}`)).status, 200);
  const assumed = await call('sts', `Action=AssumeRole&RoleArn=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:role/lab`)}&RoleSessionName=s1&DurationSeconds=900`);
  assert.equal(assumed.status, 200, assumed.body);
  const tmp: SigningCredentials = {
    accessKeyId: member(assumed.body, 'AccessKeyId'), secretAccessKey: member(assumed.body, 'SecretAccessKey'), sessionToken: member(assumed.body, 'SessionToken'),
  };
  const who = await call('sts', 'Action=GetCallerIdentity', tmp);
  assert.equal(who.status, 200);
  assert.equal(member(who.body, 'Arn'), `arn:aws:sts::${ACCOUNT}:assumed-role/lab/s1`);
  const noToken = await call('sts', 'Action=GetCallerIdentity', { accessKeyId: tmp.accessKeyId, secretAccessKey: tmp.secretAccessKey });
  assert.equal(member(noToken.body, 'Code'), 'InvalidClientTokenId');
  // IAM acts in the session's account: the assumed role can list roles.
  assert.equal((await call('iam', 'Action=ListRoles', tmp)).status, 200);
  clock.step(899_000);
  assert.equal((await call('sts', 'Action=GetCallerIdentity', tmp)).status, 200);
  clock.step(1_000);
  const expired = await call('sts', 'Action=GetCallerIdentity', tmp);
  assert.equal(expired.status, 403);
  assert.equal(member(expired.body, 'Code'), 'ExpiredToken');
});

test('IAM errors reach the client in the query envelope with the model status', async () => {
  const { call } = await setup();
  const r = await call('iam', 'Action=GetUser&UserName=ghost');
  assert.equal(r.status, 404);
  assert.equal(member(r.body, 'Code'), 'NoSuchEntity');
  assert.equal(member(r.body, 'Message'), 'The user with name ghost cannot be found.');
  assert.match(r.body, /<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/">/);
});
