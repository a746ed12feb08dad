/**
 * Managed node groups end to end inside one process: the node group part creates an Auto Scaling
 * group (a fake one that launches fake EC2 instances), each instance registers a Node in a real
 * in-process keks through the NodeRegistrar (labels, providerID, allocatable pods = 17 for
 * t3.medium), UpdateNodegroupConfig relabels and retaints existing Nodes, and scale-in cordons,
 * drains (honouring a PodDisruptionBudget, bounded) and deletes Nodes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { realClock } from '../../src/util/clock.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import type { AwsRequestContext, RestJsonRoute } from '../../src/aws/core/types.js';
import { FAKE_ACCOUNT, FAKE_REGION, FakeAsg, FakeClusters, FakeUpdateLog, fakeCluster } from '../../src/aws/services/eks/nodegroup-fakes.js';
import { nodegroupRoutes, type NodegroupPart } from '../../src/aws/services/eks/nodegroup-routes.js';
import { knownNodeInstanceType, NodeRegistrar } from '../../src/cluster/node-registrar.js';
import { eventually } from '../helpers/api.js';

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const PDBS: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true };
const ctx: AwsRequestContext = {
  requestId: 'r', region: FAKE_REGION, accessKeyId: 'test', service: 'eks', operation: 'x',
  caller: { accountId: FAKE_ACCOUNT, arn: `arn:aws:iam::${FAKE_ACCOUNT}:root`, userId: FAKE_ACCOUNT, type: 'root' },
};

let k: TestKeks;
let client: ApiClient;
let part: NodegroupPart;
let asg: FakeAsg;

async function call(op: string, params: Record<string, string>, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = part.routes.find((x) => x.operation === op) as RestJsonRoute;
  return (await r.handler({ params, body, query: new URLSearchParams() }, { ...ctx, operation: op })) as Record<string, any>;
}

const ngNodes = async (ng: string): Promise<KubeObject[]> => (await client.list(NODES, '', { labelSelector: `eks.amazonaws.com/nodegroup=${ng}` })).items;

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 0 });
  client = k.cluster.client;
  const clusters = new FakeClusters();
  clusters.clusters.set('demo', fakeCluster('demo'));
  clusters.planes.set('demo', { name: 'demo', endpoint: k.endpoint, port: 0, caPem: k.caPem, client, setPublicAccessCidrs: () => undefined });
  asg = new FakeAsg();
  part = await nodegroupRoutes({
    clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: FAKE_ACCOUNT, defaultRegion: FAKE_REGION,
    clusters, updates: new FakeUpdateLog(), asg, ec2: asg.ec2, knownInstanceType: knownNodeInstanceType,
  });
  asg.listener = new NodeRegistrar({
    clock: realClock, clientFor: (c) => clusters.controlPlane(c)?.client, nodegroupFor: (i) => part.nodegroupForInstance(i),
    drainTimeoutMs: 4_000, evictionRetryMs: 250,
  });
});
after(async () => { await k?.stop(); });

test('CreateNodegroup → one Node per instance, as the kubelet on the EKS AMI registers it', async () => {
  const { nodegroup } = await call('CreateNodegroup', { name: 'demo' }, {
    nodegroupName: 'ng1', nodeRole: `arn:aws:iam::${FAKE_ACCOUNT}:role/node`, subnets: ['subnet-priva', 'subnet-privb', 'subnet-privc'],
    scalingConfig: { minSize: 1, maxSize: 6, desiredSize: 3 }, labels: { team: 'blue' }, taints: [{ key: 'dedicated', value: 'blue', effect: 'PREFER_NO_SCHEDULE' }],
  });
  const nodes = await eventually(async () => { const n = await ngNodes('ng1'); return n.length === 3 ? n : undefined; }, '3 nodes');
  const instances = [...asg.ec2.instances.values()];
  for (const n of nodes) {
    const inst = instances.find((i) => i.privateDnsName === n.metadata.name);
    assert.ok(inst, `an instance named ${n.metadata.name}`);
    const l = n.metadata.labels ?? {};
    assert.equal((n.spec as { providerID: string }).providerID, `aws:///${inst.availabilityZone}/${inst.instanceId}`);
    assert.equal(l['node.kubernetes.io/instance-type'], 't3.medium');
    assert.equal(l['eks.amazonaws.com/nodegroup'], 'ng1');
    assert.equal(l['eks.amazonaws.com/capacityType'], 'ON_DEMAND');
    assert.equal(l['eks.amazonaws.com/nodegroup-image'], inst.imageId);
    assert.match(l['eks.amazonaws.com/sourceLaunchTemplateId'], /^lt-0[0-9a-f]{16}$/);
    assert.equal(l['topology.kubernetes.io/zone'], inst.availabilityZone);
    assert.equal(l['topology.kubernetes.io/region'], FAKE_REGION);
    assert.equal(l['kubernetes.io/hostname'], inst.privateDnsName);
    assert.equal(l.team, 'blue');
    assert.deepEqual((n.spec as { taints: unknown[] }).taints, [{ key: 'dedicated', value: 'blue', effect: 'PreferNoSchedule' }]);
    const st = n.status as { allocatable: Record<string, string>; addresses: Array<{ type: string; address: string }>; nodeInfo: { kubeletVersion: string } };
    assert.equal(st.allocatable.pods, '17');
    assert.deepEqual(st.addresses, [{ type: 'InternalIP', address: inst.privateIpAddress }, { type: 'InternalDNS', address: inst.privateDnsName }, { type: 'Hostname', address: inst.privateDnsName }]);
    assert.equal(st.nodeInfo.kubeletVersion, 'v1.32.3-eks-473151a');
  }
  // The simulated kubelets adopt them: Ready with leases.
  await eventually(async () => (await ngNodes('ng1')).every((n) => (n.status as { conditions: Array<{ type: string; status: string }> }).conditions.some((c) => c.type === 'Ready' && c.status === 'True')), 'Ready');
  assert.equal(nodegroup.status, 'CREATING');
  // EKS maps the node role in aws-auth (API_AND_CONFIG_MAP cluster), so the nodes could join.
  const cm = await client.get(CONFIGMAPS, 'kube-system', 'aws-auth');
  assert.equal((cm as unknown as { data: Record<string, string> }).data.mapRoles,
    `- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: arn:aws:iam::${FAKE_ACCOUNT}:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n`);
});

test('UpdateNodegroupConfig changes labels and taints of existing Nodes', async () => {
  await call('UpdateNodegroupConfig', { name: 'demo', nodegroupName: 'ng1' }, {
    labels: { addOrUpdateLabels: { tier: 'web' }, removeLabels: ['team'] },
    taints: { addOrUpdateTaints: [{ key: 'gpu', effect: 'NO_SCHEDULE' }], removeTaints: [{ key: 'dedicated', value: 'blue', effect: 'PREFER_NO_SCHEDULE' }] },
  });
  await part.service.idle();
  for (const n of await ngNodes('ng1')) {
    assert.equal(n.metadata.labels?.tier, 'web');
    assert.equal(n.metadata.labels?.team, undefined);
    assert.deepEqual((n.spec as { taints: unknown[] }).taints, [{ key: 'gpu', effect: 'NoSchedule' }]);
  }
  // Clear the taint again so the drain test below can schedule pods.
  await call('UpdateNodegroupConfig', { name: 'demo', nodegroupName: 'ng1' }, { taints: { removeTaints: [{ key: 'gpu', effect: 'NO_SCHEDULE' }] } });
  await part.service.idle();
  for (const n of await ngNodes('ng1')) assert.equal((n.spec as { taints?: unknown[] }).taints, undefined);
});

test('scale-in cordons and drains the Node (PDB honoured until the bounded wait ends), then deletes it', async () => {
  // One pod per node (required anti-affinity), protected by a PDB that allows no disruption.
  const labels = { app: 'drain-me' };
  for (const name of ['p1', 'p2', 'p3']) {
    await client.create(PODS, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, annotations: { 'keks.dev/stop-time': '0s' } },
      spec: {
        containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 1,
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } },
      },
    });
  }
  await eventually(async () => (await client.list(PODS, 'default', { labelSelector: 'app=drain-me' })).items.every((p) => (p.status as { phase?: string }).phase === 'Running'), 'pods running', 15_000);
  await client.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'all' }, spec: { minAvailable: 3, selector: { matchLabels: labels } } });
  await eventually(async () => ((await client.get(PDBS, 'default', 'all')).status as { currentHealthy?: number } | undefined)?.currentHealthy === 3, 'PDB status');

  const groupName = [...asg.groups.keys()][0];
  const victimId = asg.groups.get(groupName)?.instanceIds.at(-1) as string;
  const victim = asg.ec2.instances.get(victimId)?.privateDnsName as string;
  const started = Date.now();
  const scaling = asg.updateGroup(FAKE_REGION, groupName, { desiredCapacity: 2 });
  await eventually(async () => ((await client.get(NODES, '', victim)).spec as { unschedulable?: boolean }).unschedulable === true, 'cordoned');
  await scaling;
  const took = Date.now() - started;
  assert.ok(took >= 3_500, `the PDB held the drain until the bounded wait ended (took ${took} ms)`);
  await assert.rejects(client.get(NODES, '', victim), /not found/);
  assert.equal((await ngNodes('ng1')).length, 2);
  // Nothing is left bound to the deleted Node.
  const left = (await client.list(PODS, 'default', { labelSelector: 'app=drain-me' })).items.filter((p) => (p.spec as { nodeName?: string }).nodeName === victim);
  assert.deepEqual(left.map((p) => p.metadata.name), []);
  const d = await call('DescribeNodegroup', { name: 'demo', nodegroupName: 'ng1' });
  assert.equal(d.nodegroup.scalingConfig.desiredSize, 2);

  // Without the budget, eviction goes through at once.
  await client.delete(PDBS, 'default', 'all');
  const started2 = Date.now();
  await asg.updateGroup(FAKE_REGION, groupName, { desiredCapacity: 1 });
  assert.ok(Date.now() - started2 < 3_500, 'no budget: the drain does not wait out the timeout');
  assert.equal((await ngNodes('ng1')).length, 1);
});

test('UpdateNodegroupVersion: the Nodes report the new kubelet version', async () => {
  const { update } = await call('UpdateNodegroupVersion', { name: 'demo', nodegroupName: 'ng1' }, { releaseVersion: '1.32.5-20250501' });
  assert.equal(update.type, 'VersionUpdate');
  await part.service.idle();
  for (const n of await ngNodes('ng1')) assert.match((n.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion, /^v1\.32\.5-eks-[0-9a-f]{7}$/);
});

test('DeleteNodegroup removes every Node', async () => {
  await call('DeleteNodegroup', { name: 'demo', nodegroupName: 'ng1' });
  await part.service.idle();
  assert.equal((await ngNodes('ng1')).length, 0);
  // The last node group using the role is gone: so is its aws-auth entry.
  const cm = await client.get(CONFIGMAPS, 'kube-system', 'aws-auth');
  assert.equal((cm as unknown as { data: Record<string, string> }).data.mapRoles, '');
});
