/**
 * The AWS endpoint core through the real clients: the aws CLI v1 and boto3 drive an AwsEndpoint
 * serving tiny fake services of each protocol (query STS/IAM, ec2, rest-json EKS). Proves that
 * SigV4 as botocore signs it verifies (incl. ARNs in paths, session tokens, presigned EKS
 * tokens), that auth failures carry the AWS codes and messages, and that botocore parses every
 * error envelope into the modelled code/exception.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { verifyPresignedUrl } from '../../src/aws/core/sigv4-verify.js';
import { AwsError, type AccessKeyRecord, type AwsService } from '../../src/aws/core/types.js';
import { awsCliSkip, boto3Skip, cliError, runAws, runBoto3, type AwsRunResult } from '../helpers/aws.js';

const SESSION: AccessKeyRecord = {
  accessKeyId: 'ASIAKEKSSESSION00001', secretAccessKey: 'session-secret', sessionToken: 'FwoGZXIvYXdzEJr//+token=', expiresAt: Date.now() + 3600_000,
  status: 'Active', principal: { accountId: '000000000000', arn: 'arn:aws:sts::000000000000:assumed-role/admin/me', userId: 'AROAEXAMPLE:me', type: 'assumed-role', roleArn: 'arn:aws:iam::000000000000:role/admin', sessionName: 'me' },
};
const credentials = staticCredentials([rootAccessKey({ accountId: '000000000000', accessKeyId: 'test', secretAccessKey: 'test' }), SESSION]);
const untagged: Array<{ arn: string; keys: string[]; region: string }> = [];

const services: AwsService[] = [
  {
    protocol: 'query', signingName: 'sts', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    actions: {
      GetCallerIdentity: (_p, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }),
      AssumeRoleWithWebIdentity: (p, ctx) => ({
        Credentials: { AccessKeyId: 'ASIAWEB', SecretAccessKey: 's', SessionToken: `anon:${ctx.accessKeyId === '' ? 'yes' : 'no'}`, Expiration: new Date(Date.UTC(2030, 0, 1)) },
        SubjectFromWebIdentityToken: 'system:serviceaccount:default:sa',
        AssumedRoleUser: { AssumedRoleId: 'AROAX:s', Arn: `${p.required('RoleArn')}/${p.required('RoleSessionName')}` },
        Audience: 'sts.amazonaws.com',
      }),
    },
  },
  {
    protocol: 'query', signingName: 'iam', version: '2010-05-08', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
    actions: {
      GetUser: (p) => { throw new AwsError('NoSuchEntity', `The user with name ${p.required('UserName')} cannot be found.`, 404); },
      ListUsers: () => ({ Users: [{ Path: '/', UserName: 'a&b', UserId: 'AIDA1', Arn: 'arn:aws:iam::000000000000:user/a&b', CreateDate: new Date(Date.UTC(2026, 0, 2)) }], IsTruncated: false }),
    },
  },
  {
    protocol: 'ec2', signingName: 'ec2', version: '2016-11-15', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    actions: {
      DescribeVpcs: (p) => {
        const ids = p.list('VpcId');
        if (ids.length) throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${ids[0]}' does not exist`);
        return { vpcSet: [{ vpcId: 'vpc-0123', cidrBlock: '192.168.0.0/16', state: 'available', isDefault: true, tagSet: [{ key: 'Name', value: 'x' }] }] };
      },
    },
  },
  {
    protocol: 'rest-json', signingName: 'eks',
    routes: [
      { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster', handler: (req, ctx) => {
        if (req.params.name !== 'demo') throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${req.params.name}.`, 404, { clusterName: req.params.name });
        return { cluster: { name: 'demo', arn: `arn:aws:eks:${ctx.region}:000000000000:cluster/demo`, createdAt: new Date(1_700_000_000_500), status: 'ACTIVE' } };
      } },
      { method: 'POST', path: '/clusters', operation: 'CreateCluster', handler: (req) => {
        throw new AwsError('InvalidParameterException', `Invalid Role Arn: '${String(req.body.roleArn)}'`, 400, { clusterName: String(req.body.name) });
      } },
      { method: 'DELETE', path: '/tags/{resourceArn}', operation: 'UntagResource', handler: (req, ctx) => {
        untagged.push({ arn: req.params.resourceArn, keys: req.query.getAll('tagKeys'), region: ctx.region });
        return {};
      } },
    ],
  },
];

const SIG_MSG = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function assertCliError(r: AwsRunResult, code: string, operation: string, message?: string): void {
  assert.ok(r.code === 255 || r.code === 254, `exit code ${r.code}: ${r.stdout}${r.stderr}`);
  const e = cliError(r);
  assert.ok(e, `no service error in:\n${r.stderr}`);
  assert.deepEqual(message === undefined ? { code: e.code, operation: e.operation } : e, { code, operation, ...(message === undefined ? {} : { message }) });
}

describe('AWS endpoint through the aws CLI and boto3', { skip: awsCliSkip || boto3Skip }, () => {
  let ep: AwsEndpoint;
  let endpoint: string;

  before(async () => {
    ep = new AwsEndpoint({ services, credentials, port: 0 });
    await ep.start();
    endpoint = ep.url;
  });
  after(async () => { await ep?.stop(); });

  it('signed query / ec2 / rest-json calls succeed and see their caller and region', async () => {
    const [sts, vpcs, eks, users] = await Promise.all([
      runAws(['sts', 'get-caller-identity'], { endpoint }),
      runAws(['ec2', 'describe-vpcs'], { endpoint, region: 'ap-northeast-2' }),
      runAws(['eks', 'describe-cluster', '--name', 'demo'], { endpoint, region: 'eu-west-1' }),
      runAws(['iam', 'list-users'], { endpoint }),
    ]);
    assert.equal(sts.code, 0, sts.stderr);
    assert.deepEqual(sts.json, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
    assert.equal(vpcs.code, 0, vpcs.stderr);
    assert.deepEqual((vpcs.json as { Vpcs: unknown[] }).Vpcs, [{ VpcId: 'vpc-0123', CidrBlock: '192.168.0.0/16', State: 'available', IsDefault: true, Tags: [{ Key: 'Name', Value: 'x' }] }]);
    assert.equal(eks.code, 0, eks.stderr);
    const c = (eks.json as { cluster: { arn: string; createdAt: number } }).cluster;
    assert.equal(c.arn, 'arn:aws:eks:eu-west-1:000000000000:cluster/demo');
    assert.equal(c.createdAt, 1_700_000_000.5, 'CLI v1 prints rest-json timestamps as sent (epoch seconds)');
    assert.equal(users.code, 0, users.stderr);
    assert.equal((users.json as { Users: Array<{ UserName: string }> }).Users[0].UserName, 'a&b');
  });

  it('a wrong secret is SignatureDoesNotMatch (query) / InvalidSignatureException (rest-json), with the AWS message', async () => {
    const [q, r] = await Promise.all([
      runAws(['sts', 'get-caller-identity'], { endpoint, secretAccessKey: 'wrong' }),
      runAws(['eks', 'describe-cluster', '--name', 'demo'], { endpoint, secretAccessKey: 'wrong' }),
    ]);
    assertCliError(q, 'SignatureDoesNotMatch', 'GetCallerIdentity', SIG_MSG);
    assertCliError(r, 'InvalidSignatureException', 'DescribeCluster', SIG_MSG);
  });

  it('an unknown key is InvalidClientTokenId / UnrecognizedClientException / EC2 AuthFailure', async () => {
    const [q, r, e] = await Promise.all([
      runAws(['iam', 'list-users'], { endpoint, accessKeyId: 'AKIANOBODY' }),
      runAws(['eks', 'describe-cluster', '--name', 'demo'], { endpoint, accessKeyId: 'AKIANOBODY' }),
      runAws(['ec2', 'describe-vpcs'], { endpoint, accessKeyId: 'AKIANOBODY' }),
    ]);
    assertCliError(q, 'InvalidClientTokenId', 'ListUsers', 'The security token included in the request is invalid.');
    assertCliError(r, 'UnrecognizedClientException', 'DescribeCluster', 'The security token included in the request is invalid.');
    assertCliError(e, 'AuthFailure', 'DescribeVpcs', 'AWS was not able to validate the provided access credentials');
  });

  it('session credentials need their token', async () => {
    const [ok, missing] = await Promise.all([
      runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey, sessionToken: SESSION.sessionToken as string }),
      runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey }),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((ok.json as { Arn: string }).Arn, 'arn:aws:sts::000000000000:assumed-role/admin/me');
    assertCliError(missing, 'InvalidClientTokenId', 'GetCallerIdentity');
  });

  it('error envelopes of each protocol reach the CLI with code and message', async () => {
    const [iam, ec2, eks, create] = await Promise.all([
      runAws(['iam', 'get-user', '--user-name', 'ghost'], { endpoint }),
      runAws(['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-1'], { endpoint }),
      runAws(['eks', 'describe-cluster', '--name', 'nope'], { endpoint }),
      runAws(['eks', 'create-cluster', '--name', 'x', '--role-arn', 'bad', '--resources-vpc-config', 'subnetIds=subnet-1'], { endpoint }),
    ]);
    assertCliError(iam, 'NoSuchEntity', 'GetUser', 'The user with name ghost cannot be found.');
    assertCliError(ec2, 'InvalidVpcID.NotFound', 'DescribeVpcs', "The vpc ID 'vpc-1' does not exist");
    assertCliError(eks, 'ResourceNotFoundException', 'DescribeCluster', 'No cluster found for name: nope.');
    assertCliError(create, 'InvalidParameterException', 'CreateCluster', "Invalid Role Arn: 'bad'");
  });

  it('an ARN in a rest-json path verifies and arrives decoded', async () => {
    untagged.length = 0;
    const arn = 'arn:aws:eks:us-west-2:000000000000:cluster/demo';
    const r = await runAws(['eks', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team', 'env'], { endpoint, region: 'us-west-2' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(untagged, [{ arn, keys: ['team', 'env'], region: 'us-west-2' }]);
  });

  it('unsigned AssumeRoleWithWebIdentity is served (anonymous caller)', async () => {
    const r = await runAws(['sts', 'assume-role-with-web-identity', '--role-arn', 'arn:aws:iam::000000000000:role/r', '--role-session-name', 'sess', '--web-identity-token', 'tok1'], { endpoint });
    assert.equal(r.code, 0, r.stderr);
    const out = r.json as { Credentials: { SessionToken: string; Expiration: string }; AssumedRoleUser: { Arn: string } };
    assert.equal(out.Credentials.SessionToken, 'anon:yes');
    assert.equal(out.AssumedRoleUser.Arn, 'arn:aws:iam::000000000000:role/r/sess');
  });

  it('aws eks get-token produces a presigned URL that verifyPresignedUrl accepts for that cluster only', async () => {
    const r = await runAws(['eks', 'get-token', '--cluster-name', 'myeks'], { endpoint, region: 'ap-northeast-2' });
    assert.equal(r.code, 0, r.stderr);
    const token = (r.json as { status: { token: string } }).status.token;
    assert.ok(token.startsWith('k8s-aws-v1.'));
    const url = Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8');
    const ok = verifyPresignedUrl(url, { 'x-k8s-aws-id': 'myeks' }, credentials, Date.now());
    assert.equal(ok.ok, true, JSON.stringify(ok));
    if (ok.ok) {
      assert.equal(ok.key.principal.arn, 'arn:aws:iam::000000000000:root');
      assert.equal(ok.scope.region, 'ap-northeast-2');
      assert.equal(ok.expiresSeconds, 60);
    }
    assert.equal(verifyPresignedUrl(url, { 'x-k8s-aws-id': 'other' }, credentials, Date.now()).ok, false);
    const forged = runAws(['eks', 'get-token', '--cluster-name', 'myeks'], { endpoint, secretAccessKey: 'guess' });
    const f = await forged;
    const furl = Buffer.from((f.json as { status: { token: string } }).status.token.slice(11), 'base64url').toString('utf8');
    const bad = verifyPresignedUrl(furl, { 'x-k8s-aws-id': 'myeks' }, credentials, Date.now());
    assert.equal(bad.ok ? 'ok' : bad.reason, 'bad-signature');
  });

  it('boto3 maps each protocol\'s errors to the modelled exceptions and parses outputs', async () => {
    const r = await runBoto3(`
sts, iam, ec2, eks = client('sts'), client('iam'), client('ec2'), client('eks', region_name='eu-west-1')
bad = session.client('sts', aws_access_key_id='test', aws_secret_access_key='wrong', config=Config(retries={'max_attempts': 1}))
import urllib.request, urllib.error
def fetch(url):
    try:
        with urllib.request.urlopen(url) as r: return [r.status, r.read().decode()]
    except urllib.error.HTTPError as e: return [e.code, e.read().decode()]
presigned = sts.generate_presigned_url('get_caller_identity', ExpiresIn=60, HttpMethod='GET')
out({
  'presigned': fetch(presigned),
  'presignedTampered': fetch(presigned.replace('Action=GetCallerIdentity', 'Action=GetCallerIdentitx')),
  'arn': sts.get_caller_identity()['Arn'],
  'iam': error_of(lambda: iam.get_user(UserName='ghost')),
  'ec2': error_of(lambda: ec2.describe_vpcs(VpcIds=['vpc-9'])),
  'eks': error_of(lambda: eks.describe_cluster(name='nope')),
  'sig': error_of(lambda: bad.get_caller_identity()),
  'created': eks.describe_cluster(name='demo')['cluster']['createdAt'],
  'userDate': iam.list_users()['Users'][0]['CreateDate'],
})`, { endpoint });
    assert.equal(r.code, 0, r.stderr);
    const j = r.json as Record<string, { Code: string; Message: string; HTTPStatusCode: number; Type: string } | string>;
    assert.equal(j.arn, 'arn:aws:iam::000000000000:root');
    const [pStatus, pBody] = j.presigned as unknown as [number, string];
    assert.equal(pStatus, 200, pBody);
    assert.match(pBody, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
    const [tStatus, tBody] = j.presignedTampered as unknown as [number, string];
    assert.equal(tStatus, 403);
    assert.match(tBody, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.deepEqual(j.iam, { Code: 'NoSuchEntity', Message: 'The user with name ghost cannot be found.', HTTPStatusCode: 404, Type: 'NoSuchEntityException' });
    assert.deepEqual(j.ec2, { Code: 'InvalidVpcID.NotFound', Message: "The vpc ID 'vpc-9' does not exist", HTTPStatusCode: 400, Type: 'ClientError' });
    assert.deepEqual(j.eks, { Code: 'ResourceNotFoundException', Message: 'No cluster found for name: nope.', HTTPStatusCode: 404, Type: 'ResourceNotFoundException' });
    assert.deepEqual(j.sig, { Code: 'SignatureDoesNotMatch', Message: SIG_MSG, HTTPStatusCode: 403, Type: 'ClientError' });
    assert.equal(j.created, '2023-11-14T22:13:20.500000+00:00');
    assert.equal(j.userDate, '2026-01-02T00:00:00+00:00');
  });

  it('survives garbage on the socket and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(ep.port, '127.0.0.1', () => s.end('\x00\x01 NOT HTTP\r\n\r\n'));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.resume();
    });
    const r = await runAws(['sts', 'get-caller-identity'], { endpoint });
    assert.equal(r.code, 0, r.stderr);
  });
});
