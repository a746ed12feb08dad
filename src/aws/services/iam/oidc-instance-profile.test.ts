import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, TRUST_EKS, get, iamHarness, rejectsAws, str } from './test-harness.js';

const ISSUER = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const HOSTPATH = ISSUER.slice('https://'.length);
const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

test('OIDC providers: Create, Get, List, duplicate, Delete, oidcProviderUrls', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'CreateOpenIDConnectProvider', { Url: ISSUER, 'ClientIDList.member.1': 'sts.amazonaws.com', 'ThumbprintList.member.1': THUMB });
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOSTPATH}`;
  assert.equal(out.OpenIDConnectProviderArn, arn);
  const got = await h.call('iam', 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: arn });
  assert.equal(got.Url, HOSTPATH);
  assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
  assert.deepEqual(got.ThumbprintList, [THUMB]);
  assert.deepEqual(get(await h.call('iam', 'ListOpenIDConnectProviders', {}), 'OpenIDConnectProviderList'), [{ Arn: arn }]);
  assert.deepEqual(h.iam.backend.oidcProviderUrls(ACCOUNT), [ISSUER]);
  assert.deepEqual(h.iam.backend.oidcProviderUrls('111111111111'), []);
  await rejectsAws(h.call('iam', 'CreateOpenIDConnectProvider', { Url: `${ISSUER}/` }), 'EntityAlreadyExists', 409, `Provider with url ${ISSUER} already exists.`);
  const again = await iamHarness({ store: h.store, clock: h.clock });
  assert.deepEqual(again.iam.backend.oidcProviderUrls(ACCOUNT), [ISSUER]);
  await h.call('iam', 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: arn });
  await rejectsAws(h.call('iam', 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: arn }), 'NoSuchEntity', 404, `OpenIDConnect Provider not found for arn ${arn}`);
  await rejectsAws(h.call('iam', 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: arn }), 'NoSuchEntity', 404);
});

test('OIDC provider validation: URL scheme, thumbprint count and length', async () => {
  const h = await iamHarness();
  await rejectsAws(h.call('iam', 'CreateOpenIDConnectProvider', { Url: 'http://example.com' }), 'ValidationError', 400, 'Invalid Open ID Connect Provider URL');
  const six: Record<string, string> = { Url: ISSUER };
  for (let i = 1; i <= 6; i++) six[`ThumbprintList.member.${i}`] = THUMB;
  await rejectsAws(h.call('iam', 'CreateOpenIDConnectProvider', six), 'InvalidInput', 400, 'Thumbprint list must contain fewer than 5 entries.');
  await rejectsAws(h.call('iam', 'CreateOpenIDConnectProvider', { Url: ISSUER, 'ThumbprintList.member.1': 'abc' }), 'ValidationError', 400, /length greater than or equal to 40/);
  await rejectsAws(h.call('iam', 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: 'arn:aws:iam::000000000000:role/x' }), 'InvalidInput', 400);
});

test('instance profiles: Create, AddRoleToInstanceProfile (one role), Get shows the role, Delete', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'node', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'CreateRole', { RoleName: 'other', AssumeRolePolicyDocument: TRUST_EKS });
  const out = await h.call('iam', 'CreateInstanceProfile', { InstanceProfileName: 'node-ip' });
  assert.equal(str(out, 'InstanceProfile', 'Arn'), `arn:aws:iam::${ACCOUNT}:instance-profile/node-ip`);
  assert.match(str(out, 'InstanceProfile', 'InstanceProfileId'), /^AIPA[A-Z0-9]{17}$/);
  assert.deepEqual(get(out, 'InstanceProfile', 'Roles'), []);
  await rejectsAws(h.call('iam', 'CreateInstanceProfile', { InstanceProfileName: 'node-ip' }), 'EntityAlreadyExists', 409, 'Instance Profile node-ip already exists.');
  await rejectsAws(h.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: 'node-ip', RoleName: 'ghost' }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
  await h.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: 'node-ip', RoleName: 'node' });
  await rejectsAws(h.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: 'node-ip', RoleName: 'other' }), 'LimitExceeded', 409,
    'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  const got = await h.call('iam', 'GetInstanceProfile', { InstanceProfileName: 'node-ip' });
  assert.deepEqual((get(got, 'InstanceProfile', 'Roles') as Array<Record<string, unknown>>).map((r) => r.RoleName), ['node']);
  const forRole = await h.call('iam', 'ListInstanceProfilesForRole', { RoleName: 'node' });
  assert.equal((get(forRole, 'InstanceProfiles') as unknown[]).length, 1);
  await rejectsAws(h.call('iam', 'DeleteInstanceProfile', { InstanceProfileName: 'node-ip' }), 'DeleteConflict', 409);
  await h.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'node-ip', RoleName: 'node' });
  await h.call('iam', 'DeleteInstanceProfile', { InstanceProfileName: 'node-ip' });
  await rejectsAws(h.call('iam', 'GetInstanceProfile', { InstanceProfileName: 'node-ip' }), 'NoSuchEntity', 404, 'Instance Profile node-ip cannot be found.');
});
