import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, ALLOW_ALL, TRUST_EKS, get, iamHarness, rejectsAws, str } from './test-harness.js';

test('CreateRole answers the Role shape with the trust policy URL-encoded', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'CreateRole', { RoleName: 'eks-cluster', AssumeRolePolicyDocument: TRUST_EKS, Description: 'cluster role' });
  assert.equal(str(out, 'Role', 'Arn'), `arn:aws:iam::${ACCOUNT}:role/eks-cluster`);
  assert.match(str(out, 'Role', 'RoleId'), /^AROA[A-Z0-9]{17}$/);
  assert.equal(get(out, 'Role', 'MaxSessionDuration'), 3600);
  const encoded = str(out, 'Role', 'AssumeRolePolicyDocument');
  assert.ok(encoded.startsWith('%7B%22Version%22'), encoded);
  assert.deepEqual(JSON.parse(decodeURIComponent(encoded)), JSON.parse(TRUST_EKS));
  const got = await h.call('iam', 'GetRole', { RoleName: 'EKS-CLUSTER' });
  assert.equal(str(got, 'Role', 'RoleName'), 'eks-cluster');
  assert.equal(get(got, 'Role', 'Description'), 'cluster role');
  assert.deepEqual(get(got, 'Role', 'RoleLastUsed'), {});
});

test('CreateRole errors: duplicate, malformed trust policy, bad name, bad MaxSessionDuration', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  await rejectsAws(h.call('iam', 'CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: TRUST_EKS }), 'EntityAlreadyExists', 409, 'Role with name R already exists.');
  await rejectsAws(h.call('iam', 'CreateRole', { RoleName: 'r2', AssumeRolePolicyDocument: '{not json' }), 'MalformedPolicyDocument', 400, 'This policy contains invalid Json');
  await rejectsAws(h.call('iam', 'CreateRole', { RoleName: 'r/2', AssumeRolePolicyDocument: TRUST_EKS }), 'ValidationError', 400, /at 'roleName'/);
  await rejectsAws(h.call('iam', 'CreateRole', { RoleName: 'r3', AssumeRolePolicyDocument: TRUST_EKS, MaxSessionDuration: '60' }), 'ValidationError', 400,
    /Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600/);
  await rejectsAws(h.call('iam', 'GetRole', { RoleName: 'nope' }), 'NoSuchEntity', 404, 'The role with name nope cannot be found.');
});

test('ListRoles honours PathPrefix and leaves Tags out', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: TRUST_EKS, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
  await h.call('iam', 'CreateRole', { RoleName: 'b', Path: '/svc/', AssumeRolePolicyDocument: TRUST_EKS });
  const all = get(await h.call('iam', 'ListRoles', {}), 'Roles') as Array<Record<string, unknown>>;
  assert.deepEqual(all.map((r) => r.Arn), [`arn:aws:iam::${ACCOUNT}:role/a`, `arn:aws:iam::${ACCOUNT}:role/svc/b`]);
  assert.equal(all[0].Tags, undefined);
  const svc = get(await h.call('iam', 'ListRoles', { PathPrefix: '/svc/' }), 'Roles') as unknown[];
  assert.equal(svc.length, 1);
});

test('Attach/Detach/ListAttachedRolePolicies with AWS managed policies', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'node', AssumeRolePolicyDocument: TRUST_EKS });
  for (const p of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']) {
    await h.call('iam', 'AttachRolePolicy', { RoleName: 'node', PolicyArn: `arn:aws:iam::aws:policy/${p}` });
  }
  await h.call('iam', 'AttachRolePolicy', { RoleName: 'node', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy' });
  const list = get(await h.call('iam', 'ListAttachedRolePolicies', { RoleName: 'node' }), 'AttachedPolicies') as Array<Record<string, unknown>>;
  assert.deepEqual(list.map((p) => p.PolicyName), ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEBSCSIDriverPolicy']);
  const sr = get(await h.call('iam', 'ListAttachedRolePolicies', { RoleName: 'node', PathPrefix: '/service-role/' }), 'AttachedPolicies') as unknown[];
  assert.equal(sr.length, 1);
  await h.call('iam', 'DetachRolePolicy', { RoleName: 'node', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' });
  await rejectsAws(h.call('iam', 'DetachRolePolicy', { RoleName: 'node', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' }), 'NoSuchEntity', 404,
    'Policy arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy was not found.');
  await rejectsAws(h.call('iam', 'AttachRolePolicy', { RoleName: 'ghost', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
});

test('at most 10 managed policies per role', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  for (let i = 0; i < 10; i++) {
    await h.call('iam', 'CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: ALLOW_ALL });
    await h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${i}` });
  }
  await rejectsAws(h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }), 'LimitExceeded', 409,
    'Cannot exceed quota for PoliciesPerRole: 10');
});

test('inline role policies: Put/Get/List/Delete, malformed documents refused', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'inline', PolicyDocument: ALLOW_ALL });
  const got = await h.call('iam', 'GetRolePolicy', { RoleName: 'r', PolicyName: 'inline' });
  assert.equal(got.RoleName, 'r');
  assert.deepEqual(JSON.parse(decodeURIComponent(str(got, 'PolicyDocument'))), JSON.parse(ALLOW_ALL));
  assert.deepEqual(get(await h.call('iam', 'ListRolePolicies', { RoleName: 'r' }), 'PolicyNames'), ['inline']);
  await rejectsAws(h.call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'bad', PolicyDocument: 'nope' }), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  await rejectsAws(h.call('iam', 'GetRolePolicy', { RoleName: 'r', PolicyName: 'other' }), 'NoSuchEntity', 404, 'The role policy with name other cannot be found.');
  await h.call('iam', 'DeleteRolePolicy', { RoleName: 'r', PolicyName: 'inline' });
  assert.deepEqual(get(await h.call('iam', 'ListRolePolicies', { RoleName: 'r' }), 'PolicyNames'), []);
});

test('DeleteRole refuses while policies or instance profiles reference the role', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
  await rejectsAws(h.call('iam', 'DeleteRole', { RoleName: 'r' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
  await h.call('iam', 'DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
  await h.call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'i', PolicyDocument: ALLOW_ALL });
  await rejectsAws(h.call('iam', 'DeleteRole', { RoleName: 'r' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
  await h.call('iam', 'DeleteRolePolicy', { RoleName: 'r', PolicyName: 'i' });
  await h.call('iam', 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
  await h.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r' });
  await rejectsAws(h.call('iam', 'DeleteRole', { RoleName: 'r' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove roles from instance profile first.');
  await h.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r' });
  await h.call('iam', 'DeleteRole', { RoleName: 'r' });
  await rejectsAws(h.call('iam', 'GetRole', { RoleName: 'r' }), 'NoSuchEntity', 404);
});

test('TagRole / UntagRole / ListRoleTags; UpdateAssumeRolePolicy replaces the trust policy', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'TagRole', { RoleName: 'r', 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'lab', 'Tags.member.2.Key': 'x', 'Tags.member.2.Value': 'y' });
  await h.call('iam', 'UntagRole', { RoleName: 'r', 'TagKeys.member.1': 'x' });
  assert.deepEqual(get(await h.call('iam', 'ListRoleTags', { RoleName: 'r' }), 'Tags'), [{ Key: 'env', Value: 'lab' }]);
  await rejectsAws(h.call('iam', 'TagRole', { RoleName: 'r', 'Tags.member.1.Key': 'bad{key', 'Tags.member.1.Value': 'v' }), 'ValidationError', 400, /tags\.1\.member\.key/);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
  await h.call('iam', 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trust });
  assert.equal(decodeURIComponent(str(await h.call('iam', 'GetRole', { RoleName: 'r' }), 'Role', 'AssumeRolePolicyDocument')), trust);
});

test('IamBackend.roleByArn and principalExists (exact path, any name case)', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'Admin', Path: '/team/', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'CreateUser', { UserName: 'dev' });
  const info = h.iam.backend.roleByArn(`arn:aws:iam::${ACCOUNT}:role/team/Admin`);
  assert.equal(info?.roleName, 'Admin');
  assert.equal(info?.path, '/team/');
  assert.match(info?.roleId ?? '', /^AROA/);
  assert.equal(info?.assumeRolePolicyDocument, TRUST_EKS);
  assert.equal(h.iam.backend.roleByArn(`arn:aws:iam::${ACCOUNT}:role/Admin`), undefined);
  assert.equal(h.iam.backend.roleByArn(`arn:aws:iam::111111111111:role/team/Admin`), undefined);
  assert.equal(h.iam.backend.principalExists(`arn:aws:iam::${ACCOUNT}:role/team/Admin`), true);
  assert.equal(h.iam.backend.principalExists(`arn:aws:iam::${ACCOUNT}:user/dev`), true);
  assert.equal(h.iam.backend.principalExists(`arn:aws:iam::${ACCOUNT}:user/ghost`), false);
  assert.equal(h.iam.backend.principalExists('garbage'), false);
});

test('roles, attachments and inline policies survive a re-created service', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS, MaxSessionDuration: '7200' });
  await h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
  await h.call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'i', PolicyDocument: ALLOW_ALL });
  const again = await iamHarness({ store: h.store, clock: h.clock });
  const role = await again.call('iam', 'GetRole', { RoleName: 'r' });
  assert.equal(get(role, 'Role', 'MaxSessionDuration'), 7200);
  assert.equal((get(await again.call('iam', 'ListAttachedRolePolicies', { RoleName: 'r' }), 'AttachedPolicies') as unknown[]).length, 1);
  assert.deepEqual(get(await again.call('iam', 'ListRolePolicies', { RoleName: 'r' }), 'PolicyNames'), ['i']);
});

test('PermissionsBoundary is checked, stored and reported; CreateServiceLinkedRole makes the AWS role once', async () => {
  const h = await iamHarness();
  const r = await h.call('iam', 'CreateRole', { RoleName: 'b', AssumeRolePolicyDocument: TRUST_EKS, PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' });
  assert.deepEqual(get(r, 'Role', 'PermissionsBoundary'), { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
  await rejectsAws(h.call('iam', 'CreateUser', { UserName: 'u', PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/none` }), 'InvalidInput', 400,
    `Scope ARN: arn:aws:iam::${ACCOUNT}:policy/none does not exist or is not attachable.`);
  const slr = await h.call('iam', 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
  assert.equal(str(slr, 'Role', 'Arn'), `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`);
  assert.equal(h.iam.backend.roleByArn(str(slr, 'Role', 'Arn'))?.roleName, 'AWSServiceRoleForAmazonEKS');
  await rejectsAws(h.call('iam', 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' }), 'InvalidInput', 400,
    'Service role name AWSServiceRoleForAmazonEKS has been taken in this account, please try a different suffix.');
  await rejectsAws(h.call('iam', 'CreateServiceLinkedRole', { AWSServiceName: 'nope.amazonaws.com' }), 'InvalidInput', 400, /no service-linked role for nope\.amazonaws\.com/);
});
