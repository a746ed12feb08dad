/**
 * The EKS cluster operations through the real aws CLI v1 (and boto3 for waiters' shapes), against
 * an AwsEndpoint serving createEks over fake control planes, EC2 and IAM (the wire contract of
 * the cluster part alone; aws-eks-cluster-keks.test.ts runs the same flow against a whole keks).
 * Covers: create-cluster → wait cluster-active (first poll) → update-kubeconfig (file shape) →
 * describe-cluster (arn region, CA data decodes to PEM); errors as botocore parses them; updates;
 * access entries with ARNs in the path; add-ons with wait addon-active; tags; delete →
 * wait cluster-deleted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { realClock } from '../../src/util/clock.js';
import { createEks, type Eks } from '../../src/aws/services/eks/service.js';
import { ACCOUNT, FakeControlPlanes, FakeEc2, FakeIam, REGION, ROLE_ARN } from '../../src/aws/services/eks/testing-fakes.js';
import { awsCliSkip, cliError, runAws, type AwsRunResult } from '../helpers/aws.js';

describe('EKS cluster operations through the aws CLI', { skip: awsCliSkip }, () => {
  let ep: AwsEndpoint;
  let eks: Eks;
  const cps = new FakeControlPlanes();
  const dir = mkdtempSync(join(tmpdir(), 'keks-eks-cli-'));
  const aws = (...args: string[]): Promise<AwsRunResult> => runAws(['eks', ...args], { endpoint: ep.url, region: REGION, timeoutMs: 60_000 });
  const ok = async (...args: string[]): Promise<Record<string, any>> => {
    const r = await aws(...args);
    assert.equal(r.code, 0, `aws eks ${args.join(' ')}: ${r.stderr}`);
    return (r.json ?? {}) as Record<string, any>;
  };
  const fails = async (code: string, message: string | RegExp, ...args: string[]): Promise<void> => {
    const r = await aws(...args);
    assert.notEqual(r.code, 0);
    const e = cliError(r);
    assert.ok(e, r.stderr);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message); else assert.match(e.message, message);
  };

  before(async () => {
    eks = await createEks({ clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: ACCOUNT, defaultRegion: REGION, controlPlanes: cps, ec2: new FakeEc2(), iam: new FakeIam() });
    ep = new AwsEndpoint({ services: [eks.service], credentials: staticCredentials([rootAccessKey({ accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' })]), port: 0 });
    await ep.start();
  });
  after(async () => {
    eks?.close();
    await ep?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create-cluster → wait cluster-active on the first poll → update-kubeconfig → describe-cluster', async () => {
    const created = await ok('create-cluster', '--name', 'demo', '--role-arn', ROLE_ARN, '--resources-vpc-config', 'subnetIds=subnet-a,subnet-b', '--tags', 'team=a');
    assert.equal(created.cluster.status, 'CREATING');
    assert.match(created.cluster.clientRequestToken, /^[0-9a-f-]{36}$/, 'the CLI fills clientRequestToken');
    const t0 = Date.now();
    await ok('wait', 'cluster-active', '--name', 'demo');
    assert.ok(Date.now() - t0 < 25_000, 'the waiter returned on its first poll (it sleeps 30 s between polls)');

    const kubeconfig = join(dir, 'kubeconfig');
    const r = await aws('update-kubeconfig', '--name', 'demo', '--kubeconfig', kubeconfig);
    assert.equal(r.code, 0, r.stderr);
    const arn = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/demo`;
    const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as Record<string, any>;
    assert.equal(kc['current-context'], arn);
    assert.equal(kc.clusters[0].name, arn);
    assert.equal(kc.clusters[0].cluster.server, cps.get('demo')?.endpoint);
    assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), cps.get('demo')?.caPem);
    assert.deepEqual(kc.users[0].user.exec.args, ['--region', REGION, 'eks', 'get-token', '--cluster-name', 'demo', '--output', 'json']);

    const { cluster } = await ok('describe-cluster', '--name', 'demo');
    assert.equal(cluster.status, 'ACTIVE');
    assert.equal(cluster.arn.split(':')[3], REGION);
    assert.match(Buffer.from(cluster.certificateAuthority.data, 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
    assert.match(cluster.identity.oidc.issuer, /^https:\/\/oidc\.eks\.ap-northeast-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    assert.deepEqual(cluster.tags, { team: 'a' });
    assert.equal(typeof cluster.createdAt, 'number');
    assert.deepEqual((await ok('list-clusters')).clusters, ['demo']);
  });

  it('errors reach the CLI with EKS codes and messages', async () => {
    await fails('ResourceNotFoundException', 'No cluster found for name: nope.', 'describe-cluster', '--name', 'nope');
    await fails('InvalidParameterException', "Invalid Role Arn: 'bad'", 'create-cluster', '--name', 'x', '--role-arn', 'bad', '--resources-vpc-config', 'subnetIds=subnet-a,subnet-b');
    await fails('InvalidParameterException', 'Subnets specified must be in at least two different AZs', 'create-cluster', '--name', 'x', '--role-arn', ROLE_ARN, '--resources-vpc-config', 'subnetIds=subnet-a');
    await fails('ResourceInUseException', 'Cluster already exists with name: demo', 'create-cluster', '--name', 'demo', '--role-arn', ROLE_ARN, '--resources-vpc-config', 'subnetIds=subnet-a,subnet-b');
  });

  it('update-cluster-config / list-updates / describe-update; version rule', async () => {
    const { update } = await ok('update-cluster-config', '--name', 'demo', '--resources-vpc-config', 'endpointPrivateAccess=true,publicAccessCidrs=203.0.113.0/24');
    assert.equal(update.type, 'EndpointAccessUpdate');
    assert.equal(update.status, 'InProgress');
    assert.deepEqual((await ok('list-updates', '--name', 'demo')).updateIds, [update.id]);
    assert.equal((await ok('describe-update', '--name', 'demo', '--update-id', update.id)).update.status, 'Successful');
    assert.deepEqual(cps.get('demo')?.cidrs, ['203.0.113.0/24']);
    await fails('InvalidParameterException', /^Cluster is already at the desired configuration with endpointPrivateAccess: true , endpointPublicAccess: true/,
      'update-cluster-config', '--name', 'demo', '--resources-vpc-config', 'endpointPrivateAccess=true');
    await fails('InvalidParameterException', 'Unsupported Kubernetes minor version update from 1.32 to 1.30', 'update-cluster-version', '--name', 'demo', '--kubernetes-version', '1.30');
  });

  it('access entries with ARNs in the path; add-ons with wait addon-active; tags', async () => {
    await fails('InvalidRequestException', /authentication mode must be set to one of \[API, API_AND_CONFIG_MAP\]/, 'list-access-entries', '--cluster-name', 'demo');
    await ok('update-cluster-config', '--name', 'demo', '--access-config', 'authenticationMode=API_AND_CONFIG_MAP');
    const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const { accessEntry } = await ok('create-access-entry', '--cluster-name', 'demo', '--principal-arn', user, '--kubernetes-groups', 'viewers');
    assert.equal(accessEntry.username, user);
    await ok('associate-access-policy', '--cluster-name', 'demo', '--principal-arn', user, '--policy-arn', 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', '--access-scope', 'type=namespace,namespaces=dev');
    const assoc = await ok('list-associated-access-policies', '--cluster-name', 'demo', '--principal-arn', user);
    assert.deepEqual(assoc.associatedAccessPolicies[0].accessScope, { type: 'namespace', namespaces: ['dev'] });
    assert.equal((await ok('list-access-policies')).accessPolicies.length, 19);

    const { addon } = await ok('create-addon', '--cluster-name', 'demo', '--addon-name', 'coredns');
    assert.equal(addon.status, 'CREATING');
    await ok('wait', 'addon-active', '--cluster-name', 'demo', '--addon-name', 'coredns');
    assert.ok(cps.get('demo')?.objects.get('/apis/apps/v1/namespaces/kube-system/deployments/coredns'));
    const versions = await ok('describe-addon-versions', '--addon-name', 'vpc-cni', '--kubernetes-version', '1.32');
    assert.equal(versions.addons[0].addonName, 'vpc-cni');

    const arn = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/demo`;
    await ok('tag-resource', '--resource-arn', arn, '--tags', 'env=dev');
    await ok('untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
    assert.deepEqual((await ok('list-tags-for-resource', '--resource-arn', arn)).tags, { env: 'dev' });
    await fails('NotFoundException', 'Resource was not found', 'list-tags-for-resource', '--resource-arn', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/ghost`);
  });

  it('delete-cluster → DELETING, then wait cluster-deleted returns on its first poll', async () => {
    const { cluster } = await ok('delete-cluster', '--name', 'demo');
    assert.equal(cluster.status, 'DELETING');
    await ok('wait', 'cluster-deleted', '--name', 'demo');
    assert.deepEqual(cps.deleted, ['demo']);
    assert.deepEqual((await ok('list-clusters')).clusters, []);
  });
});
