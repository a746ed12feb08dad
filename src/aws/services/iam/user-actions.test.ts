import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, get, iamHarness, rejectsAws, str } from './test-harness.js';

test('CreateUser answers the User shape; GetUser and ListUsers find it', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'CreateUser', { UserName: 'alice', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'dev' });
  assert.equal(str(out, 'User', 'Arn'), `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.match(str(out, 'User', 'UserId'), /^AIDA[A-Z0-9]{17}$/);
  assert.equal(get(out, 'User', 'Path'), '/');
  assert.ok(get(out, 'User', 'CreateDate') instanceof Date);
  assert.deepEqual(get(out, 'User', 'Tags'), [{ Key: 'team', Value: 'dev' }]);
  const got = await h.call('iam', 'GetUser', { UserName: 'ALICE' });
  assert.equal(str(got, 'User', 'UserName'), 'alice');
  await h.call('iam', 'CreateUser', { UserName: 'bob', Path: '/eng/' });
  const list = await h.call('iam', 'ListUsers', {});
  assert.deepEqual((get(list, 'Users') as Array<Record<string, unknown>>).map((u) => u.Arn), [
    `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/eng/bob`,
  ]);
  const eng = await h.call('iam', 'ListUsers', { PathPrefix: '/eng/' });
  assert.equal((get(eng, 'Users') as unknown[]).length, 1);
});

test('CreateUser errors: duplicate (any case), bad pattern, too long, bad path', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'alice' });
  await rejectsAws(h.call('iam', 'CreateUser', { UserName: 'Alice' }), 'EntityAlreadyExists', 409, 'User with name Alice already exists.');
  await rejectsAws(h.call('iam', 'CreateUser', { UserName: 'bad name' }), 'ValidationError', 400,
    "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  await rejectsAws(h.call('iam', 'CreateUser', { UserName: 'x'.repeat(65) }), 'ValidationError', 400, /Member must have length less than or equal to 64/);
  await rejectsAws(h.call('iam', 'CreateUser', { UserName: 'ok', Path: 'nopath' }), 'ValidationError', 400, /at 'path'/);
  await rejectsAws(h.call('iam', 'CreateUser', {}), 'ValidationError', 400, /Value null at 'userName'/);
});

test('GetUser: unknown user 404, the caller itself without UserName, root shape', async () => {
  const h = await iamHarness();
  await rejectsAws(h.call('iam', 'GetUser', { UserName: 'ghost' }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
  const root = await h.call('iam', 'GetUser', {});
  assert.equal(str(root, 'User', 'Arn'), `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(str(root, 'User', 'UserId'), ACCOUNT);
  await h.call('iam', 'CreateUser', { UserName: 'carol' });
  const key = await h.call('iam', 'CreateAccessKey', { UserName: 'carol' });
  const me = await h.call('iam', 'GetUser', {}, str(key, 'AccessKey', 'AccessKeyId'));
  assert.equal(str(me, 'User', 'UserName'), 'carol');
});

test('ListUsers pages with MaxItems and Marker', async () => {
  const h = await iamHarness();
  for (const n of ['u1', 'u2', 'u3']) await h.call('iam', 'CreateUser', { UserName: n });
  const p1 = await h.call('iam', 'ListUsers', { MaxItems: '2' });
  assert.equal(get(p1, 'IsTruncated'), true);
  assert.equal((get(p1, 'Users') as unknown[]).length, 2);
  const p2 = await h.call('iam', 'ListUsers', { MaxItems: '2', Marker: str(p1, 'Marker') });
  assert.equal(get(p2, 'IsTruncated'), false);
  assert.deepEqual((get(p2, 'Users') as Array<Record<string, unknown>>).map((u) => u.UserName), ['u3']);
  await rejectsAws(h.call('iam', 'ListUsers', { MaxItems: '0' }), 'ValidationError', 400, /greater than or equal to 1/);
  await rejectsAws(h.call('iam', 'ListUsers', { Marker: 'garbage' }), 'ValidationError', 400, 'Invalid Marker.');
});

test('CreateAccessKey issues real keys that resolve to the user; quota of 2', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const out = await h.call('iam', 'CreateAccessKey', { UserName: 'dev' });
  const id = str(out, 'AccessKey', 'AccessKeyId');
  const secret = str(out, 'AccessKey', 'SecretAccessKey');
  assert.match(id, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(secret.length, 40);
  assert.equal(get(out, 'AccessKey', 'Status'), 'Active');
  assert.equal(get(out, 'AccessKey', 'UserName'), 'dev');
  const rec = h.iam.backend.lookup(id);
  assert.equal(rec?.secretAccessKey, secret);
  assert.deepEqual(rec?.principal, { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev`, userId: rec?.principal.userId, type: 'user', userName: 'dev' });
  assert.match(rec?.principal.userId ?? '', /^AIDA/);
  // The user creates its second key itself (UserName defaults to the caller).
  const second = await h.call('iam', 'CreateAccessKey', {}, id);
  assert.equal(get(second, 'AccessKey', 'UserName'), 'dev');
  assert.notEqual(str(second, 'AccessKey', 'AccessKeyId'), id);
  await rejectsAws(h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
  await rejectsAws(h.call('iam', 'CreateAccessKey', { UserName: 'nobody' }), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  const list = await h.call('iam', 'ListAccessKeys', { UserName: 'dev' });
  const meta = get(list, 'AccessKeyMetadata') as Array<Record<string, unknown>>;
  assert.equal(meta.length, 2);
  assert.ok(meta.every((m) => m.SecretAccessKey === undefined && m.Status === 'Active' && m.UserName === 'dev'));
  assert.deepEqual(meta.map((m) => m.AccessKeyId).sort(), [id, str(second, 'AccessKey', 'AccessKeyId')].sort());
});

test('UpdateAccessKey Inactive stops the key resolving as Active; DeleteAccessKey removes it', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const id = str(await h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'AccessKey', 'AccessKeyId');
  await h.call('iam', 'UpdateAccessKey', { UserName: 'dev', AccessKeyId: id, Status: 'Inactive' });
  assert.equal(h.iam.backend.lookup(id)?.status, 'Inactive');
  await h.call('iam', 'UpdateAccessKey', { UserName: 'dev', AccessKeyId: id, Status: 'Active' });
  assert.equal(h.iam.backend.lookup(id)?.status, 'Active');
  await rejectsAws(h.call('iam', 'UpdateAccessKey', { UserName: 'dev', AccessKeyId: id, Status: 'Paused' }), 'ValidationError', 400, /enum value set/);
  await h.call('iam', 'CreateUser', { UserName: 'other' });
  await rejectsAws(h.call('iam', 'DeleteAccessKey', { UserName: 'other', AccessKeyId: id }), 'NoSuchEntity', 404, `The Access Key with id ${id} cannot be found.`);
  await h.call('iam', 'DeleteAccessKey', { UserName: 'dev', AccessKeyId: id });
  assert.equal(h.iam.backend.lookup(id), undefined);
  await rejectsAws(h.call('iam', 'DeleteAccessKey', { UserName: 'dev', AccessKeyId: id }), 'NoSuchEntity', 404);
});

test('root access keys: CreateAccessKey by the root without UserName makes a root key', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'CreateAccessKey', {});
  const id = str(out, 'AccessKey', 'AccessKeyId');
  assert.equal(get(out, 'AccessKey', 'UserName'), undefined);
  assert.equal(h.iam.backend.lookup(id)?.principal.arn, `arn:aws:iam::${ACCOUNT}:root`);
  const list = await h.call('iam', 'ListAccessKeys', {});
  assert.equal((get(list, 'AccessKeyMetadata') as unknown[]).length, 1);
});

test('DeleteUser refuses while keys or attached policies remain', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const id = str(await h.call('iam', 'CreateAccessKey', { UserName: 'dev' }), 'AccessKey', 'AccessKeyId');
  await h.call('iam', 'AttachUserPolicy', { UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await rejectsAws(h.call('iam', 'DeleteUser', { UserName: 'dev' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
  await h.call('iam', 'DeleteAccessKey', { UserName: 'dev', AccessKeyId: id });
  await rejectsAws(h.call('iam', 'DeleteUser', { UserName: 'dev' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
  await h.call('iam', 'DetachUserPolicy', { UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await h.call('iam', 'DeleteUser', { UserName: 'dev' });
  await rejectsAws(h.call('iam', 'GetUser', { UserName: 'dev' }), 'NoSuchEntity', 404);
  await rejectsAws(h.call('iam', 'DeleteUser', { UserName: 'dev' }), 'NoSuchEntity', 404, 'The user with name dev cannot be found.');
});

test('AttachUserPolicy / ListAttachedUserPolicies; unknown policy is not attachable', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  await h.call('iam', 'AttachUserPolicy', { UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  await h.call('iam', 'AttachUserPolicy', { UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  const list = await h.call('iam', 'ListAttachedUserPolicies', { UserName: 'dev' });
  assert.deepEqual(get(list, 'AttachedPolicies'), [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
  await rejectsAws(h.call('iam', 'AttachUserPolicy', { UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' }), 'NoSuchEntity', 404,
    'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.');
  await rejectsAws(h.call('iam', 'AttachUserPolicy', { UserName: 'dev', PolicyArn: 'not-an-arn-at-all-really' }), 'InvalidInput', 400, 'ARN not-an-arn-at-all-really is not valid.');
});

test('TagUser merges tags; ListUserTags lists them', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1' });
  await h.call('iam', 'TagUser', { UserName: 'dev', 'Tags.member.1.Key': 'A', 'Tags.member.1.Value': '2', 'Tags.member.2.Key': 'b', 'Tags.member.2.Value': '3' });
  const tags = await h.call('iam', 'ListUserTags', { UserName: 'dev' });
  assert.deepEqual(get(tags, 'Tags'), [{ Key: 'A', Value: '2' }, { Key: 'b', Value: '3' }]);
  await rejectsAws(h.call('iam', 'TagUser', { UserName: 'ghost', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1' }), 'NoSuchEntity', 404);
});

test('users, keys and their status survive a re-created service on the same store', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const k1 = await h.call('iam', 'CreateAccessKey', { UserName: 'dev' });
  const k2 = await h.call('iam', 'CreateAccessKey', { UserName: 'dev' });
  const id1 = str(k1, 'AccessKey', 'AccessKeyId');
  const id2 = str(k2, 'AccessKey', 'AccessKeyId');
  await h.call('iam', 'UpdateAccessKey', { UserName: 'dev', AccessKeyId: id1, Status: 'Inactive' });
  await h.call('iam', 'DeleteAccessKey', { UserName: 'dev', AccessKeyId: id2 });
  const again = await iamHarness({ store: h.store, clock: h.clock });
  assert.equal(str(await again.call('iam', 'GetUser', { UserName: 'dev' }), 'User', 'UserId'), str(await h.call('iam', 'GetUser', { UserName: 'dev' }), 'User', 'UserId'));
  const rec = again.iam.backend.lookup(id1);
  assert.equal(rec?.status, 'Inactive');
  assert.equal(rec?.secretAccessKey, str(k1, 'AccessKey', 'SecretAccessKey'));
  assert.equal(rec?.principal.arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
  assert.equal(again.iam.backend.lookup(id2), undefined);
  assert.equal(again.iam.backend.lookup('test')?.principal.type, 'root');
});

test('concurrent CreateUser / CreateAccessKey calls keep names unique and the key quota', async () => {
  const h = await iamHarness();
  const created = await Promise.allSettled([1, 2, 3].map(() => h.call('iam', 'CreateUser', { UserName: 'race' })));
  assert.equal(created.filter((r) => r.status === 'fulfilled').length, 1);
  assert.equal(created.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'EntityAlreadyExists').length, 2);
  const keys = await Promise.allSettled([1, 2, 3, 4].map(() => h.call('iam', 'CreateAccessKey', { UserName: 'race' })));
  assert.equal(keys.filter((r) => r.status === 'fulfilled').length, 2);
  assert.equal((get(await h.call('iam', 'ListAccessKeys', { UserName: 'race' }), 'AccessKeyMetadata') as unknown[]).length, 2);
});
