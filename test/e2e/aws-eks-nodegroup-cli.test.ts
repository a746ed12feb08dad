/**
 * Managed node groups through the real aws CLI and kubectl: an AwsEndpoint serving EKS (cluster
 * part + node groups + Fargate profiles), EC2 and Auto Scaling, with the NodeRegistrar bridging
 * instances to Nodes of a real in-process keks cluster (the control plane every CreateCluster
 * gets here). Covers: create-nodegroup → wait nodegroup-active (first poll) → `kubectl get node
 * -L …` shows 3 nodes matching describe-instances; `aws autoscaling set-desired-capacity` adds and
 * removes Nodes and shows in describe-nodegroup; update-nodegroup-config labels the Nodes;
 * Fargate profile CRUD; delete-nodegroup → wait nodegroup-deleted → no Nodes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import type { ControlPlaneHandle, ControlPlanes, ControlPlaneSpec } from '../../src/aws/core/backends.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { realClock } from '../../src/util/clock.js';
import { createEks, type Eks } from '../../src/aws/services/eks/service.js';
import { createEc2 } from '../../src/aws/services/ec2/ec2.js';
import { createAutoScaling } from '../../src/aws/services/autoscaling/autoscaling.js';
import { nodegroupRoutes, type NodegroupPart } from '../../src/aws/services/eks/nodegroup-routes.js';
import { fargateRoutes } from '../../src/aws/services/eks/fargate-profiles.js';
import { ACCOUNT, FakeIam, REGION, ROLE_ARN } from '../../src/aws/services/eks/testing-fakes.js';
import { knownNodeInstanceType, NodeRegistrar } from '../../src/cluster/node-registrar.js';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { awsCliSkip, runAws, type AwsRunResult } from '../helpers/aws.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';
import { eventually } from '../helpers/api.js';

const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node-role`;

describe('EKS managed node groups through the aws CLI and kubectl', { skip: awsCliSkip || kubectlSkip }, () => {
  let tk: TestKeks;
  let ep: AwsEndpoint;
  let eks: Eks;
  let kubectl: Kubectl;
  let subnets: string[] = [];
  const cli = (args: string[]): Promise<AwsRunResult> => runAws(args, { endpoint: ep.url, region: REGION, timeoutMs: 90_000 });
  const ok = async (...args: string[]): Promise<Record<string, any>> => {
    const r = await cli(args);
    assert.equal(r.code, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return (r.json ?? {}) as Record<string, any>;
  };
  const nodeRows = async (): Promise<string[][]> => tableRows(await kubectl.ok(['get', 'node', '-l', 'eks.amazonaws.com/nodegroup=ng1', '-L', 'node.kubernetes.io/instance-type,eks.amazonaws.com/capacityType,topology.kubernetes.io/zone'])).slice(1);
  const nodeCount = async (n: number, what: string): Promise<string[][]> => eventually(async () => { const r = await nodeRows(); return r.length === n ? r : undefined; }, what, 30_000, 200);

  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 0 });
    kubectl = new Kubectl(tk.kubeconfig);
    // Every CreateCluster gets the in-process keks cluster as its control plane (one cluster in this test).
    const handle: ControlPlaneHandle = { name: 'demo', endpoint: tk.endpoint, port: tk.cluster.port, caPem: tk.caPem, client: tk.cluster.client, setPublicAccessCidrs: () => undefined };
    const planes = new Map<string, ControlPlaneHandle>();
    const controlPlanes: ControlPlanes = {
      async create(spec: ControlPlaneSpec) { const h = { ...handle, name: spec.name }; planes.set(spec.name, h); return h; },
      get: (name) => planes.get(name),
      async delete(name) { planes.delete(name); },
    };
    const deps = { clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: ACCOUNT, defaultRegion: REGION };
    const ec2 = await createEc2(deps);
    // The registrar and the Auto Scaling part need each other's products: resolve lazily.
    const late: { ng?: NodegroupPart } = {};
    const registrar = new NodeRegistrar({
      clock: realClock, clientFor: (c) => eks?.clusters.controlPlane(c)?.client, nodegroupFor: (i) => late.ng?.nodegroupForInstance(i),
      drainTimeoutMs: 10_000,
    });
    const asg = await createAutoScaling({ ...deps, ec2: ec2.backend, lifecycle: registrar });
    eks = await createEks({ ...deps, controlPlanes, ec2: ec2.backend, iam: new FakeIam() });
    const ng = await nodegroupRoutes({ ...deps, clusters: eks.clusters, updates: eks.updates, asg: asg.backend, ec2: ec2.backend, knownInstanceType: knownNodeInstanceType });
    late.ng = ng;
    const fg = await fargateRoutes({ ...deps, clusters: eks.clusters, ec2: ec2.backend });
    eks.attach({
      routes: [...ng.routes, ...fg.routes],
      dependents: { nodegroupNames: ng.nodegroupNames, deleteFargateProfiles: fg.deleteFargateProfiles },
      taggables: [ng.taggable, fg.taggable],
    });
    ep = new AwsEndpoint({ services: [eks.service, ec2.service, asg.service], credentials: staticCredentials([rootAccessKey({ accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' })]), port: 0 });
    await ep.start();
    const vpc = ec2.backend.defaultVpc(REGION, ACCOUNT);
    subnets = ec2.backend.subnetsOf(REGION, vpc.vpcId).filter((s) => !s.mapPublicIpOnLaunch).map((s) => s.subnetId);
    assert.ok(subnets.length >= 2, 'the default VPC has private subnets');
    await ok('eks', 'create-cluster', '--name', 'demo', '--role-arn', ROLE_ARN, '--resources-vpc-config', `subnetIds=${subnets.join(',')}`);
    await ok('eks', 'wait', 'cluster-active', '--name', 'demo');
  });
  after(async () => {
    eks?.close();
    await ep?.stop();
    kubectl?.dispose();
    await tk?.stop();
  });

  it('create-nodegroup → wait nodegroup-active → 3 Nodes as EC2 instances with matching names and zones', async () => {
    const created = await ok('eks', 'create-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'ng1', '--instance-types', 't3.medium',
      '--scaling-config', 'minSize=2,maxSize=6,desiredSize=3', '--subnets', ...subnets, '--node-role', NODE_ROLE);
    assert.equal(created.nodegroup.status, 'CREATING');
    const t0 = Date.now();
    await ok('eks', 'wait', 'nodegroup-active', '--cluster-name', 'demo', '--nodegroup-name', 'ng1');
    assert.ok(Date.now() - t0 < 25_000, 'the waiter returned on its first poll');
    const rows = await nodeCount(3, '3 nodes');
    const inst = await ok('ec2', 'describe-instances', '--filters', 'Name=tag:eks:cluster-name,Values=demo', 'Name=instance-state-name,Values=running');
    const instances = (inst.Reservations as Array<{ Instances: Array<Record<string, any>> }>).flatMap((r) => r.Instances);
    assert.equal(instances.length, 3);
    for (const row of rows) {
      // NAME STATUS ROLES AGE VERSION INSTANCE-TYPE CAPACITYTYPE ZONE
      assert.equal(row[1], 'Ready');
      assert.deepEqual(row.slice(5), ['t3.medium', 'ON_DEMAND', row[7]]);
      const i = instances.find((x) => x.PrivateDnsName === row[0]);
      assert.ok(i, `instance for node ${row[0]}`);
      assert.equal(i.Placement.AvailabilityZone, row[7]);
      assert.equal((i.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'eks:nodegroup-name')?.Value, 'ng1');
    }
    const pods = await kubectl.ok(['get', 'node', rows[0][0], '-o', 'jsonpath={.status.allocatable.pods} {.spec.providerID}']);
    assert.match(pods, /^17 aws:\/\/\/ap-northeast-2[a-d]\/i-[0-9a-f]{17}$/);
    // A CONFIG_MAP cluster: EKS mapped the node role in aws-auth.
    const mapRoles = await kubectl.ok(['-n', 'kube-system', 'get', 'cm', 'aws-auth', '-o', 'jsonpath={.data.mapRoles}']);
    assert.match(mapRoles, new RegExp(`rolearn: ${NODE_ROLE}\n  username: system:node:\{\{EC2PrivateDNSName\}\}`));
  });

  it('aws autoscaling set-desired-capacity adds and removes Nodes; describe-nodegroup follows the ASG', async () => {
    const { nodegroup } = await ok('eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'ng1');
    const asgName = nodegroup.resources.autoScalingGroups[0].name as string;
    const groups = await ok('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', asgName);
    const tags = Object.fromEntries((groups.AutoScalingGroups[0].Tags as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
    assert.equal(tags['k8s.io/cluster-autoscaler/enabled'], 'true');
    assert.equal(tags['k8s.io/cluster-autoscaler/demo'], 'owned');
    await ok('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', asgName, '--desired-capacity', '5');
    await nodeCount(5, '5 nodes after scale-out');
    assert.equal((await ok('eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'ng1')).nodegroup.scalingConfig.desiredSize, 5);
    await ok('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', asgName, '--desired-capacity', '2');
    await nodeCount(2, '2 nodes after scale-in');
    const update = await ok('eks', 'update-nodegroup-config', '--cluster-name', 'demo', '--nodegroup-name', 'ng1', '--scaling-config', 'desiredSize=3');
    assert.deepEqual(update.update.params, [{ type: 'DesiredSize', value: '3' }]);
    await nodeCount(3, '3 nodes after update-nodegroup-config');
  });

  it('update-nodegroup-config labels reach the Nodes; the Update is visible through describe-update', async () => {
    const r = await ok('eks', 'update-nodegroup-config', '--cluster-name', 'demo', '--nodegroup-name', 'ng1', '--labels', 'addOrUpdateLabels={tier=web}');
    assert.equal(r.update.type, 'ConfigUpdate');
    await eventually(async () => tableRows(await kubectl.ok(['get', 'node', '-l', 'tier=web'])).length === 4, 'labelled nodes', 30_000, 200);
    const d = await eventually(async () => {
      const u = await ok('eks', 'describe-update', '--name', 'demo', '--nodegroup-name', 'ng1', '--update-id', r.update.id);
      return u.update.status === 'Successful' ? u : undefined;
    }, 'update Successful', 30_000, 500);
    assert.deepEqual(d.update.params, [{ type: 'LabelsToAdd', value: '{"tier":"web"}' }]);
  });

  it('fargate profiles: create → describe ACTIVE → list → delete', async () => {
    const c = await ok('eks', 'create-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'fp1', '--pod-execution-role-arn', NODE_ROLE,
      '--selectors', 'namespace=serverless,labels={app=web}');
    assert.equal(c.fargateProfile.status, 'CREATING');
    assert.equal((await ok('eks', 'describe-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'fp1')).fargateProfile.status, 'ACTIVE');
    assert.deepEqual((await ok('eks', 'list-fargate-profiles', '--cluster-name', 'demo')).fargateProfileNames, ['fp1']);
    const dup = await cli(['eks', 'create-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'fp1', '--pod-execution-role-arn', NODE_ROLE, '--selectors', 'namespace=x']);
    assert.match(dup.stderr, /ResourceInUseException.*A Fargate Profile already exists with this name in this cluster\./);
    await ok('eks', 'delete-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'fp1');
    await ok('eks', 'wait', 'fargate-profile-deleted', '--cluster-name', 'demo', '--fargate-profile-name', 'fp1');
  });

  it('delete-cluster is refused while the node group exists; delete-nodegroup → wait nodegroup-deleted → no Nodes', async () => {
    const refused = await cli(['eks', 'delete-cluster', '--name', 'demo']);
    assert.match(refused.stderr, /ResourceInUseException.*Cluster has nodegroups attached/);
    const d = await ok('eks', 'delete-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'ng1');
    assert.equal(d.nodegroup.status, 'DELETING');
    await ok('eks', 'wait', 'nodegroup-deleted', '--cluster-name', 'demo', '--nodegroup-name', 'ng1');
    assert.equal((await nodeRows()).length, 0);
    const missing = await cli(['eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'ng1']);
    assert.match(missing.stderr, /ResourceNotFoundException.*No node group found for name: ng1\./);
  });
});
