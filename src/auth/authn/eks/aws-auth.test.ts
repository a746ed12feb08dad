import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsAuthCache, mapWithAwsAuth, parseAwsAuth } from './aws-auth.js';
import type { AwsAuthConfigMap } from './types.js';

// The data of aws-iam-authenticator's pkg/mapper/configmap/yaml/aws-auth*.yaml fixtures.
const NODE_ROLE = 'arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6';
const ADMIN_USER = 'arn:aws:iam::555555555555:user/admin';
const standard = {
  mapRoles: `- rolearn: ${NODE_ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`,
  mapUsers: `- userarn: ${ADMIN_USER}\n  username: admin\n  groups:\n    - system:masters\n`,
  mapAccounts: '- 555555555555\n',
};

test('the EKS documentation aws-auth parses into role, user and account mappings', () => {
  const a = parseAwsAuth(standard);
  assert.deepEqual(a.roles, [{ arn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] }]);
  assert.deepEqual(a.users, [{ arn: ADMIN_USER, username: 'admin', groups: ['system:masters'] }]);
  assert.deepEqual(a.accounts, ['555555555555']);
  assert.deepEqual(a.errors, []);
});

test('mapping keys match case-insensitively (rOlEaRn, roleARN), top-level keys do not (maproles)', () => {
  const crazy = parseAwsAuth({
    mapRoles: `- rOlEaRn: ${NODE_ROLE}\n  UsErNaMe: system:node:{{EC2PrivateDNSName}}\n  gRoUpS:\n    - system:bootstrappers\n    - system:nodes\n`,
    mapUsers: `- uSeRaRn: ${ADMIN_USER}\n  UsErNaMe: admin\n  gRoUpS:\n    - system:masters\n`,
    mapAccounts: '- 555555555555\n',
  });
  assert.deepEqual(crazy, parseAwsAuth(standard));
  const openSource = parseAwsAuth({ mapRoles: `- roleARN: ${NODE_ROLE}\n  username: n\n  groups: [g]\n` });
  assert.equal(openSource.roles[0].arn, NODE_ROLE);
  const lower = parseAwsAuth({ maproles: standard.mapRoles, mapusers: standard.mapUsers, mapaccounts: standard.mapAccounts });
  assert.deepEqual([lower.roles, lower.users, lower.accounts], [[], [], []]);
});

test('a group indented one space too far becomes part of the previous group (as upstream)', () => {
  const a = parseAwsAuth({ mapRoles: `- rolearn: ${NODE_ROLE}\n  username: n\n  groups:\n    - system:bootstrappers\n     - system:nodes\n` });
  assert.deepEqual(a.roles[0].groups, ['system:bootstrappers - system:nodes']);
});

test('invalid sections are dropped whole, invalid entries one by one; the rest still applies', () => {
  const a = parseAwsAuth({
    mapRoles: '- rolearn: [unclosed\n',
    mapUsers: `- username: no-arn\n  groups: [x]\n- userarn: ${ADMIN_USER}\n  username: admin\n- just-a-string\n`,
    mapAccounts: '- 012345678901\n- "000000000000"\n',
  });
  assert.deepEqual(a.roles, []);
  assert.deepEqual(a.users, [{ arn: ADMIN_USER, username: 'admin', groups: [] }]);
  assert.deepEqual(a.accounts, ['012345678901', '000000000000'], 'account ids keep leading zeros');
  assert.equal(a.errors.length, 3);
  for (const skip of ['', '  ', '""', "''", '``']) assert.deepEqual(parseAwsAuth({ mapRoles: skip }).errors, []);
  assert.deepEqual(parseAwsAuth({ mapAccounts: 'a: b' }).accounts, []);
});

test('flow-style groups, quoted values and duplicates (last mapping for an ARN wins)', () => {
  const a = parseAwsAuth({
    mapRoles: `- rolearn: arn:aws:iam::1:role/R\n  username: first\n- rolearn: ARN:aws:iam::1:role/r\n  username: "second"\n  groups: [ 'a', b ]\n`,
  });
  assert.deepEqual(a.roles, [{ arn: 'ARN:aws:iam::1:role/r', username: 'second', groups: ['a', 'b'] }]);
});

test('mapWithAwsAuth: mapRoles before mapUsers, case-insensitive ARNs, mapAccounts → canonical ARN, else nothing', () => {
  const a = parseAwsAuth({
    mapRoles: `- rolearn: ${ADMIN_USER}\n  username: via-roles\n  groups: [r]\n- rolearn: arn:aws:iam::555555555555:role/Dev\n  username: dev:{{SessionName}}\n  groups: [devs]\n`,
    mapUsers: `- userarn: ${ADMIN_USER}\n  username: via-users\n- userarn: arn:aws:iam::555555555555:user/Carol\n  username: carol\n  groups: [c1, c2]\n`,
    mapAccounts: '- "444455556666"\n',
  });
  assert.deepEqual(mapWithAwsAuth(a, ADMIN_USER, '555555555555'), { source: 'mapRoles', username: 'via-roles', groups: ['r'] });
  assert.deepEqual(mapWithAwsAuth(a, 'arn:aws:iam::555555555555:role/dev', '555555555555'), { source: 'mapRoles', username: 'dev:{{SessionName}}', groups: ['devs'] });
  assert.deepEqual(mapWithAwsAuth(a, 'arn:aws:iam::555555555555:user/carol', '555555555555'), { source: 'mapUsers', username: 'carol', groups: ['c1', 'c2'] });
  assert.deepEqual(mapWithAwsAuth(a, 'arn:aws:iam::444455556666:user/Zed', '444455556666'), { source: 'mapAccounts', username: 'arn:aws:iam::444455556666:user/Zed', groups: [] });
  assert.equal(mapWithAwsAuth(a, 'arn:aws:iam::555555555555:user/nobody', '555555555555'), undefined);
  assert.equal(mapWithAwsAuth(a, 'arn:aws:iam::555555555555:role/path/Dev', '555555555555'), undefined, 'a role path is not stripped from the caller');
});

test('AwsAuthCache re-parses only when the resourceVersion (or, without one, the data) changes', async () => {
  let cm: AwsAuthConfigMap | undefined = { resourceVersion: '1', data: { mapUsers: `- userarn: ${ADMIN_USER}\n  username: a\n` } };
  let reads = 0;
  const cache = new AwsAuthCache(() => { reads++; return cm; });
  const p1 = await cache.get();
  assert.equal(p1.users[0].username, 'a');
  assert.equal(await cache.get(), p1, 'same resourceVersion → same parse');
  cm = { resourceVersion: '2', data: { mapUsers: `- userarn: ${ADMIN_USER}\n  username: b\n` } };
  assert.equal((await cache.get()).users[0].username, 'b');
  cm = undefined;
  assert.deepEqual((await cache.get()).users, []);
  cm = { data: { mapAccounts: '- "1"' } };
  const p2 = await cache.get();
  assert.equal(await cache.get(), p2);
  cm = { data: { mapAccounts: '- "2"' } };
  assert.deepEqual((await cache.get()).accounts, ['2']);
  assert.equal(reads, 7, 'the source is read on every call, so changes apply at once');
});
