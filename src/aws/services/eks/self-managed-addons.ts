/**
 * bootstrapSelfManagedAddons (CreateCluster, default true): a new EKS cluster comes with the
 * self-managed vpc-cni (aws-node), coredns (with the kube-dns Service at .10 of the service CIDR)
 * and kube-proxy in kube-system — the objects `kubectl get pods -n kube-system` shows on a fresh
 * EKS cluster. They are not EKS add-ons (ListAddons stays empty), as on AWS; CreateAddon of the
 * same name later takes them over.
 */
import type { ApiClient } from '../../../client/client.js';
import { addonSpec, defaultAddonVersion } from './addon-catalog.js';
import { applyManifests } from './addon-apply.js';
import { addonManifests } from './addon-manifests.js';
import type { ClusterRecord } from './cluster-record.js';

export const SELF_MANAGED_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy'] as const;

export async function applySelfManagedAddons(client: ApiClient, rec: ClusterRecord): Promise<void> {
  for (const name of SELF_MANAGED_ADDONS) {
    const spec = addonSpec(name);
    const version = spec && defaultAddonVersion(spec, rec.version);
    if (!version) continue;
    await applyManifests(client, addonManifests({
      addonName: name, addonVersion: version, region: rec.region, clusterName: rec.name,
      serviceIpv4Cidr: rec.kubernetesNetworkConfig.serviceIpv4Cidr, config: {},
    }), 'NONE');
  }
}
