/**
 * Rest-json routes of access entries and access policies: Create/Describe/List/Update/Delete
 * AccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy, ListAssociatedAccessPolicies
 * (all refused outside the API / API_AND_CONFIG_MAP modes), and the global ListAccessPolicies.
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { ClusterStore } from './clusters.js';
import { accessEntryToWire, associatedPolicyToWire, type AccessEntryStore } from './access-entries.js';
import { listAccessPolicies } from './access-policies.js';
import { paginate } from './params.js';

export function accessRoutes(clusters: ClusterStore, entries: AccessEntryStore): RestJsonRoute[] {
  const withApi = <T>(ctx: Parameters<RestJsonRoute['handler']>[1], name: string, fn: Parameters<typeof clusters.withCluster<T>>[2]) =>
    clusters.withCluster(ctx, name, async (rec) => { entries.requireApiMode(rec); return fn(rec); });
  const base = '/clusters/{name}/access-entries';
  return [
    {
      method: 'POST', path: base, operation: 'CreateAccessEntry',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => ({ accessEntry: accessEntryToWire(await entries.create(rec, req.body)) })),
    },
    {
      method: 'GET', path: base, operation: 'ListAccessEntries',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => {
        const filter = req.query.get('associatedPolicyArn');
        const arns = entries.of(rec).filter((e) => !filter || e.policies.some((p) => p.policyArn === filter)).map((e) => e.principalArn);
        const { page, nextToken } = paginate(arns, (a) => a, req, { clusterName: rec.name });
        return { accessEntries: page, ...(nextToken ? { nextToken } : {}) };
      }),
    },
    {
      method: 'GET', path: `${base}/{principalArn}`, operation: 'DescribeAccessEntry',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => ({ accessEntry: accessEntryToWire(entries.require(rec, req.params.principalArn)) })),
    },
    {
      method: 'POST', path: `${base}/{principalArn}`, operation: 'UpdateAccessEntry',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => ({ accessEntry: accessEntryToWire(await entries.update(rec, req.params.principalArn, req.body)) })),
    },
    {
      method: 'DELETE', path: `${base}/{principalArn}`, operation: 'DeleteAccessEntry',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => { await entries.delete(rec, req.params.principalArn); return {}; }),
    },
    {
      method: 'POST', path: `${base}/{principalArn}/access-policies`, operation: 'AssociateAccessPolicy',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => ({
        clusterName: rec.name, principalArn: req.params.principalArn,
        associatedAccessPolicy: associatedPolicyToWire(await entries.associate(rec, req.params.principalArn, req.body)),
      })),
    },
    {
      method: 'GET', path: `${base}/{principalArn}/access-policies`, operation: 'ListAssociatedAccessPolicies',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => {
        const e = entries.require(rec, req.params.principalArn);
        const sorted = [...e.policies].sort((a, b) => a.policyArn.localeCompare(b.policyArn));
        const { page, nextToken } = paginate(sorted, (p) => p.policyArn, req, { clusterName: rec.name });
        return { clusterName: rec.name, principalArn: e.principalArn, associatedAccessPolicies: page.map(associatedPolicyToWire), ...(nextToken ? { nextToken } : {}) };
      }),
    },
    {
      method: 'DELETE', path: `${base}/{principalArn}/access-policies/{policyArn}`, operation: 'DisassociateAccessPolicy',
      handler: (req, ctx) => withApi(ctx, req.params.name, async (rec) => { await entries.disassociate(rec, req.params.principalArn, req.params.policyArn); return {}; }),
    },
    {
      method: 'GET', path: '/access-policies', operation: 'ListAccessPolicies',
      handler: (req) => {
        const { page, nextToken } = paginate(listAccessPolicies(), (p) => p.name, req);
        return { accessPolicies: page, ...(nextToken ? { nextToken } : {}) };
      },
    },
  ];
}
