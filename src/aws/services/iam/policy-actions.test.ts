import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, ALLOW_ALL, TRUST_EKS, get, iamHarness, rejectsAws, str } from './test-harness.js';

type Row = Record<string, unknown>;

const EKS_LAB_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy', 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
  'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy', 'arn:aws:iam::aws:policy/AmazonEKSServicePolicy',
  'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController', 'arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess',
  'arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess',
];

test('ListPolicies Scope=AWS carries the managed policies EKS labs attach', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'ListPolicies', { Scope: 'AWS', MaxItems: '1000' });
  const arns = (get(out, 'Policies') as Row[]).map((p) => p.Arn);
  for (const a of EKS_LAB_POLICIES) assert.ok(arns.includes(a), a);
  const ebs = (get(out, 'Policies') as Row[]).find((p) => p.PolicyName === 'AmazonEBSCSIDriverPolicy');
  assert.equal(ebs?.Path, '/service-role/');
  assert.match(String(ebs?.PolicyId), /^ANPA[A-Z0-9]{17}$/);
  assert.equal(ebs?.IsAttachable, true);
  assert.equal(get(out, 'IsTruncated'), false);
});

test('ListPolicies pages with MaxItems/Marker over every policy exactly once', async () => {
  const h = await iamHarness();
  const seen: unknown[] = [];
  let marker: string | undefined;
  for (let i = 0; i < 100; i++) {
    const out = await h.call('iam', 'ListPolicies', { MaxItems: '7', ...(marker ? { Marker: marker } : {}) });
    seen.push(...(get(out, 'Policies') as Row[]).map((p) => p.Arn));
    if (get(out, 'IsTruncated') !== true) break;
    marker = str(out, 'Marker');
  }
  const all = get(await h.call('iam', 'ListPolicies', { MaxItems: '1000' }), 'Policies') as Row[];
  assert.deepEqual(seen, all.map((p) => p.Arn));
  assert.equal(new Set(seen).size, seen.length);
});

test('CreatePolicy / GetPolicy; Scope=Local and OnlyAttached; AttachmentCount', async () => {
  const h = await iamHarness();
  const out = await h.call('iam', 'CreatePolicy', { PolicyName: 'lbc', Path: '/eks/', PolicyDocument: ALLOW_ALL, Description: 'AWS LBC' });
  const arn = `arn:aws:iam::${ACCOUNT}:policy/eks/lbc`;
  assert.equal(str(out, 'Policy', 'Arn'), arn);
  assert.match(str(out, 'Policy', 'PolicyId'), /^ANPA[A-Z0-9]{17}$/);
  assert.equal(get(out, 'Policy', 'DefaultVersionId'), 'v1');
  assert.equal(get(out, 'Policy', 'AttachmentCount'), 0);
  const local = get(await h.call('iam', 'ListPolicies', { Scope: 'Local' }), 'Policies') as Row[];
  assert.deepEqual(local.map((p) => p.Arn), [arn]);
  assert.deepEqual(get(await h.call('iam', 'ListPolicies', { OnlyAttached: 'true' }), 'Policies'), []);
  await h.call('iam', 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_EKS });
  await h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: arn });
  await h.call('iam', 'AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
  assert.equal(get(await h.call('iam', 'GetPolicy', { PolicyArn: arn }), 'Policy', 'AttachmentCount'), 1);
  const attached = get(await h.call('iam', 'ListPolicies', { OnlyAttached: 'true' }), 'Policies') as Row[];
  assert.deepEqual(attached.map((p) => p.PolicyName).sort(), ['AmazonEKSClusterPolicy', 'lbc']);
  const aws = await h.call('iam', 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
  assert.equal(get(aws, 'Policy', 'PolicyName'), 'AmazonEKSClusterPolicy');
  assert.equal(get(aws, 'Policy', 'AttachmentCount'), 1);
});

test('CreatePolicy errors and GetPolicy of an unknown ARN', async () => {
  const h = await iamHarness();
  await h.call('iam', 'CreatePolicy', { PolicyName: 'p', PolicyDocument: ALLOW_ALL });
  await rejectsAws(h.call('iam', 'CreatePolicy', { PolicyName: 'p', PolicyDocument: ALLOW_ALL }), 'EntityAlreadyExists', 409,
    'A policy called p already exists. Duplicate names are not allowed.');
  await rejectsAws(h.call('iam', 'CreatePolicy', { PolicyName: 'q', PolicyDocument: '{"Version":' }), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  await rejectsAws(h.call('iam', 'CreatePolicy', { PolicyName: 'q', PolicyDocument: '{"Version":"2012-10-17"}' }), 'MalformedPolicyDocument', 400);
  await rejectsAws(h.call('iam', 'CreatePolicy', { PolicyName: 'q', Path: 'x', PolicyDocument: ALLOW_ALL }), 'ValidationError', 400, /at 'path'/);
  await rejectsAws(h.call('iam', 'GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` }), 'NoSuchEntity', 404,
    `Policy arn:aws:iam::${ACCOUNT}:policy/none was not found.`);
  await rejectsAws(h.call('iam', 'ListPolicies', { Scope: 'Mine' }), 'ValidationError', 400, /enum value set: \[All, AWS, Local\]/);
});

test('GetPolicyVersion returns the URL-encoded document; DeletePolicy refuses while attached', async () => {
  const h = await iamHarness();
  const arn = str(await h.call('iam', 'CreatePolicy', { PolicyName: 'p', PolicyDocument: ALLOW_ALL }), 'Policy', 'Arn');
  const v = await h.call('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
  assert.deepEqual(JSON.parse(decodeURIComponent(str(v, 'PolicyVersion', 'Document'))), JSON.parse(ALLOW_ALL));
  const admin = await h.call('iam', 'GetPolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' });
  assert.equal(JSON.parse(decodeURIComponent(str(admin, 'PolicyVersion', 'Document'))).Statement[0].Action, '*');
  await rejectsAws(h.call('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v2' }), 'NoSuchEntity', 404);
  await h.call('iam', 'CreateUser', { UserName: 'u' });
  await h.call('iam', 'AttachUserPolicy', { UserName: 'u', PolicyArn: arn });
  await rejectsAws(h.call('iam', 'DeletePolicy', { PolicyArn: arn }), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
  await h.call('iam', 'DetachUserPolicy', { UserName: 'u', PolicyArn: arn });
  await h.call('iam', 'DeletePolicy', { PolicyArn: arn });
  await rejectsAws(h.call('iam', 'GetPolicy', { PolicyArn: arn }), 'NoSuchEntity', 404);
});

test('customer policies survive a re-created service', async () => {
  const h = await iamHarness();
  const arn = str(await h.call('iam', 'CreatePolicy', { PolicyName: 'p', PolicyDocument: ALLOW_ALL }), 'Policy', 'Arn');
  const again = await iamHarness({ store: h.store, clock: h.clock });
  assert.equal(str(await again.call('iam', 'GetPolicy', { PolicyArn: arn }), 'Policy', 'PolicyName'), 'p');
});
