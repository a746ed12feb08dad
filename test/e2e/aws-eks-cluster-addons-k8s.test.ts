/**
 * The add-on manifests against a real keks API server (validation, defaulting, controllers):
 * every add-on's objects are accepted by the in-process cluster of the test harness, re-applying
 * updates them in place (kube-dns keeps its clusterIP), the coredns Deployment gets its pods
 * once nodes exist, and deleting removes them. Complements addons.test.ts, whose fake client
 * does not validate.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { addonManifests } from '../../src/aws/services/eks/addon-manifests.js';
import { applyManifests, deleteManifests } from '../../src/aws/services/eks/addon-apply.js';
import { ADDONS, defaultAddonVersion } from '../../src/aws/services/eks/addon-catalog.js';
import { isNotFound } from '../../src/client/errors.js';
import { eventually } from '../helpers/api.js';

const input = (addonName: string, config: Record<string, unknown> = {}) => ({
  addonName, addonVersion: defaultAddonVersion(ADDONS.find((a) => a.addonName === addonName)!, '1.32')!,
  region: 'ap-northeast-2', clusterName: 'keks', serviceIpv4Cidr: '10.100.0.0/16', serviceAccountRoleArn: 'arn:aws:iam::000000000000:role/addon', config,
});

describe('EKS add-on objects in a real keks cluster', () => {
  let tk: TestKeks;
  before(async () => { tk = await startTestKeks({ store: 'memory', nodes: 2 }); });
  after(async () => { await tk?.stop(); });

  it('every add-on applies, re-applies in place, and deletes cleanly', async () => {
    const client = tk.cluster.client;
    for (const a of ADDONS) {
      const objs = addonManifests(input(a.addonName));
      await applyManifests(client, objs);
      for (const m of objs) {
        const got = await client.get(m.ref, m.ref.namespaced ? 'kube-system' : '', m.obj.metadata.name as string);
        assert.equal(got.metadata.labels?.['app.kubernetes.io/managed-by'], 'EKS', `${a.addonName} ${m.ref.resource}/${m.obj.metadata.name}`);
      }
      await applyManifests(client, addonManifests(input(a.addonName, { replicaCount: 1 })));
    }
    const dns = await client.get({ group: '', version: 'v1', resource: 'services', namespaced: true }, 'kube-system', 'kube-dns');
    assert.equal((dns.spec as { clusterIP: string }).clusterIP, '10.100.0.10');
    const dep = await client.get({ group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }, 'kube-system', 'coredns');
    assert.equal((dep.spec as { replicas: number }).replicas, 1);
    await eventually(async () => {
      const pods = await client.list({ group: '', version: 'v1', resource: 'pods', namespaced: true }, 'kube-system', { labelSelector: 'k8s-app=kube-dns' });
      return pods.items.length === 1;
    }, 'one coredns pod', 15_000);
    for (const a of ADDONS) await deleteManifests(client, addonManifests(input(a.addonName)));
    await assert.rejects(client.get({ group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }, 'kube-system', 'coredns'), (e) => isNotFound(e));
    await assert.rejects(client.get({ group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', namespaced: false }, '', 'ebs.csi.aws.com'), (e) => isNotFound(e));
  });
});
