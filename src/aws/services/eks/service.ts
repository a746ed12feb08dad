/**
 * The EKS service (rest-json, signing name `eks`): the cluster part's stores and routes put
 * together, plus what the composition root connects to the rest of keks:
 * - `clusters` (ClusterLookup) and `updates` (UpdateLog) for the node-group and Fargate parts,
 *   whose routes, ClusterDependents and tag hooks come back through `attach` (or deps);
 * - `identity` (EksIdentitySource) for the IAM sign-in authenticator;
 * - `restore()` once at start: re-creates every stored cluster's control plane on its port.
 *
 * Order at start: createEks → nodegroupRoutes/fargateRoutes({clusters, updates}) → attach(...)
 * → build the AWS endpoint from `service` → restore(). `close()` stops lifecycle timers.
 * `openEks` is the same without the route tables: they load on demand (`loadService`, on the AWS
 * endpoint's first request), so `keks start` restores its clusters before importing them.
 */
import type { AwsRequestContext, RestJsonRoute, RestJsonService } from '../../core/types.js';
import type { AwsServiceDeps, ControlPlanes, Ec2Backend, IamBackend } from '../../core/backends.js';
import type { ClusterDependents, ClusterLookup, EksIdentitySource, EksTaggable, UpdateLog } from './model.js';
import { ClusterStore } from './clusters.js';
import { ClusterUpdates } from './cluster-updates.js';
import { UpdateStore, type UpdateRecord } from './updates.js';
import { AccessEntryStore, type AccessEntryRecord } from './access-entries.js';
import { AddonStore, type AddonRecord } from './addons.js';
import { clusterKey, iamArnOf, keyOf, type ClusterRecord } from './cluster-record.js';
import { tagRoutes } from './tags.js';
import { applySelfManagedAddons } from './self-managed-addons.js';

export interface EksDeps extends AwsServiceDeps {
  controlPlanes: ControlPlanes;
  ec2: Ec2Backend;
  iam: IamBackend;
  dependents?: ClusterDependents;
  extraRoutes?: RestJsonRoute[];
  /** Tag hooks of resources other parts own (nodegroup, fargateprofile ARNs). */
  taggables?: EksTaggable[];
  /** scale 0 (default): every step instant; > 0: real EKS durations × scale. */
  timing?: { scale: number };
  /** Clusters per account and region (EKS default quota 100). */
  clusterQuota?: number;
  onError?: (err: unknown, what: string) => void;
}

/** What the composition root uses besides ClusterLookup. */
export interface EksClusters extends ClusterLookup {
  /** Every stored cluster (all accounts and regions). */
  all(): ClusterRecord[];
  /** A cluster by name (names are unique in the process). */
  byName(name: string): ClusterRecord | undefined;
  /** Re-creates stored clusters' control planes (call once at start); `portOf` overrides a stored port. */
  restore(portOf?: (name: string) => number | undefined): Promise<void>;
  /**
   * CreateCluster from inside keks (the default cluster of `keks start`), as `ctx.caller` in
   * `ctx.region`; `port` pins its API server port. Returns the Cluster wire shape.
   */
  create(body: Record<string, unknown>, ctx: AwsRequestContext, opts?: { port?: number; instant?: boolean }): Promise<Record<string, unknown>>;
  /**
   * The access entry EKS adds for a node role (managed node groups / Fargate in API modes:
   * EC2_LINUX or FARGATE_LINUX); a no-op in CONFIG_MAP mode (aws-auth is used there) or when it
   * exists. Unknown cluster → no-op.
   */
  ensureNodeAccessEntry(accountId: string, region: string, cluster: string, roleArn: string, type: 'EC2_LINUX' | 'EC2_WINDOWS' | 'FARGATE_LINUX'): Promise<void>;
}

/** EKS's stores and links, with the rest-json service loaded on demand. */
export interface EksParts {
  /** The rest-json service: the cluster, access-entry, add-on and tag routes plus attached ones (imported on the first call). */
  loadService(): Promise<RestJsonService>;
  clusters: EksClusters;
  updates: UpdateLog;
  identity: EksIdentitySource;
  /** Adds the compute part's routes, dependents and tag hooks (before the endpoint is built). */
  attach(parts: { routes?: RestJsonRoute[]; dependents?: ClusterDependents; taggables?: EksTaggable[] }): void;
  restore(portOf?: (name: string) => number | undefined): Promise<void>;
  close(): void;
}

export interface Eks extends EksParts {
  service: RestJsonService;
}

/** The service and its stores at once. */
export async function createEks(deps: EksDeps): Promise<Eks> {
  const parts = await openEks(deps);
  return { ...parts, service: await parts.loadService() };
}

export async function openEks(deps: EksDeps): Promise<EksParts> {
  const [clusterTable, updateTable, entryTable, addonTable] = await Promise.all([
    deps.state.table<ClusterRecord>('eks-clusters'),
    deps.state.table<UpdateRecord>('eks-updates'),
    deps.state.table<AccessEntryRecord>('eks-access-entries'),
    deps.state.table<AddonRecord>('eks-addons'),
  ]);
  const store = new ClusterStore({
    deps, table: clusterTable, controlPlanes: deps.controlPlanes, ec2: deps.ec2, iam: deps.iam, dependents: deps.dependents,
    scale: deps.timing?.scale ?? 0, clusterQuota: deps.clusterQuota ?? 100, onError: deps.onError,
  });
  const updates = new UpdateStore(updateTable);
  const entries = new AccessEntryStore(entryTable, deps.iam, () => deps.clock.now());
  const updater = new ClusterUpdates({
    clusters: store, updates, controlPlanes: deps.controlPlanes, ec2: deps.ec2,
    onAccessEntriesEnabled: (rec) => entries.ensureCreatorEntry(rec),
  });
  const addons = new AddonStore({ table: addonTable, clusters: store, updates, onError: deps.onError });
  store.onCreated((rec) => entries.ensureCreatorEntry(rec));
  store.onCreated(async (rec) => {
    const cp = store.controlPlane(rec.name);
    if (rec.bootstrapSelfManagedAddons && cp) await applySelfManagedAddons(cp.client, rec).catch((e: unknown) => deps.onError?.(e, `self-managed add-ons of ${rec.name}`));
  });
  store.onDeleting((rec) => entries.deleteAll(rec));

  const own: EksTaggable[] = [
    {
      resourceType: 'cluster',
      tags: (arn) => store.all().find((r) => r.arn === arn)?.tags,
      setTags: async (arn, tags) => {
        const r = store.all().find((x) => x.arn === arn);
        if (r) await store.lock.run(keyOf(r), async () => { const cur = clusterTable.get(keyOf(r)); if (cur) await store.save({ ...cur, tags }); });
      },
    },
    { resourceType: 'addon', tags: (arn) => addons.byArn(arn)?.tags, setTags: async (arn, tags) => { const a = addons.byArn(arn); if (a) await addons.save({ ...a, tags }); } },
    { resourceType: 'access-entry', tags: (arn) => entries.byArn(arn)?.tags, setTags: async (arn, tags) => { const e = entries.byArn(arn); if (e) await entries.save({ ...e, tags }); } },
  ];
  const tags = tagRoutes([...own, ...(deps.taggables ?? [])]);
  // Routes of other parts (deps and attach); the service's own route modules load on demand.
  const extraRoutes: RestJsonRoute[] = [...(deps.extraRoutes ?? [])];
  let service: Promise<RestJsonService> | undefined;
  let loaded: RestJsonService | undefined;
  const loadService = (): Promise<RestJsonService> => (service ??= import('./eks-routes.js').then((m) => {
    loaded = { protocol: 'rest-json', signingName: 'eks', routes: [...m.eksRoutes({ store, updater, updates, entries, addons }), ...tags.routes, ...extraRoutes] };
    return loaded;
  }));

  const identity: EksIdentitySource = {
    authenticationMode: (name) => store.byName(name)?.accessConfig.authenticationMode,
    creator: (name) => {
      const r = store.byName(name);
      return r ? { arn: iamArnOf(r.creator), bootstrapClusterCreatorAdminPermissions: r.accessConfig.bootstrapClusterCreatorAdminPermissions } : undefined;
    },
    creatorArn: (name) => { const r = store.byName(name); return r ? iamArnOf(r.creator) : undefined; },
    accessEntry: (name, principalArn) => {
      const r = store.byName(name);
      return r ? entries.view(r, principalArn) : undefined;
    },
  };

  const restore = (portOf?: (name: string) => number | undefined): Promise<void> => store.restore(portOf);
  return {
    loadService,
    clusters: {
      find: (a, r, n) => store.find(a, r, n),
      controlPlane: (n) => store.controlPlane(n),
      all: () => store.all(),
      byName: (n) => store.byName(n),
      restore,
      create: (body, ctx, opts) => store.create(body, ctx, opts),
      ensureNodeAccessEntry: (accountId, region, cluster, roleArn, type) =>
        store.lock.run(clusterKey(accountId, region, cluster), async () => {
          const rec = clusterTable.get(clusterKey(accountId, region, cluster));
          if (!rec || rec.accessConfig.authenticationMode === 'CONFIG_MAP' || entries.get(rec, roleArn)) return;
          await entries.create(rec, { principalArn: roleArn, type }, { skipPrincipalCheck: true });
        }),
    },
    updates,
    identity,
    attach(parts) {
      if (parts.routes) { extraRoutes.push(...parts.routes); loaded?.routes.push(...parts.routes); }
      if (parts.dependents) store.setDependents(parts.dependents);
      for (const t of parts.taggables ?? []) tags.register(t);
    },
    restore,
    close: () => store.close(),
  };
}
