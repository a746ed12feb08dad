import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAccessEntryUsername, mapEksIdentity, renderMapping, selectMapping, type MappingInputs } from './mapping.js';
import { parseAwsAuth } from './aws-auth.js';
import { renderTemplate, TemplateError } from './templates.js';
import { canonicalizeArn } from './arn.js';
import type { EksAccessEntryInfo, EksAuthenticationMode, EksCallerIdentity } from './types.js';

const A = '111122223333';
const user: EksCallerIdentity = {
  arn: `arn:aws:iam::${A}:user/dev/alice`, canonicalArn: `arn:aws:iam::${A}:user/dev/alice`, principalType: 'user',
  accountId: A, userId: 'AIDAALICE', sessionName: '', accessKeyId: 'AKIAALICE', stsHost: 'sts.us-east-1.amazonaws.com',
};
const role = (session: string): EksCallerIdentity => ({
  arn: `arn:aws:sts::${A}:assumed-role/Admin/${session}`, canonicalArn: `arn:aws:iam::${A}:role/Admin`, principalType: 'role',
  accountId: A, userId: 'AROAADMIN', sessionName: session, accessKeyId: 'ASIAADMIN', stsHost: '127.0.0.1:4566',
});

test('canonicalizeArn: assumed-role → role without path; iam ARNs unchanged; others refused', () => {
  assert.deepEqual(canonicalizeArn(`arn:aws:sts::${A}:assumed-role/Admin/s`), { type: 'role', arn: `arn:aws:iam::${A}:role/Admin` });
  assert.deepEqual(canonicalizeArn(`arn:aws-cn:sts::${A}:assumed-role/Admin/s`), { type: 'role', arn: `arn:aws-cn:iam::${A}:role/Admin` });
  assert.deepEqual(canonicalizeArn(`arn:aws:iam::${A}:role/p/Admin`), { type: 'role', arn: `arn:aws:iam::${A}:role/p/Admin` });
  assert.deepEqual(canonicalizeArn(`arn:aws:iam::${A}:user/x`), { type: 'user', arn: `arn:aws:iam::${A}:user/x` });
  assert.deepEqual(canonicalizeArn(`arn:aws:iam::${A}:root`), { type: 'root', arn: `arn:aws:iam::${A}:root` });
  for (const bad of [`arn:aws:sts::${A}:assumed-role/Admin`, `arn:aws:sts::${A}:federated-user/x`, `arn:aws:s3:::bucket`, `arn:nope:iam::${A}:user/x`, 'x']) {
    assert.equal(canonicalizeArn(bad), undefined, bad);
  }
});

test('templates render as aws-iam-authenticator renders them', () => {
  const r = role('i-0123456789abcdef0');
  assert.equal(renderTemplate('{{AccountID}}/{{SessionName}}/{{SessionNameRaw}}/{{AccessKeyID}}', { identity: role('bob@example.com') }),
    `${A}/bob-example.com/bob@example.com/ASIAADMIN`);
  assert.equal(renderTemplate('system:node:{{EC2PrivateDNSName}}', { identity: r, ec2PrivateDnsName: 'ip-192-168-1-2.ec2.internal' }), 'system:node:ip-192-168-1-2.ec2.internal');
  assert.equal(renderTemplate('system:node:{{EC2PrivateDNSName}}', { identity: r }), 'system:node:{{EC2PrivateDNSName}}', 'no EC2 lookup: left as written');
  assert.equal(renderTemplate('plain {{Unknown}}', { identity: user }), 'plain {{Unknown}}');
  assert.throws(() => renderTemplate('{{EC2PrivateDNSName}}', { identity: role('bob') }), TemplateError);
  assert.throws(() => renderTemplate('{{EC2PrivateDNSName}}', { identity: user }), TemplateError);
});

test('default access-entry usernames: users and root by ARN, roles as the assumed-role session, node types fixed', () => {
  assert.equal(defaultAccessEntryUsername(`arn:aws:iam::${A}:user/dev/alice`), `arn:aws:iam::${A}:user/dev/alice`);
  assert.equal(defaultAccessEntryUsername(`arn:aws:iam::${A}:root`), `arn:aws:iam::${A}:root`);
  assert.equal(defaultAccessEntryUsername(`arn:aws:iam::${A}:role/Admin`), `arn:aws:sts::${A}:assumed-role/Admin/{{SessionName}}`);
  assert.equal(defaultAccessEntryUsername(`arn:aws:iam::${A}:role/Node`, 'EC2_LINUX'), 'system:node:{{EC2PrivateDNSName}}');
  assert.equal(defaultAccessEntryUsername(`arn:aws:iam::${A}:role/Pods`, 'FARGATE_LINUX'), 'system:node:{{SessionName}}');
});

const entry = (e: Partial<EksAccessEntryInfo> = {}): EksAccessEntryInfo => ({ kubernetesGroups: [], type: 'STANDARD', ...e });
const awsAuth = parseAwsAuth({
  mapRoles: `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin:{{SessionName}}\n  groups: [system:masters]\n`,
  mapUsers: `- userarn: arn:aws:iam::${A}:user/dev/alice\n  username: alice\n  groups: [devs]\n`,
  mapAccounts: '- "999988887777"\n',
});
const creatorUser = { arn: user.canonicalArn, adminPermissions: true };

test('precedence by authentication mode (table)', () => {
  const rows: Array<[EksAuthenticationMode, Omit<MappingInputs, 'mode'>, EksCallerIdentity, string | undefined, string[] | undefined, string | undefined]> = [
    // mode, inputs, caller → source, username, groups
    ['API', { accessEntry: entry({ kubernetesGroups: ['viewers'] }), awsAuth }, user, 'access-entry', [`arn:aws:iam::${A}:user/dev/alice`, 'viewers'], undefined],
    ['API', { awsAuth, creator: creatorUser }, user, undefined, undefined, 'API mode ignores aws-auth and the legacy creator mapping'],
    ['API_AND_CONFIG_MAP', { accessEntry: entry({ username: 'ae-alice' }), awsAuth, creator: creatorUser }, user, 'access-entry', ['ae-alice'], 'access entries win'],
    ['API_AND_CONFIG_MAP', { awsAuth, creator: creatorUser }, user, 'cluster-creator', ['kubernetes-admin', 'system:masters'], undefined],
    ['API_AND_CONFIG_MAP', { awsAuth }, user, 'mapUsers', ['alice', 'devs'], undefined],
    ['CONFIG_MAP', { accessEntry: entry({ username: 'ignored' }), awsAuth }, user, 'mapUsers', ['alice', 'devs'], 'CONFIG_MAP ignores access entries'],
    ['CONFIG_MAP', { awsAuth, creator: creatorUser }, user, 'cluster-creator', ['kubernetes-admin', 'system:masters'], 'creator before aws-auth'],
    ['CONFIG_MAP', { awsAuth, creator: { ...creatorUser, adminPermissions: false } }, user, 'mapUsers', ['alice', 'devs'], undefined],
    ['CONFIG_MAP', { awsAuth, creator: { arn: `arn:aws:iam::${A}:role/team/Admin`, adminPermissions: true } }, role('s'), 'cluster-creator', ['kubernetes-admin', 'system:masters'], 'creator role compared without its path'],
    ['CONFIG_MAP', { awsAuth }, role('s'), 'mapRoles', ['admin:{{SessionName}}', 'system:masters'], undefined],
    ['CONFIG_MAP', { awsAuth }, { ...user, accountId: '999988887777', canonicalArn: 'arn:aws:iam::999988887777:user/z' }, 'mapAccounts', ['arn:aws:iam::999988887777:user/z'], undefined],
    ['CONFIG_MAP', { awsAuth }, { ...user, canonicalArn: `arn:aws:iam::${A}:user/bob` }, undefined, undefined, 'unknown identity'],
    ['API', { accessEntry: entry() }, role('s'), 'access-entry', [`arn:aws:sts::${A}:assumed-role/Admin/{{SessionName}}`], 'role default username'],
    ['API', { accessEntry: entry({ type: 'EC2_LINUX' }) }, role('i-0123456789abcdef0'), 'access-entry', ['system:node:{{EC2PrivateDNSName}}', 'system:nodes'], 'node entry defaults'],
  ];
  for (const [mode, inputs, id, source, expect, why] of rows) {
    const m = selectMapping(id, { mode, ...inputs });
    assert.equal(m?.source, source, `${mode} ${why ?? ''}`);
    if (expect) assert.deepEqual([m!.username, ...m!.groups], expect, `${mode} ${why ?? ''}`);
  }
});

test('renderMapping resolves {{EC2PrivateDNSName}} through the lookup; unknown instances or non-instance sessions fail', async () => {
  const m = { source: 'mapRoles' as const, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'team-{{AccountID}}'] };
  const lookup = (id: string) => (id === 'i-0123456789abcdef0' ? 'ip-192-168-10-20.ap-northeast-2.compute.internal' : undefined);
  assert.deepEqual(await renderMapping(m, role('i-0123456789abcdef0'), lookup),
    { source: 'mapRoles', username: 'system:node:ip-192-168-10-20.ap-northeast-2.compute.internal', groups: ['system:nodes', `team-${A}`] });
  await assert.rejects(renderMapping(m, role('i-0fffffffffffffff0'), lookup), TemplateError);
  await assert.rejects(renderMapping(m, role('bob'), lookup), TemplateError);
  assert.equal((await renderMapping(m, role('i-0123456789abcdef0'))).username, 'system:node:{{EC2PrivateDNSName}}');
});

test('mapEksIdentity reads aws-auth only when the mode and access entries leave it to the ConfigMap', async () => {
  let reads = 0;
  let mode: EksAuthenticationMode = 'API';
  const o = {
    cluster: {
      clusterName: 'c', authenticationMode: () => mode, creator: () => undefined,
      accessEntry: (arn: string) => (arn === `arn:aws:iam::${A}:role/Admin` ? entry({ kubernetesGroups: ['ops'] }) : undefined),
    },
    awsAuth: async () => { reads++; return awsAuth; },
  };
  assert.deepEqual(await mapEksIdentity(role('sess@x'), o), { source: 'access-entry', username: `arn:aws:sts::${A}:assumed-role/Admin/sess-x`, groups: ['ops'] });
  assert.equal(await mapEksIdentity(user, o), undefined);
  assert.equal(reads, 0);
  mode = 'API_AND_CONFIG_MAP';
  assert.equal((await mapEksIdentity(user, o))?.username, 'alice');
  assert.equal(reads, 1);
  mode = 'CONFIG_MAP';
  assert.equal((await mapEksIdentity(role('sess@x'), o))?.username, 'admin:sess-x');
});
