import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, REGION, testEks } from './testing-fakes.js';
import { rejectsAws as rejects } from './test-assert.js';

test('EndpointAccessUpdate: InProgress update with EKS params, cluster UPDATING, then Successful and applied to the listener', async () => {
  const t = await testEks();
  await t.createCluster('ep');
  const { update } = await t.call('POST', '/clusters/ep/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } });
  assert.equal(update.status, 'InProgress');
  assert.equal(update.type, 'EndpointAccessUpdate');
  assert.deepEqual(update.params, [{ type: 'EndpointPrivateAccess', value: 'true' }, { type: 'PublicAccessCidrs', value: '["203.0.113.0/24"]' }]);
  assert.deepEqual(update.errors, []);
  assert.match(update.id, /^[0-9a-f-]{36}$/);
  // Default timing: complete by the next read.
  const { update: u2 } = await t.call('GET', `/clusters/ep/updates/${update.id}`);
  assert.equal(u2.status, 'Successful');
  const { cluster } = await t.call('GET', '/clusters/ep');
  assert.equal(cluster.status, 'ACTIVE');
  assert.equal(cluster.resourcesVpcConfig.endpointPrivateAccess, true);
  assert.deepEqual(cluster.resourcesVpcConfig.publicAccessCidrs, ['203.0.113.0/24']);
  assert.deepEqual(t.cps.get('ep')?.cidrs, ['203.0.113.0/24']);
  // Public access off → nothing from outside.
  await t.call('POST', '/clusters/ep/update-config', { resourcesVpcConfig: { endpointPublicAccess: false } });
  await t.call('GET', '/clusters/ep');
  assert.deepEqual(t.cps.get('ep')?.cidrs, []);
  assert.deepEqual((await t.call('GET', '/clusters/ep/updates')).updateIds.length, 2);
});

test('the no-op endpoint update and two kinds in one call are InvalidParameterException with EKS wording', async () => {
  const t = await testEks();
  await t.createCluster('noop');
  await rejects(() => t.call('POST', '/clusters/noop/update-config', { resourcesVpcConfig: { endpointPublicAccess: true } }), 'InvalidParameterException',
    'Cluster is already at the desired configuration with endpointPrivateAccess: false , endpointPublicAccess: true, and Public Endpoint Restrictions: [0.0.0.0/0]');
  await rejects(() => t.call('POST', '/clusters/noop/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true }, logging: { clusterLogging: [{ types: ['api'], enabled: true }] } }),
    'InvalidParameterException', 'Only one type of update can be allowed.');
  await rejects(() => t.call('POST', '/clusters/noop/update-config', { resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: false } }), 'InvalidParameterException', /at least one/);
  await rejects(() => t.call('POST', '/clusters/noop/update-config', { upgradePolicy: { supportType: 'EXTENDED' } }), 'InvalidParameterException', /does not support updating upgradePolicy/);
  await rejects(() => t.call('POST', '/clusters/none/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true } }), 'ResourceNotFoundException', 'No cluster found for name: none.');
  assert.deepEqual((await t.call('GET', '/clusters/noop/updates')).updateIds, []);
});

test('LoggingUpdate records the normalised logging JSON', async () => {
  const t = await testEks();
  await t.createCluster('logs');
  const { update } = await t.call('POST', '/clusters/logs/update-config', { logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] } });
  assert.equal(update.type, 'LoggingUpdate');
  const want = { clusterLogging: [{ types: ['api', 'audit'], enabled: true }, { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false }] };
  assert.deepEqual(update.params, [{ type: 'ClusterLogging', value: JSON.stringify(want) }]);
  assert.deepEqual((await t.call('GET', '/clusters/logs')).cluster.logging, want);
  await rejects(() => t.call('POST', '/clusters/logs/update-config', { logging: { clusterLogging: [{ types: ['bogus'], enabled: true }] } }), 'InvalidParameterException', /bogus is not a valid log type/);
});

test('AccessConfigUpdate: CONFIG_MAP → API is blocked; via API_AND_CONFIG_MAP then API; never back', async () => {
  const t = await testEks();
  await t.createCluster('modes');
  const up = (mode: string) => t.call('POST', '/clusters/modes/update-config', { accessConfig: { authenticationMode: mode } });
  await rejects(() => up('API'), 'InvalidParameterException', 'Unsupported authentication mode update from CONFIG_MAP to API');
  const { update } = await up('API_AND_CONFIG_MAP');
  assert.deepEqual(update.params, [{ type: 'AuthenticationMode', value: 'API_AND_CONFIG_MAP' }]);
  assert.equal((await t.call('GET', '/clusters/modes')).cluster.accessConfig.authenticationMode, 'API_AND_CONFIG_MAP');
  await rejects(() => up('CONFIG_MAP'), 'InvalidParameterException', /API_AND_CONFIG_MAP to CONFIG_MAP/);
  await up('API');
  assert.equal(t.eks.identity.authenticationMode('modes'), 'API');
  await rejects(() => up('API_AND_CONFIG_MAP'), 'InvalidParameterException', /from API to API_AND_CONFIG_MAP/);
});

test('UpdateClusterVersion allows +1 minor only', async () => {
  const t = await testEks();
  await t.createCluster('ver', { version: '1.30' });
  await rejects(() => t.call('POST', '/clusters/ver/updates', { version: '1.32' }), 'InvalidParameterException', 'Unsupported Kubernetes minor version update from 1.30 to 1.32');
  await rejects(() => t.call('POST', '/clusters/ver/updates', { version: '1.30' }), 'InvalidParameterException', 'Unsupported Kubernetes minor version update from 1.30 to 1.30');
  await rejects(() => t.call('POST', '/clusters/ver/updates', { version: '1.29' }), 'InvalidParameterException', /from 1.30 to 1.29/);
  const { update } = await t.call('POST', '/clusters/ver/updates', { version: '1.31' });
  assert.equal(update.type, 'VersionUpdate');
  assert.equal(update.params[0].type, 'Version');
  assert.equal(update.params[0].value, '1.31');
  assert.equal(update.params[1].type, 'PlatformVersion');
  const { cluster } = await t.call('GET', '/clusters/ver');
  assert.equal(cluster.version, '1.31');
  assert.equal(cluster.platformVersion, update.params[1].value);
});

test('realistic timing: UPDATING meanwhile, a second update is ResourceInUseException, delete refused, then Successful', async () => {
  const t = await testEks({ scale: 0.001 });
  await t.createCluster('slow');
  await new Promise((r) => setImmediate(r));
  t.clock.step(600);
  const { update } = await t.call('POST', '/clusters/slow/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true } });
  assert.equal((await t.call('GET', '/clusters/slow')).cluster.status, 'UPDATING');
  assert.equal((await t.call('GET', '/clusters/slow')).cluster.resourcesVpcConfig.endpointPrivateAccess, false, 'applied only when the update completes');
  await rejects(() => t.call('POST', '/clusters/slow/update-config', { logging: { clusterLogging: [{ types: ['api'], enabled: true }] } }),
    'ResourceInUseException', `Cannot LoggingUpdate because cluster slow currently has update ${update.id} in progress`, 409);
  await rejects(() => t.call('DELETE', '/clusters/slow'), 'ResourceInUseException', 'Cannot delete because cluster slow currently has an update in progress');
  assert.equal(t.eks.clusters.find(ACCOUNT, REGION, 'slow')?.status, 'UPDATING');
  t.clock.step(6 * 60);
  await new Promise((r) => setImmediate(r));
  assert.equal((await t.call('GET', `/clusters/slow/updates/${update.id}`)).update.status, 'Successful');
  const { cluster } = await t.call('GET', '/clusters/slow');
  assert.equal(cluster.status, 'ACTIVE');
  assert.equal(cluster.resourcesVpcConfig.endpointPrivateAccess, true);
  t.eks.close();
});

test('the same clientRequestToken returns the same update instead of a second one', async () => {
  const t = await testEks({ scale: 0.001 });
  await t.createCluster('tok');
  await new Promise((r) => setImmediate(r));
  t.clock.step(600);
  const a = await t.call('POST', '/clusters/tok/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true }, clientRequestToken: 'same' });
  const b = await t.call('POST', '/clusters/tok/update-config', { resourcesVpcConfig: { endpointPrivateAccess: true }, clientRequestToken: 'same' });
  assert.equal(a.update.id, b.update.id);
  t.eks.close();
});

test('DescribeUpdate/ListUpdates: unknown id, and node-group updates only with ?nodegroupName=', async () => {
  const t = await testEks();
  await t.createCluster('ups');
  const f = await rejects(() => t.call('GET', '/clusters/ups/updates/abc'), 'ResourceNotFoundException', 'No update found for ID: abc', 404);
  assert.equal(f.clusterName, 'ups');
  const ng = { id: 'ng-update-1', status: 'InProgress' as const, type: 'ConfigUpdate', params: [{ type: 'DesiredSize', value: '3' }], createdAt: 1, errors: [] };
  await t.eks.updates.record({ accountId: ACCOUNT, region: REGION, cluster: 'ups' }, { nodegroupName: 'ng1' }, ng);
  assert.deepEqual((await t.call('GET', '/clusters/ups/updates')).updateIds, []);
  assert.deepEqual((await t.call('GET', '/clusters/ups/updates?nodegroupName=ng1')).updateIds, ['ng-update-1']);
  await rejects(() => t.call('GET', '/clusters/ups/updates/ng-update-1'), 'ResourceNotFoundException');
  assert.equal((await t.call('GET', '/clusters/ups/updates/ng-update-1?nodegroupName=ng1')).update.status, 'InProgress');
  await t.eks.updates.record({ accountId: ACCOUNT, region: REGION, cluster: 'ups' }, { nodegroupName: 'ng1' }, { ...ng, status: 'Successful' });
  assert.equal((await t.call('GET', '/clusters/ups/updates/ng-update-1?nodegroupName=ng1')).update.status, 'Successful');
});

test('ListUpdates paginates in creation order', async () => {
  const t = await testEks();
  await t.createCluster('many');
  const ids: string[] = [];
  for (const on of [true, false, true]) {
    ids.push((await t.call('POST', '/clusters/many/update-config', { resourcesVpcConfig: { endpointPrivateAccess: on } })).update.id);
    t.clock.step(1000);
  }
  const p1 = await t.call('GET', '/clusters/many/updates?maxResults=2');
  const p2 = await t.call('GET', `/clusters/many/updates?maxResults=2&nextToken=${p1.nextToken}`);
  assert.deepEqual([...p1.updateIds, ...p2.updateIds], ids);
});
