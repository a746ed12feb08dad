// EKS Fargate profiles through their rest-json routes, with fake clusters and EC2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { FakeClock } from '../../../util/clock.js';
import { storeBackedState } from '../../core/state.js';
import { AwsError, type AwsRequestContext, type RestJsonRoute } from '../../core/types.js';
import { FAKE_ACCOUNT, FAKE_REGION, FakeClusters, FakeEc2, fakeCluster } from './nodegroup-fakes.js';
import { fargateRoutes, type FargateDelays, type FargatePart } from './fargate-profiles.js';

const ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/pod-exec`;
const ctx: AwsRequestContext = {
  requestId: 'r', region: FAKE_REGION, accessKeyId: 'test', service: 'eks', operation: 'x',
  caller: { accountId: FAKE_ACCOUNT, arn: `arn:aws:iam::${FAKE_ACCOUNT}:root`, userId: FAKE_ACCOUNT, type: 'root' },
};

async function harness(delays?: FargateDelays) {
  const clock = new FakeClock();
  const clusters = new FakeClusters();
  clusters.clusters.set('demo', fakeCluster('demo'));
  clusters.clusters.set('new', fakeCluster('new', { status: 'CREATING' }));
  const part: FargatePart = await fargateRoutes({
    clock, state: storeBackedState(new MemoryStore()), defaultAccountId: FAKE_ACCOUNT, defaultRegion: FAKE_REGION, clusters, ec2: new FakeEc2(), delays,
  });
  const route = (op: string): RestJsonRoute => part.routes.find((r) => r.operation === op) as RestJsonRoute;
  const call = async (op: string, params: Record<string, string>, body: Record<string, unknown> = {}, query: Record<string, string> = {}): Promise<Record<string, any>> =>
    (await route(op).handler({ params, body, query: new URLSearchParams(query) }, { ...ctx, operation: op })) as Record<string, any>;
  const fails = async (op: string, params: Record<string, string>, body: Record<string, unknown>, code: string, message: string | RegExp, status = 400): Promise<void> => {
    await assert.rejects(call(op, params, body), (e: unknown) => {
      assert.ok(e instanceof AwsError, String(e));
      assert.equal(e.code, code);
      if (typeof message === 'string') assert.equal(e.message, message); else assert.match(e.message, message);
      assert.equal(e.status, status);
      return true;
    });
  };
  const create = (name: string, body: Record<string, unknown> = {}): Promise<Record<string, any>> =>
    call('CreateFargateProfile', { name: 'demo' }, { fargateProfileName: name, podExecutionRoleArn: ROLE, selectors: [{ namespace: 'serverless' }], ...body });
  return { part, clock, call, fails, create };
}

describe('Fargate profiles', () => {
  it('create → CREATING with an ARN carrying a uuid, private subnets by default; ACTIVE by the next Describe', async () => {
    const h = await harness();
    const { fargateProfile: p } = await h.create('fp1', { selectors: [{ namespace: 'serverless', labels: { app: 'web' } }], tags: { a: 'b' } });
    assert.equal(p.status, 'CREATING');
    assert.match(p.fargateProfileArn, /^arn:aws:eks:ap-northeast-2:000000000000:fargateprofile\/demo\/fp1\/[0-9a-f-]{36}$/);
    assert.deepEqual(p.subnets, ['subnet-priva', 'subnet-privb', 'subnet-privc']);
    assert.deepEqual(p.selectors, [{ namespace: 'serverless', labels: { app: 'web' } }]);
    assert.deepEqual(p.tags, { a: 'b' });
    assert.equal(p.podExecutionRoleArn, ROLE);
    const d = await h.call('DescribeFargateProfile', { name: 'demo', fargateProfileName: 'fp1' });
    assert.equal(d.fargateProfile.status, 'ACTIVE');
    assert.deepEqual(h.part.profilesFor(FAKE_ACCOUNT, FAKE_REGION, 'demo'), [{ name: 'fp1', selectors: [{ namespace: 'serverless', labels: { app: 'web' } }] }]);
    assert.deepEqual(h.part.profilesForCluster('demo'), h.part.profilesFor(FAKE_ACCOUNT, FAKE_REGION, 'demo'));
    assert.deepEqual(h.part.profilesForCluster('other'), []);
  });

  it('validation and errors with the real messages', async () => {
    const h = await harness();
    const p = { name: 'demo' };
    const base = { fargateProfileName: 'x', podExecutionRoleArn: ROLE };
    await h.fails('CreateFargateProfile', { name: 'nope' }, { ...base, selectors: [{ namespace: 'a' }] }, 'ResourceNotFoundException', 'No cluster found for name: nope.', 404);
    await h.fails('CreateFargateProfile', { name: 'new' }, { ...base, selectors: [{ namespace: 'a' }] }, 'InvalidRequestException', "Cluster 'new' is not in ACTIVE status");
    await h.fails('CreateFargateProfile', p, { ...base }, 'InvalidParameterException', 'Fargate Profile requires at least one selector.');
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [] }, 'InvalidParameterException', 'Fargate Profile requires at least one selector.');
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [{ labels: { a: 'b' } }] }, 'InvalidParameterException', 'Fargate Profile must have at least one selector with at least one namespace value.');
    const six = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v']));
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [{ namespace: 'a', labels: six }] }, 'InvalidParameterException', 'Request contains Selector with more than 5 Label pairs');
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [1, 2, 3, 4, 5, 6].map((i) => ({ namespace: `n${i}` })) }, 'InvalidParameterException', /more than 5 selectors/);
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [{ namespace: 'a' }], subnets: ['subnet-puba'] }, 'InvalidParameterException', /not a private subnet/);
    await h.fails('CreateFargateProfile', p, { ...base, selectors: [{ namespace: 'a' }], podExecutionRoleArn: 'bad' }, 'InvalidParameterException', "Invalid Role Arn: 'bad'");
    await h.create('fp1');
    await h.fails('CreateFargateProfile', p, { ...base, fargateProfileName: 'fp1', selectors: [{ namespace: 'a' }] }, 'ResourceInUseException', 'A Fargate Profile already exists with this name in this cluster.', 409);
    await h.fails('DescribeFargateProfile', { name: 'demo', fargateProfileName: 'zz' }, {}, 'ResourceNotFoundException', 'No Fargate Profile found with name: zz.', 404);
    await h.fails('DeleteFargateProfile', { name: 'demo', fargateProfileName: 'zz' }, {}, 'ResourceNotFoundException', 'No Fargate Profile found with name: zz.', 404);
  });

  it('with realistic timing only one profile per cluster may be CREATING or DELETING', async () => {
    const h = await harness({ createMs: 60_000, deleteMs: 30_000 });
    await h.create('a');
    await h.fails('CreateFargateProfile', { name: 'demo' }, { fargateProfileName: 'b', podExecutionRoleArn: ROLE, selectors: [{ namespace: 'x' }] },
      'ResourceInUseException', 'Cannot create Fargate Profile b because cluster demo currently has Fargate profile a in status CREATING', 409);
    assert.deepEqual(h.part.profilesFor(FAKE_ACCOUNT, FAKE_REGION, 'demo'), [], 'a CREATING profile schedules nothing');
    h.clock.step(60_000);
    await h.create('b');
    h.clock.step(60_000);
    const del = await h.call('DeleteFargateProfile', { name: 'demo', fargateProfileName: 'a' });
    assert.equal(del.fargateProfile.status, 'DELETING');
    await h.fails('DeleteFargateProfile', { name: 'demo', fargateProfileName: 'b' }, {}, 'ResourceInUseException', /currently has Fargate profile a in status DELETING/, 409);
    await h.part.service.idle();
    assert.equal((await h.call('DescribeFargateProfile', { name: 'demo', fargateProfileName: 'a' })).fargateProfile.status, 'DELETING');
    h.clock.step(30_000);
    await h.fails('DescribeFargateProfile', { name: 'demo', fargateProfileName: 'a' }, {}, 'ResourceNotFoundException', 'No Fargate Profile found with name: a.', 404);
  });

  it('lists with pagination; deleteFargateProfiles removes a cluster\'s profiles', async () => {
    const h = await harness();
    for (const n of ['c', 'a', 'b']) await h.create(n);
    const p1 = await h.call('ListFargateProfiles', { name: 'demo' }, {}, { maxResults: '2' });
    assert.deepEqual(p1.fargateProfileNames, ['a', 'b']);
    const p2 = await h.call('ListFargateProfiles', { name: 'demo' }, {}, { maxResults: '2', nextToken: p1.nextToken });
    assert.deepEqual(p2.fargateProfileNames, ['c']);
    assert.equal(p2.nextToken, null);
    await h.part.deleteFargateProfiles(FAKE_ACCOUNT, FAKE_REGION, 'demo');
    assert.deepEqual((await h.call('ListFargateProfiles', { name: 'demo' })).fargateProfileNames, []);
  });
});
