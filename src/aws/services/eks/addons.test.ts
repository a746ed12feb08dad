import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, REGION, testEks } from './testing-fakes.js';
import { rejectsAws as rejects } from './test-assert.js';
import { ADDONS, describeAddonVersions } from './addon-catalog.js';
import { nthAddress } from './addon-manifests.js';
import { SUPPORTED_VERSIONS } from './versions.js';

const KS = '/api/v1/namespaces/kube-system';
const APPS = '/apis/apps/v1/namespaces/kube-system';

test('DescribeAddonVersions: every add-on has exactly one default version per supported minor; filters apply', async () => {
  for (const a of ADDONS) {
    for (const minor of SUPPORTED_VERSIONS) {
      const [info] = describeAddonVersions({ addonName: a.addonName, kubernetesVersion: minor }) as Array<{ addonVersions: Array<{ compatibilities: Array<{ clusterVersion: string; defaultVersion: boolean }> }> }>;
      const defaults = info.addonVersions.flatMap((v) => v.compatibilities.filter((c) => c.clusterVersion === minor && c.defaultVersion));
      assert.equal(defaults.length, 1, `${a.addonName} on ${minor}`);
    }
  }
  const t = await testEks();
  const all = await t.call('GET', '/addons/supported-versions');
  assert.deepEqual(all.addons.map((a: { addonName: string }) => a.addonName).sort(), ['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'metrics-server', 'vpc-cni']);
  const kp = await t.call('GET', '/addons/supported-versions?addonName=kube-proxy&kubernetesVersion=1.32');
  assert.equal(kp.addons.length, 1);
  assert.deepEqual(kp.addons[0].addonVersions.map((v: { addonVersion: string }) => v.addonVersion), ['v1.32.0-eksbuild.2']);
  assert.deepEqual(kp.addons[0].addonVersions[0].compatibilities, [{ clusterVersion: '1.32', platformVersions: ['*'], defaultVersion: true }]);
  assert.equal(kp.addons[0].owner, 'aws');
  const storage = await t.call('GET', '/addons/supported-versions?types=storage');
  assert.deepEqual(storage.addons.map((a: { addonName: string }) => a.addonName), ['aws-ebs-csi-driver']);
});

test('nthAddress gives the kube-dns address of a service CIDR', () => {
  assert.equal(nthAddress('10.100.0.0/16', 10), '10.100.0.10');
  assert.equal(nthAddress('172.20.0.0/16', 10), '172.20.0.10');
  assert.equal(nthAddress('10.200.5.7/24', 10), '10.200.5.10');
});

test('CreateAddon coredns puts Deployment, Service kube-dns (.10) and ConfigMap into kube-system; ACTIVE by the next Describe', async () => {
  const t = await testEks();
  await t.createCluster('dns');
  const { addon } = await t.call('POST', '/clusters/dns/addons', { addonName: 'coredns' });
  assert.equal(addon.status, 'CREATING');
  assert.equal(addon.addonVersion, 'v1.11.4-eksbuild.2');
  assert.match(addon.addonArn, new RegExp(`^arn:aws:eks:${REGION}:${ACCOUNT}:addon/dns/coredns/[0-9a-f-]{36}$`));
  assert.deepEqual(addon.health, { issues: [] });
  const objs = t.cps.get('dns')!.objects;
  const dep = objs.get(`${APPS}/deployments/coredns`) as any;
  assert.equal(dep.spec.replicas, 2);
  assert.equal(dep.metadata.labels['k8s-app'], 'kube-dns');
  assert.equal(dep.metadata.labels['app.kubernetes.io/managed-by'], 'EKS');
  assert.deepEqual(dep.spec.selector.matchLabels, { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' });
  assert.match(dep.spec.template.spec.containers[0].image, /\/eks\/coredns:v1\.11\.4-eksbuild\.2$/);
  const svc = objs.get(`${KS}/services/kube-dns`) as any;
  assert.equal(svc.spec.clusterIP, '10.100.0.10');
  assert.ok(objs.get(`${KS}/configmaps/coredns`));
  assert.equal((await t.call('GET', '/clusters/dns/addons/coredns')).addon.status, 'ACTIVE');
  assert.deepEqual((await t.call('GET', '/clusters/dns/addons')).addons, ['coredns']);
});

test('CreateAddon vpc-cni / kube-proxy / aws-ebs-csi-driver objects; configurationValues and role annotation', async () => {
  const t = await testEks();
  await t.createCluster('all');
  const role = `arn:aws:iam::${ACCOUNT}:role/vpc-cni`;
  await t.call('POST', '/clusters/all/addons', { addonName: 'vpc-cni', serviceAccountRoleArn: role, configurationValues: '{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}' });
  await t.call('POST', '/clusters/all/addons', { addonName: 'kube-proxy' });
  await t.call('POST', '/clusters/all/addons', { addonName: 'aws-ebs-csi-driver' });
  const o = t.cps.get('all')!.objects;
  const ds = o.get(`${APPS}/daemonsets/aws-node`) as any;
  assert.deepEqual(ds.spec.selector.matchLabels, { 'k8s-app': 'aws-node' });
  const env = Object.fromEntries(ds.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
  assert.equal(env.ENABLE_PREFIX_DELEGATION, 'true');
  assert.equal(env.CLUSTER_NAME, 'all');
  assert.equal((o.get(`${KS}/serviceaccounts/aws-node`) as any).metadata.annotations['eks.amazonaws.com/role-arn'], role);
  assert.ok(o.get(`${KS}/configmaps/amazon-vpc-cni`));
  assert.ok(o.get(`${APPS}/daemonsets/kube-proxy`));
  assert.ok(o.get(`${KS}/configmaps/kube-proxy-config`));
  assert.ok(o.get(`${APPS}/deployments/ebs-csi-controller`));
  assert.ok(o.get(`${APPS}/daemonsets/ebs-csi-node`));
  assert.equal((o.get('/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com') as any).spec.attachRequired, true);
  assert.deepEqual((await t.call('GET', '/clusters/all/addons')).addons, ['aws-ebs-csi-driver', 'kube-proxy', 'vpc-cni']);
});

test('CreateAddon errors: unknown add-on, bad version, duplicate, bad configuration, unknown cluster', async () => {
  const t = await testEks();
  await t.createCluster('err', { version: '1.30' });
  await rejects(() => t.call('POST', '/clusters/err/addons', { addonName: 'nope' }), 'InvalidParameterException', 'Addon specified is not supported');
  const f = await rejects(() => t.call('POST', '/clusters/err/addons', { addonName: 'kube-proxy', addonVersion: 'v1.32.0-eksbuild.2' }), 'InvalidParameterException', 'Addon version specified is not supported');
  assert.deepEqual(f, { clusterName: 'err', addonName: 'kube-proxy' });
  await t.call('POST', '/clusters/err/addons', { addonName: 'kube-proxy' });
  await rejects(() => t.call('POST', '/clusters/err/addons', { addonName: 'kube-proxy' }), 'ResourceInUseException', 'Addon already exists.', 409);
  await rejects(() => t.call('POST', '/clusters/err/addons', { addonName: 'coredns', configurationValues: '[1,2' }), 'InvalidParameterException', /ConfigurationValue provided in request is not supported/);
  await rejects(() => t.call('GET', '/clusters/err/addons/coredns'), 'ResourceNotFoundException', 'No addon: coredns found in cluster: err', 404);
  await rejects(() => t.call('POST', '/clusters/zzz/addons', { addonName: 'coredns' }), 'ResourceNotFoundException', 'No cluster found for name: zzz.');
});

test('resolveConflicts NONE on a foreign object fails the add-on with a ConfigurationConflict issue', async () => {
  const t = await testEks();
  await t.createCluster('conf');
  await t.cps.get('conf')!.client.create({ group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true }, 'kube-system', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } });
  const { addon } = await t.call('POST', '/clusters/conf/addons', { addonName: 'coredns', resolveConflicts: 'NONE' });
  assert.equal(addon.status, 'CREATING');
  const { addon: d } = await t.call('GET', '/clusters/conf/addons/coredns');
  assert.equal(d.status, 'CREATE_FAILED');
  assert.equal(d.health.issues[0].code, 'ConfigurationConflict');
  // OVERWRITE takes the object over.
  const t2 = await testEks();
  await t2.createCluster('conf');
  await t2.cps.get('conf')!.client.create({ group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true }, 'kube-system', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } });
  await t2.call('POST', '/clusters/conf/addons', { addonName: 'coredns', resolveConflicts: 'OVERWRITE' });
  assert.equal((await t2.call('GET', '/clusters/conf/addons/coredns')).addon.status, 'ACTIVE');
  assert.equal((t2.cps.get('conf')!.objects.get(`${KS}/serviceaccounts/coredns`) as any).metadata.labels['app.kubernetes.io/managed-by'], 'EKS');
});

test('UpdateAddon records an AddonUpdate (DescribeUpdate with ?addonName=) and re-applies the objects', async () => {
  const t = await testEks();
  await t.createCluster('upa');
  await t.call('POST', '/clusters/upa/addons', { addonName: 'coredns' });
  await t.call('GET', '/clusters/upa/addons/coredns');
  const { update } = await t.call('POST', '/clusters/upa/addons/coredns/update', { addonVersion: 'v1.11.3-eksbuild.1', configurationValues: 'replicaCount: 3' });
  assert.equal(update.type, 'AddonUpdate');
  assert.equal(update.status, 'InProgress');
  assert.deepEqual(update.params, [{ type: 'AddonVersion', value: 'v1.11.3-eksbuild.1' }, { type: 'ConfigurationValues', value: 'replicaCount: 3' }]);
  const dep = t.cps.get('upa')!.objects.get(`${APPS}/deployments/coredns`) as any;
  assert.equal(dep.spec.replicas, 3);
  assert.match(dep.spec.template.spec.containers[0].image, /v1\.11\.3-eksbuild\.1$/);
  const { addon } = await t.call('GET', '/clusters/upa/addons/coredns');
  assert.equal(addon.status, 'ACTIVE');
  assert.equal(addon.addonVersion, 'v1.11.3-eksbuild.1');
  assert.deepEqual((await t.call('GET', '/clusters/upa/updates?addonName=coredns')).updateIds, [update.id]);
  assert.equal((await t.call('GET', `/clusters/upa/updates/${update.id}?addonName=coredns`)).update.status, 'Successful');
  assert.deepEqual((await t.call('GET', '/clusters/upa/updates')).updateIds, []);
});

test('DeleteAddon removes the objects; ?preserve=true keeps them', async () => {
  const t = await testEks();
  await t.createCluster('del');
  await t.call('POST', '/clusters/del/addons', { addonName: 'coredns' });
  await t.call('POST', '/clusters/del/addons', { addonName: 'kube-proxy' });
  const { addon } = await t.call('DELETE', '/clusters/del/addons/coredns');
  assert.equal(addon.status, 'DELETING');
  const o = t.cps.get('del')!.objects;
  assert.equal(o.get(`${APPS}/deployments/coredns`), undefined);
  assert.equal(o.get(`${KS}/services/kube-dns`), undefined);
  await rejects(() => t.call('GET', '/clusters/del/addons/coredns'), 'ResourceNotFoundException');
  await t.call('DELETE', '/clusters/del/addons/kube-proxy?preserve=true');
  assert.ok(o.get(`${APPS}/daemonsets/kube-proxy`));
  assert.deepEqual((await t.call('GET', '/clusters/del/addons')).addons, []);
});

test('realistic timing: add-on CREATING until the scaled delay passes', async () => {
  const t = await testEks({ scale: 0.01 });
  await t.createCluster('slowa');
  await new Promise((r) => setImmediate(r));
  t.clock.step(6000);
  await t.call('POST', '/clusters/slowa/addons', { addonName: 'kube-proxy' });
  assert.equal((await t.call('GET', '/clusters/slowa/addons/kube-proxy')).addon.status, 'CREATING');
  t.clock.step(700);
  assert.equal((await t.call('GET', '/clusters/slowa/addons/kube-proxy')).addon.status, 'ACTIVE');
  t.eks.close();
});
