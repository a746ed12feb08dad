/**
 * IAM and STS through the real clients: the aws CLI v1 and boto3 against an AwsEndpoint serving
 * the real IAM and STS services (createIam). Covers the week-6 lab's AWS half — a user and
 * access key that then sign requests as that user, assume-role credentials that sign too — and
 * the failures: wrong secret, Inactive and deleted keys, IAM's modelled errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsEndpoint } from '../../src/aws/server.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import { createIam, type Iam } from '../../src/aws/services/iam/iam.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { realClock } from '../../src/util/clock.js';
import { awsCliSkip, boto3Skip, cliError, runAws, runBoto3, type AwsRunResult } from '../helpers/aws.js';

const ACCOUNT = '000000000000';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });

const IRSA_ISSUER = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/IRSA0000';

function ok(r: AwsRunResult): Record<string, any> {
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.json as Record<string, any>;
}

function fails(r: AwsRunResult, code: string, message?: string): void {
  assert.notEqual(r.code, 0, r.stdout);
  const e = cliError(r);
  assert.ok(e, `no service error in:\n${r.stderr}`);
  assert.equal(e.code, code, e.message);
  if (message !== undefined) assert.equal(e.message, message);
}

describe('IAM and STS through the aws CLI and boto3', { skip: awsCliSkip || boto3Skip }, () => {
  let ep: AwsEndpoint;
  let endpoint: string;
  let iam: Iam;

  before(async () => {
    iam = await createIam({
      clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: ACCOUNT, defaultRegion: 'ap-northeast-2',
      rootKeys: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
      // A stand-in for the cluster's service-account token verifier: "sa:<ns>:<name>" tokens are valid.
      verifyWebIdentityToken: async (token) => {
        const m = /^sa:([a-z0-9-]+):([a-z0-9-]+)$/.exec(token);
        if (!m) throw new Error('signature check failed');
        return { issuer: IRSA_ISSUER, subject: `system:serviceaccount:${m[1]}:${m[2]}`, audience: 'sts.amazonaws.com' };
      },
    });
    ep = new AwsEndpoint({ services: [iam.iam, iam.sts], credentials: iam.backend, port: 0 });
    await ep.start();
    endpoint = ep.url;
  });
  after(async () => { await ep?.stop(); });

  it('create-user + create-access-key: the new key signs get-caller-identity as the user; a wrong secret fails', async () => {
    const user = ok(await runAws(['iam', 'create-user', '--user-name', 'dev'], { endpoint, region: 'ap-northeast-2' }));
    assert.equal(user.User.Arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
    assert.match(user.User.UserId, /^AIDA[A-Z0-9]{17}$/);
    const key = ok(await runAws(['iam', 'create-access-key', '--user-name', 'dev'], { endpoint })).AccessKey;
    assert.match(key.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(key.SecretAccessKey.length, 40);
    const [who, wrong] = await Promise.all([
      runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }),
      runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: key.AccessKeyId, secretAccessKey: 'x'.repeat(40) }),
    ]);
    assert.deepEqual(ok(who), { UserId: user.User.UserId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev` });
    fails(wrong, 'SignatureDoesNotMatch');

    // The user acts as itself: its own keys without --user-name; the third key is over quota.
    const asDev = { endpoint, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const second = ok(await runAws(['iam', 'create-access-key'], asDev)).AccessKey;
    assert.equal(second.UserName, 'dev');
    fails(await runAws(['iam', 'create-access-key', '--user-name', 'dev'], { endpoint }), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
    const listed = ok(await runAws(['iam', 'list-access-keys'], asDev));
    assert.deepEqual(listed.AccessKeyMetadata.map((k: { AccessKeyId: string }) => k.AccessKeyId).sort(), [key.AccessKeyId, second.AccessKeyId].sort());

    // Inactive keys stop signing; deleted keys too.
    ok(await runAws(['iam', 'update-access-key', '--user-name', 'dev', '--access-key-id', key.AccessKeyId, '--status', 'Inactive'], { endpoint }));
    fails(await runAws(['sts', 'get-caller-identity'], asDev), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    ok(await runAws(['iam', 'delete-access-key', '--user-name', 'dev', '--access-key-id', key.AccessKeyId], { endpoint }));
    fails(await runAws(['sts', 'get-caller-identity'], asDev), 'InvalidClientTokenId');
    fails(await runAws(['iam', 'delete-user', '--user-name', 'dev'], { endpoint }), 'DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  });

  it('create-role (trust policy round-trips as JSON), attach AWS managed policies, assume-role credentials sign', async () => {
    const role = ok(await runAws(['iam', 'create-role', '--role-name', 'lab', '--assume-role-policy-document', TRUST], { endpoint }));
    assert.deepEqual(role.Role.AssumeRolePolicyDocument, JSON.parse(TRUST), 'botocore decodes the URL-encoded document');
    ok(await runAws(['iam', 'attach-role-policy', '--role-name', 'lab', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'], { endpoint }));
    const attached = ok(await runAws(['iam', 'list-attached-role-policies', '--role-name', 'lab'], { endpoint }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'AmazonEKSClusterPolicy', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }]);

    const assumed = ok(await runAws(['sts', 'assume-role', '--role-arn', role.Role.Arn, '--role-session-name', 'lab-session'], { endpoint }));
    assert.match(assumed.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(assumed.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/lab/lab-session`);
    const c = assumed.Credentials;
    const who = ok(await runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }));
    assert.deepEqual(who, { UserId: `${role.Role.RoleId}:lab-session`, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lab/lab-session` });
    fails(await runAws(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/none`, '--role-session-name', 'sx'], { endpoint }), 'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/none`);
  });

  it('list-policies --scope AWS pages through Marker and includes the EKS policies; modelled errors reach the CLI', async () => {
    const all = ok(await runAws(['iam', 'list-policies', '--scope', 'AWS', '--page-size', '5'], { endpoint }));
    const arns: string[] = all.Policies.map((p: { Arn: string }) => p.Arn);
    for (const n of ['AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'service-role/AmazonEBSCSIDriverPolicy']) {
      assert.ok(arns.includes(`arn:aws:iam::aws:policy/${n}`), n);
    }
    assert.equal(new Set(arns).size, arns.length);
    const [ghost, badName, oidc] = await Promise.all([
      runAws(['iam', 'get-user', '--user-name', 'ghost'], { endpoint }),
      runAws(['iam', 'create-user', '--user-name', 'bad name'], { endpoint }),
      runAws(['iam', 'create-open-id-connect-provider', '--url', 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/ABC', '--client-id-list', 'sts.amazonaws.com',
        '--thumbprint-list', '9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], { endpoint }),
    ]);
    fails(ghost, 'NoSuchEntity', 'The user with name ghost cannot be found.');
    fails(badName, 'ValidationError');
    assert.equal(ok(oidc).OpenIDConnectProviderArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC`);
    assert.ok(iam.backend.oidcProviderUrls(ACCOUNT).includes('https://oidc.eks.ap-northeast-2.amazonaws.com/id/ABC'));
  });

  it('boto3: user, key, caller identity, assume_role, modelled exception classes', async () => {
    const r = await runBoto3(`
iam = client('iam')
iam.create_user(UserName='bo')
k = iam.create_access_key(UserName='bo')['AccessKey']
me = client('sts', aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey']).get_caller_identity()
iam.create_role(RoleName='bo-role', AssumeRolePolicyDocument=${JSON.stringify(TRUST)})
doc = iam.get_role(RoleName='bo-role')['Role']['AssumeRolePolicyDocument']
a = client('sts').assume_role(RoleArn='arn:aws:iam::${ACCOUNT}:role/bo-role', RoleSessionName='bo-sess', DurationSeconds=900)
c = a['Credentials']
who = client('sts', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken']).get_caller_identity()
out({'me': me['Arn'], 'doc': doc, 'who': who['Arn'], 'exp': type(c['Expiration']).__name__,
     'missing': error_of(lambda: iam.get_role(RoleName='nope')),
     'dup': error_of(lambda: iam.create_user(UserName='BO')),
     'dur': error_of(lambda: client('sts').assume_role(RoleArn='arn:aws:iam::${ACCOUNT}:role/bo-role', RoleSessionName='x1', DurationSeconds=7200))})
`, { endpoint });
    assert.equal(r.code, 0, r.stderr);
    const o = r.json as Record<string, any>;
    assert.equal(o.me, `arn:aws:iam::${ACCOUNT}:user/bo`);
    assert.deepEqual(o.doc, JSON.parse(TRUST));
    assert.equal(o.who, `arn:aws:sts::${ACCOUNT}:assumed-role/bo-role/bo-sess`);
    assert.equal(o.exp, 'datetime');
    assert.deepEqual(o.missing, { Code: 'NoSuchEntity', Message: 'The role with name nope cannot be found.', HTTPStatusCode: 404, Type: 'NoSuchEntityException' });
    assert.deepEqual(o.dup, { Code: 'EntityAlreadyExists', Message: 'User with name BO already exists.', HTTPStatusCode: 409, Type: 'EntityAlreadyExistsException' });
    assert.equal(o.dur.Code, 'ValidationError');
    assert.equal(o.dur.Message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it('boto3 AssumeRoleWithWebIdentity (unsigned, as the IRSA credential provider calls it)', async () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${IRSA_ISSUER.slice(8)}`;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity' }] });
    const r = await runBoto3(`
from botocore import UNSIGNED
iam = client('iam')
iam.create_open_id_connect_provider(Url='${IRSA_ISSUER}', ClientIDList=['sts.amazonaws.com'])
iam.create_role(RoleName='irsa', AssumeRolePolicyDocument=${JSON.stringify(trust)})
anon = client('sts', config=Config(signature_version=UNSIGNED, retries={'max_attempts': 1}))
a = anon.assume_role_with_web_identity(RoleArn='arn:aws:iam::${ACCOUNT}:role/irsa', RoleSessionName='botocore-session-1', WebIdentityToken='sa:default:app')
c = a['Credentials']
who = client('sts', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken']).get_caller_identity()
out({'subject': a['SubjectFromWebIdentityToken'], 'aud': a['Audience'], 'provider': a['Provider'], 'who': who['Arn'],
     'bad': error_of(lambda: anon.assume_role_with_web_identity(RoleArn='arn:aws:iam::${ACCOUNT}:role/irsa', RoleSessionName='s2', WebIdentityToken='forged-token'))})
`, { endpoint });
    assert.equal(r.code, 0, r.stderr);
    const o = r.json as Record<string, any>;
    assert.equal(o.subject, 'system:serviceaccount:default:app');
    assert.equal(o.aud, 'sts.amazonaws.com');
    assert.equal(o.provider, provider);
    assert.equal(o.who, `arn:aws:sts::${ACCOUNT}:assumed-role/irsa/botocore-session-1`);
    assert.equal(o.bad.Code, 'InvalidIdentityToken');
    assert.equal(o.bad.HTTPStatusCode, 400);
    assert.equal(o.bad.Type, 'InvalidIdentityTokenException');
  });

  it('boto3 parses every other IAM shape keks answers', async () => {
    const r = await runBoto3(`
iam = client('iam')
iam.create_role(RoleName='shape', Path='/eks/', AssumeRolePolicyDocument=${JSON.stringify(TRUST)}, Tags=[{'Key': 'k', 'Value': 'v'}], MaxSessionDuration=7200)
iam.tag_role(RoleName='shape', Tags=[{'Key': 'k2', 'Value': 'v2'}])
iam.put_role_policy(RoleName='shape', PolicyName='inline', PolicyDocument=${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }))})
p = iam.create_policy(PolicyName='shape-pol', PolicyDocument=${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] }))})['Policy']
iam.attach_role_policy(RoleName='shape', PolicyArn=p['Arn'])
iam.create_instance_profile(InstanceProfileName='shape-ip')
iam.add_role_to_instance_profile(InstanceProfileName='shape-ip', RoleName='shape')
prov = iam.create_open_id_connect_provider(Url='https://oidc.example.com/id/X', ClientIDList=['sts.amazonaws.com'])['OpenIDConnectProviderArn']
slr = iam.create_service_linked_role(AWSServiceName='elasticloadbalancing.amazonaws.com')['Role']
out({
  'roles': [r['Arn'] for r in iam.list_roles(PathPrefix='/eks/')['Roles']],
  'max': iam.get_role(RoleName='shape')['Role']['MaxSessionDuration'],
  'tags': iam.list_role_tags(RoleName='shape')['Tags'],
  'inline': iam.get_role_policy(RoleName='shape', PolicyName='inline')['PolicyDocument']['Statement'][0]['Action'],
  'names': iam.list_role_policies(RoleName='shape')['PolicyNames'],
  'onlyAttached': [x['PolicyName'] for x in iam.list_policies(Scope='Local', OnlyAttached=True)['Policies']],
  'version': iam.get_policy_version(PolicyArn=p['Arn'], VersionId='v1')['PolicyVersion']['Document']['Statement'][0]['Action'],
  'count': iam.get_policy(PolicyArn=p['Arn'])['Policy']['AttachmentCount'],
  'ip': [r['RoleName'] for r in iam.get_instance_profile(InstanceProfileName='shape-ip')['InstanceProfile']['Roles']],
  'ipForRole': [x['InstanceProfileName'] for x in iam.list_instance_profiles_for_role(RoleName='shape')['InstanceProfiles']],
  'oidc': iam.get_open_id_connect_provider(OpenIDConnectProviderArn=prov)['Url'],
  'oidcList': [x['Arn'] for x in iam.list_open_id_connect_providers()['OpenIDConnectProviderList'] if 'example.com' in x['Arn']],
  'slr': slr['Arn'],
  'users': iam.list_users()['IsTruncated'],
  'gst': type(client('sts').get_session_token(DurationSeconds=900)['Credentials']['Expiration']).__name__,
})
`, { endpoint });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json, {
      roles: [`arn:aws:iam::${ACCOUNT}:role/eks/shape`], max: 7200, tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: 'v2' }],
      inline: 's3:*', names: ['inline'], onlyAttached: ['shape-pol'], version: 'ec2:Describe*', count: 1, ip: ['shape'], ipForRole: ['shape-ip'],
      oidc: 'oidc.example.com/id/X', oidcList: [`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/X`],
      slr: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
      users: false, gst: 'datetime',
    });
  });
});
