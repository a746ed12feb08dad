/**
 * Rest-json routes of add-ons: DescribeAddonVersions (global, static table) and
 * Create/Describe/List/Update/DeleteAddon (DELETE takes `?preserve=true`).
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { ClusterStore } from './clusters.js';
import { addonToWire, type AddonStore } from './addons.js';
import { describeAddonVersions } from './addon-catalog.js';
import { invalidParameter } from './errors.js';
import { paginate } from './params.js';

export function addonRoutes(clusters: ClusterStore, addons: AddonStore): RestJsonRoute[] {
  const base = '/clusters/{name}/addons';
  return [
    {
      method: 'GET', path: '/addons/supported-versions', operation: 'DescribeAddonVersions',
      handler: (req) => {
        const q = req.query;
        const list = describeAddonVersions({
          kubernetesVersion: q.get('kubernetesVersion') || undefined, addonName: q.get('addonName') || undefined,
          types: q.getAll('types'), publishers: q.getAll('publishers'), owners: q.getAll('owners'),
        });
        const { page, nextToken } = paginate(list, (a) => String(a.addonName), req);
        return { addons: page, ...(nextToken ? { nextToken } : {}) };
      },
    },
    {
      method: 'POST', path: base, operation: 'CreateAddon',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const a = await addons.create(rec, req.body);
        return { addon: addonToWire(a, a.status) };
      }),
    },
    {
      method: 'GET', path: base, operation: 'ListAddons',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const { page, nextToken } = paginate(addons.of(rec).map((a) => a.addonName), (n) => n, req, { clusterName: rec.name });
        return { addons: page, ...(nextToken ? { nextToken } : {}) };
      }),
    },
    {
      method: 'GET', path: `${base}/{addonName}`, operation: 'DescribeAddon',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const a = addons.require(rec, req.params.addonName);
        return { addon: addonToWire(a, addons.statusOf(a)) };
      }),
    },
    {
      method: 'POST', path: `${base}/{addonName}/update`, operation: 'UpdateAddon',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => ({ update: await addons.update(rec, req.params.addonName, req.body) })),
    },
    {
      method: 'DELETE', path: `${base}/{addonName}`, operation: 'DeleteAddon',
      handler: (req, ctx) => clusters.withCluster(ctx, req.params.name, async (rec) => {
        const raw = req.query.get('preserve');
        if (raw !== null && raw !== 'true' && raw !== 'false') throw invalidParameter('preserve must be true or false', { clusterName: rec.name, addonName: req.params.addonName });
        const a = await addons.delete(rec, req.params.addonName, raw === 'true');
        return { addon: addonToWire(a, 'DELETING') };
      }),
    },
  ];
}
