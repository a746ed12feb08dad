import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, REGION, ctxOf, testEks } from './testing-fakes.js';
import { rejectsAws as rejects } from './test-assert.js';
import type { AwsPrincipal } from '../../core/types.js';

const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/nodes`;
const enc = encodeURIComponent;
const policy = (n: string) => `arn:aws:eks::aws:cluster-access-policy/${n}`;

test('access-entry operations are refused in CONFIG_MAP mode with the EKS message', async () => {
  const t = await testEks();
  await t.createCluster('cm');
  const msg = "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";
  const f = await rejects(() => t.call('POST', '/clusters/cm/access-entries', { principalArn: USER }), 'InvalidRequestException', msg, 400);
  assert.deepEqual(f, { clusterName: 'cm' });
  await rejects(() => t.call('GET', '/clusters/cm/access-entries'), 'InvalidRequestException', msg);
  await rejects(() => t.call('GET', `/clusters/cm/access-entries/${enc(USER)}`), 'InvalidRequestException', msg);
  // ListAccessPolicies is global and always works: the 19 real policies.
  const { accessPolicies } = await t.call('GET', '/access-policies');
  assert.equal(accessPolicies.length, 19);
  assert.deepEqual(accessPolicies.find((p: { name: string }) => p.name === 'AmazonEKSClusterAdminPolicy'), { name: 'AmazonEKSClusterAdminPolicy', arn: policy('AmazonEKSClusterAdminPolicy') });
});

test('an API-mode cluster gets the creator entry with AmazonEKSClusterAdminPolicy (assumed role → role ARN)', async () => {
  const t = await testEks();
  const caller: AwsPrincipal = { accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/session-1`, userId: 'AROAADMIN:session-1', type: 'assumed-role', roleArn: ADMIN_ROLE, sessionName: 'session-1' };
  await t.call('POST', '/clusters', { name: 'api', roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster-role`, resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] }, accessConfig: { authenticationMode: 'API' } }, ctxOf('CreateCluster', caller));
  assert.deepEqual((await t.call('GET', '/clusters/api/access-entries', {}, ctxOf('x', caller))).accessEntries, [ADMIN_ROLE]);
  const { accessEntry } = await t.call('GET', `/clusters/api/access-entries/${enc(ADMIN_ROLE)}`, {}, ctxOf('x', caller));
  assert.equal(accessEntry.username, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/{{SessionName}}`);
  assert.equal(accessEntry.type, 'STANDARD');
  const { associatedAccessPolicies } = await t.call('GET', `/clusters/api/access-entries/${enc(ADMIN_ROLE)}/access-policies`, {}, ctxOf('x', caller));
  assert.equal(associatedAccessPolicies.length, 1);
  assert.equal(associatedAccessPolicies[0].policyArn, policy('AmazonEKSClusterAdminPolicy'));
  assert.deepEqual(associatedAccessPolicies[0].accessScope, { type: 'cluster', namespaces: [] });
  // The identity source sign-in reads.
  assert.deepEqual(t.eks.identity.creator('api'), { arn: ADMIN_ROLE, bootstrapClusterCreatorAdminPermissions: true });
  assert.equal(t.eks.identity.creatorArn('api'), ADMIN_ROLE);
  const view = t.eks.identity.accessEntry('api', ADMIN_ROLE);
  assert.deepEqual(view?.policies, [{ policyArn: policy('AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster', namespaces: [] } }]);
  assert.equal(t.eks.identity.accessEntry('api', USER), undefined);
  assert.equal(t.eks.identity.accessEntry('nope', USER), undefined);
});

test('no creator entry without bootstrapClusterCreatorAdminPermissions', async () => {
  const t = await testEks();
  await t.createCluster('nob', { accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false } });
  assert.deepEqual((await t.call('GET', '/clusters/nob/access-entries')).accessEntries, []);
  assert.equal(t.eks.identity.creator('nob')?.bootstrapClusterCreatorAdminPermissions, false);
});

test('CreateAccessEntry defaults (user, role, EC2_LINUX), arn shape, duplicates, bad principals', async () => {
  const t = await testEks();
  await t.createCluster('ae', { accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } });
  const { accessEntry: u } = await t.call('POST', '/clusters/ae/access-entries', { principalArn: USER, kubernetesGroups: ['viewers'], tags: { a: 'b' } });
  assert.equal(u.username, USER);
  assert.deepEqual(u.kubernetesGroups, ['viewers']);
  assert.equal(u.type, 'STANDARD');
  assert.match(u.accessEntryArn, new RegExp(`^arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/ae/user/${ACCOUNT}/alice/[0-9a-f-]{36}$`));
  assert.deepEqual(u.tags, { a: 'b' });
  const { accessEntry: n } = await t.call('POST', '/clusters/ae/access-entries', { principalArn: NODE_ROLE, type: 'EC2_LINUX' });
  assert.equal(n.username, 'system:node:{{EC2PrivateDNSName}}');
  assert.deepEqual(n.kubernetesGroups, ['system:nodes']);
  await rejects(() => t.call('POST', '/clusters/ae/access-entries', { principalArn: USER }), 'ResourceInUseException', 'The specified access entry resource is already in use on this cluster.', 409);
  await rejects(() => t.call('POST', '/clusters/ae/access-entries', { principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s` }), 'InvalidParameterException', /principalArn is invalid/);
  await rejects(() => t.call('POST', '/clusters/ae/access-entries', { principalArn: `arn:aws:iam::${ACCOUNT}:user/ghost` }), 'InvalidParameterException', /does not exist/);
  await rejects(() => t.call('POST', '/clusters/ae/access-entries', { principalArn: ADMIN_ROLE, kubernetesGroups: ['system:masters'] }), 'InvalidParameterException', 'The kubernetes group name system:masters is invalid, it cannot start with system:');
  await rejects(() => t.call('POST', '/clusters/ae/access-entries', { principalArn: USER.replace('alice', 'bob'), type: 'EC2_LINUX' }), 'InvalidParameterException');
  const { accessEntry: r } = await t.call('POST', '/clusters/ae/access-entries', { principalArn: ADMIN_ROLE });
  assert.equal(r.username, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/{{SessionName}}`);
  assert.deepEqual((await t.call('GET', '/clusters/ae/access-entries')).accessEntries, [ADMIN_ROLE, NODE_ROLE, `arn:aws:iam::${ACCOUNT}:root`, USER]);
});

test('Associate/ListAssociated/Disassociate access policies, scope rules and the STANDARD-only rule', async () => {
  const t = await testEks();
  await t.createCluster('pol', { accessConfig: { authenticationMode: 'API' } });
  await t.call('POST', '/clusters/pol/access-entries', { principalArn: USER });
  const path = `/clusters/pol/access-entries/${enc(USER)}/access-policies`;
  const r = await t.call('POST', path, { policyArn: policy('AmazonEKSEditPolicy'), accessScope: { type: 'namespace', namespaces: ['dev'] } });
  assert.equal(r.clusterName, 'pol');
  assert.equal(r.principalArn, USER);
  assert.equal(r.associatedAccessPolicy.policyArn, policy('AmazonEKSEditPolicy'));
  assert.deepEqual(r.associatedAccessPolicy.accessScope, { type: 'namespace', namespaces: ['dev'] });
  assert.equal(typeof r.associatedAccessPolicy.associatedAt, 'number');
  await t.call('POST', path, { policyArn: policy('AmazonEKSViewPolicy'), accessScope: { type: 'cluster' } });
  // Re-associating replaces the scope.
  await t.call('POST', path, { policyArn: policy('AmazonEKSEditPolicy'), accessScope: { type: 'namespace', namespaces: ['dev', 'qa'] } });
  const list = await t.call('GET', path);
  assert.deepEqual(list.associatedAccessPolicies.map((p: { policyArn: string }) => p.policyArn), [policy('AmazonEKSEditPolicy'), policy('AmazonEKSViewPolicy')]);
  assert.deepEqual(t.eks.identity.accessEntry('pol', USER)?.policies.find((p) => p.policyArn.endsWith('EditPolicy'))?.accessScope.namespaces, ['dev', 'qa']);
  assert.deepEqual((await t.call('GET', `/clusters/pol/access-entries?associatedPolicyArn=${enc(policy('AmazonEKSViewPolicy'))}`)).accessEntries, [USER]);
  await rejects(() => t.call('POST', path, { policyArn: policy('NoSuchPolicy'), accessScope: { type: 'cluster' } }), 'InvalidParameterException', /policyArn/);
  await rejects(() => t.call('POST', path, { policyArn: policy('AmazonEKSViewPolicy'), accessScope: { type: 'namespace' } }), 'InvalidParameterException', /namespace/);
  await t.call('DELETE', `${path}/${enc(policy('AmazonEKSViewPolicy'))}`);
  assert.equal((await t.call('GET', path)).associatedAccessPolicies.length, 1);
  await rejects(() => t.call('DELETE', `${path}/${enc(policy('AmazonEKSViewPolicy'))}`), 'ResourceNotFoundException');
  await t.call('POST', '/clusters/pol/access-entries', { principalArn: NODE_ROLE, type: 'EC2_LINUX' });
  await rejects(() => t.call('POST', `/clusters/pol/access-entries/${enc(NODE_ROLE)}/access-policies`, { policyArn: policy('AmazonEKSViewPolicy'), accessScope: { type: 'cluster' } }),
    'InvalidParameterException', 'This operation can only be performed on Access Entries with a type of "STANDARD".');
});

test('Update/Delete access entry; unknown principal is ResourceNotFoundException with the EKS message', async () => {
  const t = await testEks();
  await t.createCluster('upd', { accessConfig: { authenticationMode: 'API' } });
  await t.call('POST', '/clusters/upd/access-entries', { principalArn: USER });
  const { accessEntry } = await t.call('POST', `/clusters/upd/access-entries/${enc(USER)}`, { kubernetesGroups: ['devs'], username: 'alice' });
  assert.deepEqual(accessEntry.kubernetesGroups, ['devs']);
  assert.equal(accessEntry.username, 'alice');
  assert.equal(t.eks.identity.accessEntry('upd', USER)?.username, 'alice');
  await t.call('DELETE', `/clusters/upd/access-entries/${enc(USER)}`);
  assert.equal(t.eks.identity.accessEntry('upd', USER), undefined);
  await rejects(() => t.call('GET', `/clusters/upd/access-entries/${enc(USER)}`), 'ResourceNotFoundException',
    "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", 404);
});

test('sign-in lookup matches a role entry created with a path by its path-less ARN', async () => {
  const t = await testEks();
  const pathed = `arn:aws:iam::${ACCOUNT}:role/team/ops/Deployer`;
  t.iam.roles.add(pathed);
  await t.createCluster('path', { accessConfig: { authenticationMode: 'API' } });
  await t.call('POST', '/clusters/path/access-entries', { principalArn: pathed, kubernetesGroups: ['deployers'] });
  assert.deepEqual(t.eks.identity.accessEntry('path', `arn:aws:iam::${ACCOUNT}:role/Deployer`)?.kubernetesGroups, ['deployers']);
});

test('DeleteCluster removes the access entries (a new cluster of the same name starts empty)', async () => {
  const t = await testEks();
  await t.createCluster('re', { accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false } });
  await t.call('POST', '/clusters/re/access-entries', { principalArn: USER });
  await t.call('DELETE', '/clusters/re');
  await t.createCluster('re', { accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false } });
  assert.deepEqual((await t.call('GET', '/clusters/re/access-entries')).accessEntries, []);
});

test('the root caller (default key) becomes the creator entry of an API-mode cluster', async () => {
  const t = await testEks();
  await t.createCluster('root', { accessConfig: { authenticationMode: 'API' } });
  const root = `arn:aws:iam::${ACCOUNT}:root`;
  assert.deepEqual((await t.call('GET', '/clusters/root/access-entries')).accessEntries, [root]);
  assert.equal(t.eks.identity.accessEntry('root', root)?.policies[0].policyArn, policy('AmazonEKSClusterAdminPolicy'));
});

test('moving CONFIG_MAP → API_AND_CONFIG_MAP gives the creator its admin entry once (a deleted one stays deleted)', async () => {
  const t = await testEks();
  await t.createCluster('mig');
  const root = `arn:aws:iam::${ACCOUNT}:root`;
  await t.call('POST', '/clusters/mig/update-config', { accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } });
  assert.deepEqual((await t.call('GET', '/clusters/mig/access-entries')).accessEntries, [root]);
  await t.call('DELETE', `/clusters/mig/access-entries/${enc(root)}`);
  await t.call('POST', '/clusters/mig/update-config', { accessConfig: { authenticationMode: 'API' } });
  assert.deepEqual((await t.call('GET', '/clusters/mig/access-entries')).accessEntries, []);
});

test('ensureNodeAccessEntry adds an EC2_LINUX entry in API modes only, once', async () => {
  const t = await testEks();
  await t.createCluster('cm');
  await t.eks.clusters.ensureNodeAccessEntry(ACCOUNT, REGION, 'cm', NODE_ROLE, 'EC2_LINUX');
  await t.createCluster('apim', { accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false } });
  await t.eks.clusters.ensureNodeAccessEntry(ACCOUNT, REGION, 'apim', NODE_ROLE, 'EC2_LINUX');
  await t.eks.clusters.ensureNodeAccessEntry(ACCOUNT, REGION, 'apim', NODE_ROLE, 'EC2_LINUX');
  await t.eks.clusters.ensureNodeAccessEntry(ACCOUNT, REGION, 'ghost', NODE_ROLE, 'EC2_LINUX');
  assert.deepEqual((await t.call('GET', '/clusters/apim/access-entries')).accessEntries, [NODE_ROLE]);
  assert.equal(t.eks.identity.accessEntry('apim', NODE_ROLE)?.username, 'system:node:{{EC2PrivateDNSName}}');
});
