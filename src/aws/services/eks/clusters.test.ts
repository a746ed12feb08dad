import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsError } from '../../core/types.js';
import { ACCOUNT, REGION, ROLE_ARN, ctxOf, testEks } from './testing-fakes.js';

/** Asserts that fn rejects with an AwsError of this code (and message, when given). */
async function rejects(fn: () => Promise<unknown>, code: string, message?: string | RegExp, status?: number): Promise<Record<string, unknown>> {
  try { await fn(); } catch (e) {
    assert.ok(isAwsError(e), `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.status, status);
    return e.fields;
  }
  assert.fail(`expected ${code}`);
}

test('CreateCluster answers CREATING with EKS defaults; the next Describe reads ACTIVE with endpoint and CA', async () => {
  const t = await testEks();
  const { cluster: c } = await t.createCluster('demo', { tags: { team: 'a' } });
  assert.equal(c.status, 'CREATING');
  assert.equal(c.endpoint, undefined);
  assert.deepEqual(c.certificateAuthority, {});
  assert.equal(c.arn, `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/demo`);
  assert.equal(c.version, '1.32');
  assert.match(c.platformVersion, /^eks\.\d+$/);
  assert.deepEqual(c.kubernetesNetworkConfig, { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4', elasticLoadBalancing: { enabled: false } });
  assert.deepEqual(c.logging, { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] });
  assert.deepEqual(c.accessConfig, { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true });
  assert.equal(c.resourcesVpcConfig.vpcId, 'vpc-default');
  assert.equal(c.resourcesVpcConfig.endpointPublicAccess, true);
  assert.equal(c.resourcesVpcConfig.endpointPrivateAccess, false);
  assert.deepEqual(c.resourcesVpcConfig.publicAccessCidrs, ['0.0.0.0/0']);
  assert.match(c.resourcesVpcConfig.clusterSecurityGroupId, /^sg-/);
  assert.match(c.identity.oidc.issuer, new RegExp(`^https://oidc\\.eks\\.${REGION}\\.amazonaws\\.com/id/[0-9A-F]{32}$`));
  assert.deepEqual(c.tags, { team: 'a' });
  assert.deepEqual(c.health, { issues: [] });
  assert.equal(typeof c.createdAt, 'number');
  assert.ok(c.createdAt > 1e9 && c.createdAt < 1e10, 'createdAt is epoch seconds');
  assert.equal(c.outpostConfig, undefined);
  assert.equal(c.id, undefined);
  const sg = t.ec2.groups.get(c.resourcesVpcConfig.clusterSecurityGroupId);
  assert.match(sg?.name ?? '', /^eks-cluster-sg-demo-\d+$/);
  // The control plane was created with the spec of the cluster.
  assert.equal(t.cps.created.length, 1);
  assert.equal(t.cps.created[0].serviceIpv4Cidr, '10.100.0.0/16');
  assert.equal(t.cps.created[0].version, '1.32');

  const { cluster: d } = await t.call('GET', '/clusters/demo');
  assert.equal(d.status, 'ACTIVE');
  assert.equal(d.endpoint, t.cps.get('demo')?.endpoint);
  assert.equal(Buffer.from(d.certificateAuthority.data, 'base64').toString(), t.cps.get('demo')?.caPem);
  assert.equal(d.identity.oidc.issuer, c.identity.oidc.issuer);
  assert.equal(t.eks.clusters.find(ACCOUNT, REGION, 'demo')?.status, 'ACTIVE');
});

test('service CIDR defaults to 172.20.0.0/16 in a 10/8 VPC; explicit values are kept', async () => {
  const t = await testEks();
  const { cluster: c } = await t.createCluster('ten', { resourcesVpcConfig: { subnetIds: ['subnet-ten-a', 'subnet-ten-b'] } });
  assert.equal(c.kubernetesNetworkConfig.serviceIpv4Cidr, '172.20.0.0/16');
  const { cluster: d } = await t.createCluster('own', { kubernetesNetworkConfig: { serviceIpv4Cidr: '10.200.0.0/16' }, version: '1.31', accessConfig: { authenticationMode: 'API' } });
  assert.equal(d.kubernetesNetworkConfig.serviceIpv4Cidr, '10.200.0.0/16');
  assert.equal(d.version, '1.31');
  assert.equal(d.accessConfig.authenticationMode, 'API');
});

test('CreateCluster validation errors carry EKS codes, messages and clusterName', async () => {
  const t = await testEks();
  await rejects(() => t.createCluster('-bad'), 'InvalidParameterException', /regular expression pattern/, 400);
  await rejects(() => t.createCluster('x'.repeat(101)), 'InvalidParameterException', /length between 1 and 100/);
  const f = await rejects(() => t.createCluster('r1', { roleArn: 'not-an-arn' }), 'InvalidParameterException', "Invalid Role Arn: 'not-an-arn'");
  assert.deepEqual(f, { clusterName: 'r1' });
  await rejects(() => t.createCluster('r2', { roleArn: `arn:aws:iam::${ACCOUNT}:role/missing` }), 'InvalidParameterException', /does not exist/);
  await rejects(() => t.createCluster('s1', { resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-nope'] } }), 'InvalidParameterException', /The subnet ID 'subnet-nope' does not exist/);
  await rejects(() => t.createCluster('s2', { resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-a2'] } }), 'InvalidParameterException', 'Subnets specified must be in at least two different AZs');
  await rejects(() => t.createCluster('s3', { resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-ten-b'] } }), 'InvalidParameterException', /same VPC/);
  await rejects(() => t.createCluster('v1', { version: '1.20' }), 'InvalidParameterException', /unsupported Kubernetes version 1.20/);
  await rejects(() => t.createCluster('m1', { accessConfig: { authenticationMode: 'BOGUS' } }), 'InvalidParameterException', /authenticationMode/);
  // Nothing was created by the failed calls.
  assert.equal(t.cps.created.length, 0);
  assert.equal(t.ec2.groups.size, 0);
  assert.deepEqual((await t.call('GET', '/clusters')).clusters, []);
});

test('duplicate names are ResourceInUseException 409; the same clientRequestToken returns the same cluster', async () => {
  const t = await testEks();
  const first = await t.createCluster('dup', { clientRequestToken: 'tok-1' });
  assert.equal(first.cluster.clientRequestToken, 'tok-1');
  const again = await t.createCluster('dup', { clientRequestToken: 'tok-1' });
  assert.equal(again.cluster.arn, first.cluster.arn);
  assert.equal(again.cluster.identity.oidc.issuer, first.cluster.identity.oidc.issuer);
  assert.equal(t.cps.created.length, 1);
  const f = await rejects(() => t.createCluster('dup', { clientRequestToken: 'tok-2' }), 'ResourceInUseException', 'Cluster already exists with name: dup', 409);
  assert.deepEqual(f, { clusterName: 'dup' });
  await rejects(() => t.createCluster('dup'), 'ResourceInUseException');
});

test('ResourceLimitExceededException past the clusters-per-region quota', async () => {
  const t = await testEks({ clusterQuota: 2 });
  await t.createCluster('q1');
  await t.createCluster('q2');
  await rejects(() => t.createCluster('q3'), 'ResourceLimitExceededException', 'Cluster limit exceeded for account.', 400);
});

test('DescribeCluster of an unknown name: ResourceNotFoundException with the EKS message', async () => {
  const t = await testEks();
  const f = await rejects(() => t.call('GET', '/clusters/nope'), 'ResourceNotFoundException', 'No cluster found for name: nope.', 404);
  assert.deepEqual(f, { clusterName: 'nope' });
  // Other regions and accounts do not see a cluster.
  await t.createCluster('here');
  await rejects(() => t.call('GET', '/clusters/here', {}, ctxOf('DescribeCluster', undefined, 'eu-west-1')), 'ResourceNotFoundException');
});

test('ListClusters is sorted and paginates with maxResults/nextToken', async () => {
  const t = await testEks();
  for (const n of ['c3', 'a1', 'b2']) await t.createCluster(n);
  assert.deepEqual((await t.call('GET', '/clusters')).clusters, ['a1', 'b2', 'c3']);
  const p1 = await t.call('GET', '/clusters?maxResults=2');
  assert.deepEqual(p1.clusters, ['a1', 'b2']);
  assert.ok(p1.nextToken);
  const p2 = await t.call('GET', `/clusters?maxResults=2&nextToken=${p1.nextToken}`);
  assert.deepEqual(p2.clusters, ['c3']);
  assert.equal(p2.nextToken, undefined);
  await rejects(() => t.call('GET', '/clusters?maxResults=0'), 'InvalidParameterException');
  assert.deepEqual((await t.call('GET', '/clusters', {}, ctxOf('ListClusters', undefined, 'us-east-1'))).clusters, []);
});

test('DeleteCluster answers DELETING, then the cluster, its control plane and security group are gone', async () => {
  const fargate: string[] = [];
  const t = await testEks({ dependents: { nodegroupNames: () => [], deleteFargateProfiles: async (_a, _r, c) => { fargate.push(c); } } });
  const { cluster: c } = await t.createCluster('gone');
  const { cluster: d } = await t.call('DELETE', '/clusters/gone');
  assert.equal(d.status, 'DELETING');
  assert.deepEqual(t.cps.deleted, ['gone']);
  assert.equal(t.ec2.groups.has(c.resourcesVpcConfig.clusterSecurityGroupId), false);
  assert.deepEqual(fargate, ['gone']);
  await rejects(() => t.call('GET', '/clusters/gone'), 'ResourceNotFoundException');
  assert.deepEqual((await t.call('GET', '/clusters')).clusters, []);
  // The name can be used again.
  await t.createCluster('gone');
});

test('DeleteCluster refuses while node groups are attached', async () => {
  const t = await testEks({ dependents: { nodegroupNames: () => ['ng1'], deleteFargateProfiles: async () => undefined } });
  await t.createCluster('busy');
  const f = await rejects(() => t.call('DELETE', '/clusters/busy'), 'ResourceInUseException', 'Cluster has nodegroups attached', 409);
  assert.deepEqual(f, { clusterName: 'busy' });
  assert.equal((await t.call('GET', '/clusters/busy')).cluster.status, 'ACTIVE');
});

test('attach() adds dependents after creation (the compute part is built from createEks output)', async () => {
  const t = await testEks();
  t.eks.attach({ dependents: { nodegroupNames: () => ['ng'], deleteFargateProfiles: async () => undefined } });
  await t.createCluster('late');
  await rejects(() => t.call('DELETE', '/clusters/late'), 'ResourceInUseException', 'Cluster has nodegroups attached');
});

test('realistic timing: CREATING for the scaled EKS duration, DELETING before gone', async () => {
  const t = await testEks({ scale: 0.001 }); // create 9 min × 0.001 = 540 ms
  await t.createCluster('slow');
  await new Promise((r) => setImmediate(r));
  assert.equal((await t.call('GET', '/clusters/slow')).cluster.status, 'CREATING');
  t.clock.step(600);
  assert.equal((await t.call('GET', '/clusters/slow')).cluster.status, 'ACTIVE');
  const { cluster } = await t.call('DELETE', '/clusters/slow');
  assert.equal(cluster.status, 'DELETING');
  assert.equal((await t.call('GET', '/clusters/slow')).cluster.status, 'DELETING');
  t.clock.step(240);
  await rejects(() => t.call('GET', '/clusters/slow'), 'ResourceNotFoundException');
  assert.deepEqual(t.cps.deleted, ['slow']);
  t.eks.close();
});

test('a control plane that fails to start leaves the cluster FAILED with a health issue', async () => {
  const t = await testEks();
  t.cps.failNext = new Error('port in use');
  await t.createCluster('broken');
  const { cluster } = await t.call('GET', '/clusters/broken');
  assert.equal(cluster.status, 'FAILED');
  assert.equal(cluster.endpoint, undefined);
  assert.match(cluster.health.issues[0].message, /port in use/);
  await t.call('DELETE', '/clusters/broken');
  await rejects(() => t.call('GET', '/clusters/broken'), 'ResourceNotFoundException');
});

test('restore() re-creates every stored cluster on its stored port and finishes interrupted deletes', async () => {
  const t = await testEks();
  await t.createCluster('one');
  await t.createCluster('two');
  const port = t.cps.get('one')?.port;
  // A restart: a new service over the same store and fresh control planes.
  const t2 = await testEks({ store: t.store });
  await t2.eks.restore();
  assert.deepEqual(t2.cps.created.map((s) => s.name).sort(), ['one', 'two']);
  assert.equal(t2.cps.created.find((s) => s.name === 'one')?.port, port);
  const { cluster } = await t2.call('GET', '/clusters/one');
  assert.equal(cluster.status, 'ACTIVE');
  assert.equal(cluster.endpoint, `https://127.0.0.1:${port}`);
  assert.equal(cluster.roleArn, ROLE_ARN);
});

test('a control plane that cannot be restored (port taken by another keks) leaves its record as it was', async () => {
  const t = await testEks();
  await t.createCluster('kept');
  const t2 = await testEks({ store: t.store });
  t2.cps.failNext = new Error('listen EADDRINUSE');
  await t2.eks.restore();
  assert.equal(t2.cps.get('kept'), undefined);
  // Not FAILED for good: the next restart (port free again) brings it back.
  const t3 = await testEks({ store: t.store });
  await t3.eks.restore();
  assert.equal((await t3.call('GET', '/clusters/kept')).cluster.status, 'ACTIVE');
  assert.ok(t3.cps.get('kept'));
});

test('ClusterLookup.find reports the view node groups need; controlPlane() the handle', async () => {
  const t = await testEks();
  await t.createCluster('look');
  const v = t.eks.clusters.find(ACCOUNT, REGION, 'look');
  assert.equal(v?.vpcId, 'vpc-default');
  assert.deepEqual(v?.subnetIds, ['subnet-a', 'subnet-b']);
  assert.equal(v?.serviceIpv4Cidr, '10.100.0.0/16');
  assert.equal(v?.authenticationMode, 'CONFIG_MAP');
  assert.equal(t.eks.clusters.find(ACCOUNT, 'eu-west-1', 'look'), undefined);
  assert.equal(t.eks.clusters.controlPlane('look'), t.cps.get('look'));
});

test('restore() finishes a deletion a restart interrupted', async () => {
  const t = await testEks({ scale: 0.001 });
  await t.createCluster('half');
  await new Promise((r) => setImmediate(r));
  t.clock.step(600);
  await t.call('DELETE', '/clusters/half');
  t.eks.close();
  t.clock.step(1000);
  const t2 = await testEks({ store: t.store, clock: t.clock, scale: 0.001 });
  await t2.eks.restore();
  assert.deepEqual(t2.cps.created, [], 'no control plane for a deleted cluster');
  assert.deepEqual(t2.cps.deleted, ['half']);
  await rejects(() => t2.call('GET', '/clusters/half'), 'ResourceNotFoundException');
});

test('clusters.create() (the default cluster) pins the port and is listed like any other', async () => {
  const t = await testEks();
  const c = await t.eks.clusters.create({ name: 'keks', roleArn: ROLE_ARN, resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] } }, ctxOf('CreateCluster'), { port: 6443 });
  assert.equal(c.status, 'CREATING');
  assert.equal(t.cps.created[0].port, 6443);
  assert.deepEqual((await t.call('GET', '/clusters')).clusters, ['keks']);
  assert.equal((await t.call('GET', '/clusters/keks')).cluster.endpoint, 'https://127.0.0.1:6443');
});

test('bootstrapClusterCreatorAdminPermissions=false is refused in CONFIG_MAP mode', async () => {
  const t = await testEks();
  await rejects(() => t.createCluster('cm', { accessConfig: { bootstrapClusterCreatorAdminPermissions: false } }), 'InvalidParameterException',
    'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP');
});
