import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { FakeClock } from '../../../util/clock.js';
import { StatusError } from '../../../apimachinery/errors.js';
import { eksPrincipalArnOf, eksTokenAuthenticator } from './authenticator.js';
import { issueEksToken } from './token-issuer.js';
import type { AwsAuthConfigMap, AwsKeyInfo, EksAccessEntryInfo, EksAuthenticationMode } from './types.js';

const A = '111122223333';
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
const keys = new Map<string, AwsKeyInfo>([
  ['AKIAALICE', { secretAccessKey: 'alice-secret', status: 'Active', principal: { accountId: A, arn: `arn:aws:iam::${A}:user/alice`, userId: 'AIDAALICE', type: 'user' } }],
  ['ASIAROLE', {
    secretAccessKey: 'role-secret', sessionToken: 'sess-token', expiresAt: clock.now() + 3600_000, status: 'Active',
    principal: { accountId: A, arn: `arn:aws:sts::${A}:assumed-role/Dev/carol`, userId: 'AROADEV:carol', type: 'assumed-role', roleArn: `arn:aws:iam::${A}:role/Dev`, sessionName: 'carol' },
  }],
]);
let mode: EksAuthenticationMode = 'CONFIG_MAP';
let awsAuthCm: AwsAuthConfigMap | undefined;
const entries = new Map<string, EksAccessEntryInfo>();
const logLines: string[] = [];
const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } }));

const authn = eksTokenAuthenticator({
  cluster: {
    clusterName: 'lab', authenticationMode: () => mode,
    creator: () => ({ arn: `arn:aws:iam::${A}:root`, adminPermissions: true }),
    accessEntry: (arn) => entries.get(arn),
  },
  credentials: { lookup: (id) => keys.get(id) },
  awsAuth: () => awsAuthCm,
  clock, logger,
});

const req = (authorization?: string): IncomingMessage => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;
const alice = (o: { cluster?: string; secret?: string } = {}) =>
  'Bearer ' + issueEksToken({ clusterName: o.cluster ?? 'lab', accessKeyId: 'AKIAALICE', secretAccessKey: o.secret ?? 'alice-secret', now: clock.now() });

async function denied(authorization: string): Promise<void> {
  await assert.rejects(Promise.resolve(authn.authenticate(req(authorization))), (e: unknown) => e instanceof StatusError && e.code === 401 && e.message === 'Unauthorized');
}

test('not an EKS token → not ours', async () => {
  assert.equal(await authn.authenticate(req()), null);
  assert.equal(await authn.authenticate(req('Bearer abc.def')), null);
  assert.equal(await authn.authenticate(req('Basic azhzLWF3cy12MS54')), null);
});

test('an unmapped identity is 401; mapping it through aws-auth lets it in at once; removing the mapping locks it out again', async () => {
  mode = 'CONFIG_MAP';
  awsAuthCm = undefined;
  await denied(alice());
  awsAuthCm = { resourceVersion: '10', data: { mapUsers: `- userarn: arn:aws:iam::${A}:user/alice\n  username: alice\n  groups:\n  - devs\n` } };
  assert.deepEqual(await authn.authenticate(req(alice())), {
    username: 'alice', uid: `aws-iam-authenticator:${A}:AIDAALICE`, groups: ['devs', 'system:authenticated'],
    extra: {
      accessKeyId: ['AKIAALICE'], arn: [`arn:aws:iam::${A}:user/alice`], canonicalArn: [`arn:aws:iam::${A}:user/alice`],
      principalId: ['AIDAALICE'], sessionName: [''], 'sigs.k8s.io/aws-iam-authenticator/principalId': ['AIDAALICE'],
    },
  });
  awsAuthCm = { resourceVersion: '11', data: {} };
  await denied(alice());
});

test('forged, other-cluster, expired and deleted-key tokens are 401, and the log has the reason but never the token', async () => {
  mode = 'CONFIG_MAP';
  awsAuthCm = { resourceVersion: '12', data: { mapUsers: `- userarn: arn:aws:iam::${A}:user/alice\n  username: alice\n` } };
  const good = alice();
  assert.equal((await authn.authenticate(req(good)))?.username, 'alice');
  logLines.length = 0;
  await denied(alice({ secret: 'guess' }));
  await denied(alice({ cluster: 'other' }));
  await denied('Bearer k8s-aws-v1.!!!');
  clock.step(15 * 60_000 + 1000);
  await denied(good);
  const fresh = alice();
  const saved = keys.get('AKIAALICE')!;
  keys.delete('AKIAALICE');
  await denied(fresh);
  keys.set('AKIAALICE', { ...saved, status: 'Inactive' });
  await denied(fresh);
  keys.set('AKIAALICE', saved);
  assert.equal((await authn.authenticate(req(fresh)))?.username, 'alice');
  const log = logLines.join('');
  assert.match(log, /signature does not match/);
  assert.match(log, /expired/);
  assert.match(log, /unknown access key/);
  assert.match(log, /not active/);
  assert.ok(!log.includes(good.slice(7, 60)) && !log.includes(fresh.slice(7, 60)), 'tokens never logged');
});

test('access entries (API mode): role sessions get the default assumed-role username and the entry groups', async () => {
  mode = 'API';
  entries.set(`arn:aws:iam::${A}:role/Dev`, { username: `arn:aws:sts::${A}:assumed-role/Dev/{{SessionName}}`, kubernetesGroups: ['dev-team'], type: 'STANDARD' });
  const token = 'Bearer ' + issueEksToken({ clusterName: 'lab', accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'sess-token', now: clock.now() });
  const u = await authn.authenticate(req(token));
  assert.equal(u?.username, `arn:aws:sts::${A}:assumed-role/Dev/carol`);
  assert.deepEqual(u?.groups, ['dev-team', 'system:authenticated']);
  assert.equal(u?.uid, `aws-iam-authenticator:${A}:AROADEV`);
  assert.deepEqual(u?.extra?.canonicalArn, [`arn:aws:iam::${A}:role/Dev`]);
  assert.deepEqual(u?.extra?.sessionName, ['carol']);
  assert.equal(eksPrincipalArnOf(u!), `arn:aws:iam::${A}:role/Dev`);
  assert.equal(eksPrincipalArnOf({ username: 'x', groups: [], extra: { canonicalArn: ['arn:aws:iam::1:root'] } }), undefined);
  entries.clear();
  await denied(token);
});
