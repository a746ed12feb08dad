// EKS managed node groups through their rest-json routes, with fake clusters, update log, ASG and EC2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { FakeClock } from '../../../util/clock.js';
import { storeBackedState } from '../../core/state.js';
import { AwsError, type AwsRequestContext, type RestJsonRoute } from '../../core/types.js';
import { FAKE_ACCOUNT, FAKE_REGION, FakeAsg, FakeClusters, FakeEc2, FakeUpdateLog, fakeCluster } from './nodegroup-fakes.js';
import { nodegroupRoutes, type NodegroupPart } from './nodegroup-routes.js';
import type { NodegroupDelays } from './nodegroup-service.js';

const ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/node`;
const ctx: AwsRequestContext = {
  requestId: 'r', region: FAKE_REGION, accessKeyId: 'test', service: 'eks', operation: 'x',
  caller: { accountId: FAKE_ACCOUNT, arn: `arn:aws:iam::${FAKE_ACCOUNT}:root`, userId: FAKE_ACCOUNT, type: 'root' },
};

interface H {
  part: NodegroupPart; asg: FakeAsg; ec2: FakeEc2; clusters: FakeClusters; updates: FakeUpdateLog; clock: FakeClock; store: MemoryStore;
  call(op: string, params: Record<string, string>, body?: Record<string, unknown>, query?: Record<string, string>): Promise<Record<string, any>>;
  fails(op: string, params: Record<string, string>, body: Record<string, unknown> | undefined, code: string, message: string | RegExp, status?: number): Promise<void>;
}

async function harness(o: { delays?: NodegroupDelays; store?: MemoryStore; clusters?: FakeClusters; asg?: FakeAsg } = {}): Promise<H> {
  const clock = new FakeClock();
  const store = o.store ?? new MemoryStore();
  const clusters = o.clusters ?? new FakeClusters();
  if (!clusters.clusters.size) clusters.clusters.set('demo', fakeCluster('demo'));
  const asg = o.asg ?? new FakeAsg();
  const ec2 = asg.ec2;
  const updates = new FakeUpdateLog();
  const part = await nodegroupRoutes({
    clock, state: storeBackedState(store), defaultAccountId: FAKE_ACCOUNT, defaultRegion: FAKE_REGION, clusters, updates, asg, ec2,
    knownInstanceType: (t) => ['t3.medium', 't3.large', 'm5.large'].includes(t), delays: o.delays,
  });
  const route = (op: string): RestJsonRoute => part.routes.find((r) => r.operation === op) as RestJsonRoute;
  const call = async (op: string, params: Record<string, string>, body: Record<string, unknown> = {}, query: Record<string, string> = {}): Promise<Record<string, any>> =>
    (await route(op).handler({ params, body, query: new URLSearchParams(query) }, { ...ctx, operation: op })) as Record<string, any>;
  return {
    part, asg, ec2, clusters, updates, clock, store, call,
    async fails(op, params, body, code, message, status = 400) {
      await assert.rejects(call(op, params, body), (e: unknown) => {
        assert.ok(e instanceof AwsError, String(e));
        assert.equal(e.code, code);
        if (typeof message === 'string') assert.equal(e.message, message); else assert.match(e.message, message);
        assert.equal(e.status, status);
        return true;
      });
    },
  };
}

const create = (h: H, body: Record<string, unknown> = {}): Promise<Record<string, any>> =>
  h.call('CreateNodegroup', { name: 'demo' }, { nodegroupName: 'ng1', subnets: ['subnet-priva', 'subnet-privb', 'subnet-privc'], nodeRole: ROLE, ...body });

describe('CreateNodegroup', () => {
  it('defaults, ARN with uuid, an ASG eks-<ng>-<uuid> tagged for the Cluster Autoscaler; ACTIVE by the next Describe', async () => {
    const h = await harness();
    const { nodegroup: ng } = await create(h, { scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 3 } });
    assert.equal(ng.status, 'CREATING');
    assert.deepEqual(ng.instanceTypes, ['t3.medium']);
    assert.equal(ng.amiType, 'AL2023_x86_64_STANDARD');
    assert.equal(ng.capacityType, 'ON_DEMAND');
    assert.equal(ng.diskSize, 20);
    assert.deepEqual(ng.updateConfig, { maxUnavailable: 1 });
    assert.equal(ng.version, '1.32');
    assert.equal(ng.releaseVersion, '1.32.3-20250414');
    assert.deepEqual(ng.labels, {});
    assert.deepEqual(ng.tags, {});
    assert.deepEqual(ng.health, { issues: [] });
    const m = /^arn:aws:eks:ap-northeast-2:000000000000:nodegroup\/demo\/ng1\/([0-9a-f-]{36})$/.exec(ng.nodegroupArn);
    assert.ok(m, ng.nodegroupArn);
    assert.deepEqual(ng.resources.autoScalingGroups, [{ name: `eks-ng1-${m[1]}` }]);
    assert.equal(typeof ng.createdAt, 'number');
    const g = h.asg.groups.get(`eks-ng1-${m[1]}`);
    assert.ok(g);
    assert.deepEqual([g.minSize, g.maxSize, g.desiredCapacity, g.instanceType], [2, 6, 3, 't3.medium']);
    assert.deepEqual(g.tags, {
      'eks:cluster-name': 'demo', 'eks:nodegroup-name': 'ng1', 'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/demo': 'owned', 'kubernetes.io/cluster/demo': 'owned',
    });
    assert.equal(g.instanceIds.length, 3);
    const d = await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.equal(d.nodegroup.status, 'ACTIVE');
    assert.deepEqual(d.nodegroup.scalingConfig, { minSize: 2, maxSize: 6, desiredSize: 3 });
  });

  it('the ASG is the source of truth: a change made through Auto Scaling shows in desiredSize', async () => {
    const h = await harness();
    const { nodegroup } = await create(h, { scalingConfig: { minSize: 1, maxSize: 5, desiredSize: 2 } });
    await h.asg.updateGroup(FAKE_REGION, nodegroup.resources.autoScalingGroups[0].name, { desiredCapacity: 4 });
    const d = await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.deepEqual(d.nodegroup.scalingConfig, { minSize: 1, maxSize: 5, desiredSize: 4 });
  });

  it('omitted scalingConfig → 1/2/2; labels, taints, tags, SPOT, launch template kept', async () => {
    const h = await harness();
    const { nodegroup } = await create(h, {
      capacityType: 'SPOT', labels: { team: 'a' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' }], tags: { env: 'dev' },
      launchTemplate: { id: 'lt-0123', version: '3' },
    });
    assert.deepEqual(nodegroup.scalingConfig, { minSize: 1, maxSize: 2, desiredSize: 2 });
    assert.equal(nodegroup.capacityType, 'SPOT');
    assert.deepEqual(nodegroup.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' }]);
    assert.equal(nodegroup.diskSize, undefined);
    assert.deepEqual(nodegroup.launchTemplate, { id: 'lt-0123', version: '3' });
    const inst = [...h.ec2.instances.values()][0];
    const cfg = h.part.nodegroupForInstance(inst);
    assert.ok(cfg);
    assert.deepEqual(cfg.labels, { team: 'a' });
    assert.deepEqual(cfg.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    assert.equal(cfg.capacityType, 'SPOT');
    assert.equal(cfg.sourceLaunchTemplateId, 'lt-0123');
    assert.equal(cfg.sourceLaunchTemplateVersion, '3');
    assert.equal(cfg.kubeletVersion, 'v1.32.3-eks-473151a');
    assert.match(cfg.imageId, /^ami-0[0-9a-f]{16}$/);
  });

  it('errors: unknown cluster, not ACTIVE, duplicate, sizing, launch template exclusions, maxUnavailable, role', async () => {
    const h = await harness();
    h.clusters.clusters.set('busy', fakeCluster('busy', { status: 'CREATING' }));
    await h.fails('CreateNodegroup', { name: 'nope' }, { nodegroupName: 'x', subnets: ['subnet-priva'], nodeRole: ROLE }, 'ResourceNotFoundException', 'No cluster found for name: nope.', 404);
    await h.fails('CreateNodegroup', { name: 'busy' }, { nodegroupName: 'x', subnets: ['subnet-priva'], nodeRole: ROLE }, 'InvalidRequestException', "Cluster 'busy' is not in ACTIVE status");
    const bad = (body: Record<string, unknown>, msg: string | RegExp): Promise<void> =>
      h.fails('CreateNodegroup', { name: 'demo' }, { nodegroupName: 'ng1', subnets: ['subnet-priva'], nodeRole: ROLE, ...body }, 'InvalidParameterException', msg);
    await bad({ scalingConfig: { minSize: 3, maxSize: 5, desiredSize: 2 } }, "minSize can't be greater than desiredSize");
    await bad({ scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 3 } }, "desiredSize can't be greater than maxSize");
    await bad({ scalingConfig: { minSize: 1, maxSize: 2 } }, /minSize, maxSize and desiredSize/);
    await bad({ launchTemplate: { name: 'lt' }, diskSize: 30 }, 'Disk size must be specified within the launch template.');
    await bad({ launchTemplate: { name: 'lt' }, remoteAccess: { ec2SshKey: 'k' } }, 'Remote access configuration cannot be specified with a launch template.');
    await bad({ scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 2 }, updateConfig: { maxUnavailable: 3 } }, 'max-unavailable must be within the range 1 and max size of the node group');
    await bad({ nodeRole: 'not-an-arn' }, "Invalid Role Arn: 'not-an-arn'");
    await bad({ instanceTypes: ['x9.huge'] }, /x9\.huge/);
    await bad({ taints: [{ key: 'k', effect: 'NoSchedule' }] }, /Taint effect NoSchedule is not valid/);
    await bad({ subnets: ['subnet-none'] }, /subnet-none/);
    await bad({ version: '1.31' }, /1\.31/);
    await bad({ releaseVersion: '1.31.7-20250414' }, /not valid for kubernetes version 1\.32/);
    await create(h);
    await h.fails('CreateNodegroup', { name: 'demo' }, { nodegroupName: 'ng1', subnets: ['subnet-priva'], nodeRole: ROLE }, 'ResourceInUseException', 'NodeGroup already exists with name ng1 and cluster name demo', 409);
    // Nothing above created an ASG besides the one good create.
    assert.equal(h.asg.groups.size, 1);
  });

  it('the same clientRequestToken returns the existing node group (idempotent retry)', async () => {
    const h = await harness();
    const a = await create(h, { clientRequestToken: 'tok-1' });
    const b = await create(h, { clientRequestToken: 'tok-1' });
    assert.equal(a.nodegroup.nodegroupArn, b.nodegroup.nodegroupArn);
    assert.equal(h.asg.groups.size, 1);
  });

  it('an ASG failure leaves no node group behind', async () => {
    const h = await harness();
    h.asg.failCreate = new AwsError('ValidationError', 'boom');
    await assert.rejects(create(h), /boom/);
    await h.fails('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' }, undefined, 'ResourceNotFoundException', 'No node group found for name: ng1.', 404);
  });

  it('with a create delay, CREATING until it passes', async () => {
    const h = await harness({ delays: { createMs: 60_000 } });
    await create(h);
    assert.equal((await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' })).nodegroup.status, 'CREATING');
    h.clock.step(60_000);
    await h.part.service.idle();
    assert.equal((await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' })).nodegroup.status, 'ACTIVE');
  });
});

describe('ListNodegroups', () => {
  it('paginates with maxResults and nextToken', async () => {
    const h = await harness();
    for (const n of ['c', 'a', 'b']) await create(h, { nodegroupName: n, scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 } });
    const p1 = await h.call('ListNodegroups', { name: 'demo' }, {}, { maxResults: '2' });
    assert.deepEqual(p1.nodegroups, ['a', 'b']);
    assert.ok(p1.nextToken);
    const p2 = await h.call('ListNodegroups', { name: 'demo' }, {}, { maxResults: '2', nextToken: p1.nextToken });
    assert.deepEqual(p2.nodegroups, ['c']);
    assert.equal(p2.nextToken, null);
    assert.deepEqual(h.part.nodegroupNames(FAKE_ACCOUNT, FAKE_REGION, 'demo'), ['a', 'b', 'c']);
    await assert.rejects(h.call('ListNodegroups', { name: 'demo' }, {}, { maxResults: '0' }), /maxResults/);
    await h.fails('ListNodegroups', { name: 'nope' }, undefined, 'ResourceNotFoundException', 'No cluster found for name: nope.', 404);
  });
});

describe('UpdateNodegroupConfig', () => {
  it('scaling → ConfigUpdate with string params, applied to the ASG; Successful afterwards', async () => {
    const h = await harness();
    const { nodegroup } = await create(h, { scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 1 } });
    const { update } = await h.call('UpdateNodegroupConfig', { name: 'demo', nodegroupName: 'ng1' }, { scalingConfig: { minSize: 1, maxSize: 5, desiredSize: 2 }, updateConfig: { maxUnavailable: 2 } });
    assert.equal(update.type, 'ConfigUpdate');
    assert.equal(update.status, 'InProgress');
    assert.deepEqual(update.params, [{ type: 'MinSize', value: '1' }, { type: 'MaxSize', value: '5' }, { type: 'DesiredSize', value: '2' }, { type: 'MaxUnavailable', value: '2' }]);
    assert.equal(h.updates.updates.get(update.id)?.owner.nodegroupName, 'ng1');
    await h.part.service.idle();
    const g = h.asg.groups.get(nodegroup.resources.autoScalingGroups[0].name);
    assert.deepEqual([g?.minSize, g?.maxSize, g?.desiredCapacity, g?.instanceIds.length], [1, 5, 2, 2]);
    assert.equal(h.updates.updates.get(update.id)?.status, 'Successful');
    const d = await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.equal(d.nodegroup.status, 'ACTIVE');
    assert.deepEqual(d.nodegroup.updateConfig, { maxUnavailable: 2 });
  });

  it('labels and taints: add/remove params as JSON strings; the node group config new Nodes get changes', async () => {
    const h = await harness();
    await create(h, { labels: { a: '1', b: '2' }, taints: [{ key: 't1', value: 'v', effect: 'NO_EXECUTE' }] });
    const { update } = await h.call('UpdateNodegroupConfig', { name: 'demo', nodegroupName: 'ng1' }, {
      labels: { addOrUpdateLabels: { c: '3' }, removeLabels: ['a'] },
      taints: { addOrUpdateTaints: [{ key: 't2', value: 'w', effect: 'PREFER_NO_SCHEDULE' }], removeTaints: [{ key: 't1', value: 'v', effect: 'NO_EXECUTE' }] },
    });
    assert.deepEqual(update.params, [
      { type: 'LabelsToAdd', value: '{"c":"3"}' }, { type: 'LabelsToRemove', value: '["a"]' },
      { type: 'TaintsToAdd', value: '[{"key":"t2","value":"w","effect":"PREFER_NO_SCHEDULE"}]' },
      { type: 'TaintsToRemove', value: '[{"key":"t1","value":"v","effect":"NO_EXECUTE"}]' },
    ]);
    await h.part.service.idle();
    const d = await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.deepEqual(d.nodegroup.labels, { b: '2', c: '3' });
    assert.deepEqual(d.nodegroup.taints, [{ key: 't2', value: 'w', effect: 'PREFER_NO_SCHEDULE' }]);
    const cfg = h.part.nodegroupForInstance([...h.ec2.instances.values()][0]);
    assert.deepEqual(cfg?.labels, { b: '2', c: '3' });
    assert.deepEqual(cfg?.taints, [{ key: 't2', value: 'w', effect: 'PreferNoSchedule' }]);
  });

  it('errors: sizing against current sizes, empty request, in-progress update, unknown node group', async () => {
    const h = await harness({ delays: { updateMs: 60_000 } });
    await create(h, { scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 4 } });
    const p = { name: 'demo', nodegroupName: 'ng1' };
    await h.fails('UpdateNodegroupConfig', p, { scalingConfig: { minSize: 8 } }, 'InvalidParameterException', "Minimum capacity 8 can't be greater than desired size 4");
    await h.fails('UpdateNodegroupConfig', p, { scalingConfig: { maxSize: 3 } }, 'InvalidParameterException', "Desired capacity 4 can't be greater than max size 3");
    await h.fails('UpdateNodegroupConfig', p, {}, 'InvalidParameterException', /No changes/);
    await h.fails('UpdateNodegroupConfig', p, { updateConfig: { maxUnavailable: 11 } }, 'InvalidParameterException', 'max-unavailable must be within the range 1 and max size of the node group');
    await h.fails('UpdateNodegroupConfig', { name: 'demo', nodegroupName: 'zz' }, { scalingConfig: { desiredSize: 1 } }, 'ResourceNotFoundException', 'No node group found for name: zz.', 404);
    const { update } = await h.call('UpdateNodegroupConfig', p, { scalingConfig: { desiredSize: 5 } });
    assert.deepEqual(update.params, [{ type: 'DesiredSize', value: '5' }]);
    await h.part.service.idle();
    assert.equal((await h.call('DescribeNodegroup', p)).nodegroup.status, 'UPDATING');
    await h.fails('UpdateNodegroupConfig', p, { scalingConfig: { desiredSize: 6 } }, 'ResourceInUseException', new RegExp(`currently has update ${update.id} in progress`), 409);
    h.clock.step(60_000);
    await h.part.service.idle();
    assert.equal((await h.call('DescribeNodegroup', p)).nodegroup.status, 'ACTIVE');
    assert.equal(h.updates.updates.get(update.id)?.status, 'Successful');
  });
});

describe('UpdateNodegroupVersion', () => {
  it('records a VersionUpdate with Version and ReleaseVersion', async () => {
    const h = await harness();
    await create(h);
    const { update } = await h.call('UpdateNodegroupVersion', { name: 'demo', nodegroupName: 'ng1' }, { releaseVersion: '1.32.3-20250501' });
    assert.equal(update.type, 'VersionUpdate');
    assert.deepEqual(update.params, [{ type: 'Version', value: '1.32' }, { type: 'ReleaseVersion', value: '1.32.3-20250501' }]);
    await h.part.service.idle();
    const d = await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.equal(d.nodegroup.releaseVersion, '1.32.3-20250501');
    assert.equal(h.updates.updates.get(update.id)?.status, 'Successful');
    await h.fails('UpdateNodegroupVersion', { name: 'demo', nodegroupName: 'ng1' }, { version: '1.33' }, 'InvalidParameterException', /1\.33/);
  });
});

describe('DeleteNodegroup', () => {
  it('DELETING, the ASG and its instances go, then the node group is gone', async () => {
    const h = await harness();
    const { nodegroup } = await create(h, { scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 } });
    const terminated: string[] = [];
    h.asg.listener = { launched: async () => undefined, terminating: async (i) => { terminated.push(i.instanceId); } };
    const del = await h.call('DeleteNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    assert.equal(del.nodegroup.status, 'DELETING');
    await h.part.service.idle();
    assert.equal(terminated.length, 2);
    assert.equal(h.asg.groups.has(nodegroup.resources.autoScalingGroups[0].name), false);
    await h.fails('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' }, undefined, 'ResourceNotFoundException', 'No node group found for name: ng1.', 404);
    assert.deepEqual(h.part.nodegroupNames(FAKE_ACCOUNT, FAKE_REGION, 'demo'), []);
    await h.fails('DeleteNodegroup', { name: 'demo', nodegroupName: 'ng1' }, undefined, 'ResourceNotFoundException', 'No node group found for name: ng1.', 404);
  });

  it('a deletion interrupted by a restart is resumed when the part opens again', async () => {
    const store = new MemoryStore();
    const asg = new FakeAsg();
    const h = await harness({ store, asg, delays: { deleteMs: 10_000 } });
    await create(h);
    await h.call('DeleteNodegroup', { name: 'demo', nodegroupName: 'ng1' });
    // A new part on the same state (the old one's timer never fires): it resumes and finishes the delete.
    const h2 = await harness({ store, asg, clusters: h.clusters });
    assert.equal((await h2.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' })).nodegroup.status, 'DELETING');
    await new Promise((r) => setImmediate(r));
    h2.clock.step(h.clock.now() - h2.clock.now() + 10_000);
    await h2.part.service.idle();
    await h2.fails('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' }, undefined, 'ResourceNotFoundException', 'No node group found for name: ng1.', 404);
  });
});

describe('tags', () => {
  it('the taggable reads and replaces a node group\'s tags by ARN', async () => {
    const h = await harness();
    const { nodegroup } = await create(h, { tags: { a: '1' } });
    assert.equal(h.part.taggable.resourceType, 'nodegroup');
    assert.deepEqual(h.part.taggable.tags(nodegroup.nodegroupArn), { a: '1' });
    await h.part.taggable.setTags(nodegroup.nodegroupArn, { b: '2' });
    assert.deepEqual((await h.call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' })).nodegroup.tags, { b: '2' });
    assert.equal(h.part.taggable.tags(`${nodegroup.nodegroupArn}x`), undefined);
  });
});
