import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError, type AwsRequestContext } from '../../core/types.js';
import { ACCOUNT, TRUST_ACCOUNT, TRUST_EKS, get, iamHarness, rejectsAws, str } from '../iam/test-harness.js';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lab`;

async function withRole(opts: { trust?: string; maxSession?: string } = {}) {
  const h = await iamHarness();
  const role = await h.call('iam', 'CreateRole', {
    RoleName: 'lab', AssumeRolePolicyDocument: opts.trust ?? TRUST_ACCOUNT, ...(opts.maxSession ? { MaxSessionDuration: opts.maxSession } : {}),
  });
  return { h, roleId: str(role, 'Role', 'RoleId') };
}

test('GetCallerIdentity: root, IAM user and assumed-role shapes', async () => {
  const { h, roleId } = await withRole();
  assert.deepEqual(await h.call('sts', 'GetCallerIdentity', {}), { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  const user = await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const key = str(await h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'AccessKey', 'AccessKeyId');
  assert.deepEqual(await h.call('sts', 'GetCallerIdentity', {}, key), { UserId: str(user, 'User', 'UserId'), Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev` });
  const assumed = await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'me@lab' });
  const tmp = str(assumed, 'Credentials', 'AccessKeyId');
  assert.deepEqual(await h.call('sts', 'GetCallerIdentity', {}, tmp), {
    UserId: `${roleId}:me@lab`, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lab/me@lab`,
  });
});

test('AssumeRole issues ASIA credentials with a session token, AssumedRoleUser and a one-hour Expiration', async () => {
  const { h, roleId } = await withRole();
  const out = await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'sess' });
  const id = str(out, 'Credentials', 'AccessKeyId');
  assert.match(id, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(str(out, 'Credentials', 'SecretAccessKey').length, 40);
  const token = str(out, 'Credentials', 'SessionToken');
  assert.ok(token.length > 100);
  assert.equal((get(out, 'Credentials', 'Expiration') as Date).getTime(), h.clock.now() + 3600_000);
  assert.deepEqual(get(out, 'AssumedRoleUser'), { AssumedRoleId: `${roleId}:sess`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lab/sess` });
  const rec = h.iam.backend.lookup(id);
  assert.equal(rec?.sessionToken, token);
  assert.equal(rec?.expiresAt, h.clock.now() + 3600_000);
  assert.equal(rec?.principal.type, 'assumed-role');
  assert.equal(rec?.principal.roleArn, ROLE_ARN);
  assert.equal(rec?.principal.sessionName, 'sess');
});

test('AssumeRole of a missing role or one whose trust policy excludes the caller → AccessDenied 403', async () => {
  const { h } = await withRole({ trust: TRUST_EKS });
  const missing = `arn:aws:iam::${ACCOUNT}:role/none`;
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: missing, RoleSessionName: 'sess' }), 'AccessDenied', 403,
    `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${missing}`);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'sess' }), 'AccessDenied', 403,
    `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
});

test('AssumeRole validation: session name, DurationSeconds bounds, MaxSessionDuration, role chaining', async () => {
  const { h } = await withRole({ maxSession: '7200' });
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'a' }), 'ValidationError', 400,
    "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'has space' }), 'ValidationError', 400, /regular expression pattern: \[\\w\+=,\.@-\]\*/);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'x'.repeat(65) }), 'ValidationError', 400, /less than or equal to 64/);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: '899' }), 'ValidationError', 400, /greater than or equal to 900/);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: '7201' }), 'ValidationError', 400,
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const long = await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: '7200' });
  assert.equal((get(long, 'Credentials', 'Expiration') as Date).getTime(), h.clock.now() + 7200_000);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'ok', Policy: 'nope' }), 'MalformedPolicyDocument', 400);
  // Role chaining: an assumed-role session may assume a role for at most one hour.
  const chained = str(long, 'Credentials', 'AccessKeyId');
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'c2', DurationSeconds: '7200' }, chained), 'ValidationError', 400,
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  const ok = await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'c2' }, chained);
  assert.match(str(ok, 'Credentials', 'AccessKeyId'), /^ASIA/);
});

test('trust policy naming a user admits that user only', async () => {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:user/dev`] }, Action: 'sts:AssumeRole' }] });
  const { h } = await withRole({ trust });
  for (const u of ['dev', 'eve']) await h.call('iam', 'CreateUser', { UserName: u });
  const dev = str(await h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'AccessKey', 'AccessKeyId');
  const eve = str(await h.call('iam', 'CreateAccessKey', { UserName: 'eve' }), 'AccessKey', 'AccessKeyId');
  await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1' }, dev);
  await rejectsAws(h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1' }, eve), 'AccessDenied', 403,
    `User: arn:aws:iam::${ACCOUNT}:user/eve is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
});

test('GetSessionToken: user keeps its identity, root capped at one hour, session credentials refused', async () => {
  const { h } = await withRole();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const key = str(await h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'AccessKey', 'AccessKeyId');
  const out = await h.call('sts', 'GetSessionToken', {}, key);
  const id = str(out, 'Credentials', 'AccessKeyId');
  assert.match(id, /^ASIA/);
  assert.equal((get(out, 'Credentials', 'Expiration') as Date).getTime(), h.clock.now() + 43200_000);
  assert.equal((await h.call('sts', 'GetCallerIdentity', {}, id)).Arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
  const root = await h.call('sts', 'GetSessionToken', { DurationSeconds: '7200' });
  assert.equal((get(root, 'Credentials', 'Expiration') as Date).getTime(), h.clock.now() + 3600_000);
  await rejectsAws(h.call('sts', 'GetSessionToken', {}, id), 'AccessDenied', 403, 'Cannot call GetSessionToken with session credentials');
  await rejectsAws(h.call('sts', 'GetSessionToken', { DurationSeconds: '130000' }, key), 'ValidationError', 400, /less than or equal to 129600/);
});

test('sessions survive a re-created service; expired ones are forgotten a day later', async () => {
  const { h } = await withRole();
  const id = str(await h.call('sts', 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'sess' }), 'Credentials', 'AccessKeyId');
  const again = await iamHarness({ store: h.store, clock: h.clock });
  assert.equal(again.iam.backend.lookup(id)?.principal.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/lab/sess`);
  h.clock.step(3600_000 + 25 * 3600_000);
  const later = await iamHarness({ store: h.store, clock: h.clock });
  assert.equal(later.iam.backend.lookup(id), undefined);
});

// ---- AssumeRoleWithWebIdentity ----------------------------------------------------------------

const ISSUER = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/ABCDEF0123456789';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.slice(8)}`;
const IRSA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${ISSUER.slice(8)}:sub`]: 'system:serviceaccount:default:app' } },
  }],
});
const anonymous: AwsRequestContext = {
  requestId: 'r', region: 'us-east-1', accessKeyId: '', service: 'sts', operation: 'AssumeRoleWithWebIdentity',
  caller: { accountId: ACCOUNT, arn: 'anonymous', userId: 'anonymous', type: 'user' },
};
const WEB_PARAMS = { RoleArn: `arn:aws:iam::${ACCOUNT}:role/irsa`, RoleSessionName: 'botocore-session-1', WebIdentityToken: 'eyJhbGciOi.fake.jwt' };

async function irsaHarness(verifier?: (t: string) => Promise<{ issuer: string; subject: string; audience: string }>) {
  const h = await iamHarness(verifier ? { verifier } : {});
  const role = await h.call('iam', 'CreateRole', { RoleName: 'irsa', AssumeRolePolicyDocument: IRSA_TRUST });
  return { h, roleId: str(role, 'Role', 'RoleId') };
}

const goodVerifier = async (token: string) => {
  if (token !== WEB_PARAMS.WebIdentityToken) throw new Error('bad signature');
  return { issuer: ISSUER, subject: 'system:serviceaccount:default:app', audience: 'sts.amazonaws.com' };
};

test('AssumeRoleWithWebIdentity: verified token + IAM OIDC provider + role → credentials and the web identity members', async () => {
  const { h, roleId } = await irsaHarness(goodVerifier);
  await h.call('iam', 'CreateOpenIDConnectProvider', { Url: ISSUER, 'ClientIDList.member.1': 'sts.amazonaws.com' });
  const out = await h.callCtx('sts', 'AssumeRoleWithWebIdentity', WEB_PARAMS, anonymous);
  assert.match(str(out, 'Credentials', 'AccessKeyId'), /^ASIA/);
  assert.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:default:app');
  assert.equal(out.Audience, 'sts.amazonaws.com');
  assert.equal(out.Provider, PROVIDER_ARN);
  assert.deepEqual(get(out, 'AssumedRoleUser'), { AssumedRoleId: `${roleId}:botocore-session-1`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/irsa/botocore-session-1` });
  const who = await h.call('sts', 'GetCallerIdentity', {}, str(out, 'Credentials', 'AccessKeyId'));
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/irsa/botocore-session-1`);
});

test('AssumeRoleWithWebIdentity errors: no verifier, bad token, no provider, wrong audience, missing role', async () => {
  const none = await irsaHarness();
  await rejectsAws(none.h.callCtx('sts', 'AssumeRoleWithWebIdentity', WEB_PARAMS, anonymous), 'InvalidIdentityToken', 400);
  const { h } = await irsaHarness(goodVerifier);
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', { ...WEB_PARAMS, WebIdentityToken: 'forged-token' }, anonymous), 'InvalidIdentityToken', 400, /could not be validated/);
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', WEB_PARAMS, anonymous), 'InvalidIdentityToken', 400,
    `No OpenIDConnect provider found in your account for ${ISSUER}`);
  await h.call('iam', 'CreateOpenIDConnectProvider', { Url: ISSUER, 'ClientIDList.member.1': 'other-audience' });
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', WEB_PARAMS, anonymous), 'InvalidIdentityToken', 400, 'Incorrect token audience');
  await h.call('iam', 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: PROVIDER_ARN });
  await h.call('iam', 'CreateOpenIDConnectProvider', { Url: ISSUER, 'ClientIDList.member.1': 'sts.amazonaws.com' });
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', { ...WEB_PARAMS, RoleArn: `arn:aws:iam::${ACCOUNT}:role/none` }, anonymous), 'AccessDenied', 403,
    'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  await h.call('iam', 'CreateRole', { RoleName: 'plain', AssumeRolePolicyDocument: TRUST_ACCOUNT });
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', { ...WEB_PARAMS, RoleArn: `arn:aws:iam::${ACCOUNT}:role/plain` }, anonymous), 'AccessDenied', 403);
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', { ...WEB_PARAMS, WebIdentityToken: 'abc' }, anonymous), 'ValidationError', 400, /at 'webIdentityToken'/);
});

test('AssumeRoleWithWebIdentity passes a verifier AwsError (e.g. ExpiredTokenException) through', async () => {
  const { h } = await irsaHarness(async () => { throw new AwsError('ExpiredTokenException', 'Token expired: current date/time 2 must be before the expiration date/time 1', 400); });
  await rejectsAws(h.callCtx('sts', 'AssumeRoleWithWebIdentity', WEB_PARAMS, anonymous), 'ExpiredTokenException', 400, /Token expired/);
});
