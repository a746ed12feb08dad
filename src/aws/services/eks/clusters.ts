/**
 * The EKS cluster store and lifecycle (CreateCluster, DescribeCluster, ListClusters,
 * DeleteCluster) over the `eks-clusters` state table.
 *
 * Lifecycle (aws-api-surface.md §2.2, §2.11): CREATING → ACTIVE; UPDATING while a cluster update
 * is InProgress; DELETING, then gone. By default (timing.scale 0) CreateCluster starts the
 * control plane before it answers (still reporting CREATING, as EKS does), so the next Describe
 * reads ACTIVE and `aws eks wait cluster-active` returns on its first poll; DeleteCluster tears
 * everything down before it answers DELETING, so the next Describe is ResourceNotFound. With
 * timing.scale > 0 each step takes the real EKS duration × scale, driven by clock timers.
 *
 * Transitions are applied by `settle` (under the cluster's lock) whenever an operation reads the
 * cluster and when a timer falls due; other parts add steps to it (`addSettler`), e.g. completing
 * due cluster updates. Control planes are keyed by cluster name (ControlPlanes), so a name is
 * unique across every account and region of this process.
 */
import type { AwsRequestContext } from '../../core/types.js';
import type { AwsServiceDeps, ControlPlaneHandle, ControlPlanes, Ec2Backend, IamBackend } from '../../core/backends.js';
import type { StateTable } from '../../core/state.js';
import type { Timer } from '../../../util/clock.js';
import type { ClusterDependents, ClusterLookup, EksClusterView } from './model.js';
import { clusterKey, clusterToWire, clusterView, effectiveStatus, keyOf, type ClusterRecord } from './cluster-record.js';
import { buildClusterRecord } from './cluster-create.js';
import { clusterExists, clusterNotFound, eksError, invalidRequest, resourceInUse } from './errors.js';
import { KeyedLock } from './lock.js';
import { REAL_DELAYS_MS, type DelayKind } from './versions.js';
import type { Body } from './params.js';

export interface ClusterStoreOptions {
  deps: AwsServiceDeps;
  table: StateTable<ClusterRecord>;
  controlPlanes: ControlPlanes;
  ec2: Ec2Backend;
  iam: IamBackend;
  dependents?: ClusterDependents;
  /** 0 (default) = instant; > 0 = real EKS durations × scale. */
  scale: number;
  /** Clusters per account and region (EKS default quota: 100). */
  clusterQuota: number;
  onError?: (err: unknown, what: string) => void;
}

/** A step of `settle`: returns the record to keep (changed or not), or undefined when it removed it. */
export type Settler = (rec: ClusterRecord, now: number) => Promise<ClusterRecord | undefined>;
/** Called once a new cluster's control plane runs (e.g. the creator's access entry). */
export type CreatedHook = (rec: ClusterRecord) => Promise<void>;
/** Called during teardown, before the control plane goes (access entries, add-ons, updates). */
export type DeletingHook = (rec: ClusterRecord) => Promise<void>;

export class ClusterStore implements ClusterLookup {
  readonly lock = new KeyedLock();
  private readonly o: ClusterStoreOptions;
  private readonly settlers: Settler[] = [];
  private readonly created: CreatedHook[] = [];
  private readonly deleting: DeletingHook[] = [];
  private readonly timers = new Set<Timer>();
  private dependents: ClusterDependents | undefined;
  private closed = false;

  constructor(o: ClusterStoreOptions) {
    this.o = o;
    this.dependents = o.dependents;
  }

  addSettler(s: Settler): void { this.settlers.push(s); }
  onCreated(h: CreatedHook): void { this.created.push(h); }
  onDeleting(h: DeletingHook): void { this.deleting.push(h); }
  setDependents(d: ClusterDependents): void { this.dependents = d; }

  get now(): number { return this.o.deps.clock.now(); }

  /** The delay of a lifecycle step under the configured timing. */
  delay(kind: DelayKind): number {
    return this.o.scale > 0 ? Math.round(REAL_DELAYS_MS[kind] * this.o.scale) : 0;
  }

  // ---- ClusterLookup -------------------------------------------------------------------------

  find(accountId: string, region: string, name: string): EksClusterView | undefined {
    const r = this.o.table.get(clusterKey(accountId, region, name));
    return r ? clusterView(r, this.statusOf(r)) : undefined;
  }

  controlPlane(name: string): ControlPlaneHandle | undefined {
    return this.o.controlPlanes.get(name);
  }

  /** Every cluster record (all accounts and regions), in key order. */
  all(): ClusterRecord[] { return this.o.table.values(); }

  /** The record of a cluster by name only (names are process-unique). */
  byName(name: string): ClusterRecord | undefined {
    return this.o.table.values().find((r) => r.name === name);
  }

  statusOf(r: ClusterRecord) {
    return effectiveStatus(r, this.now, this.o.controlPlanes.get(r.name) !== undefined);
  }

  wire(r: ClusterRecord): Record<string, unknown> {
    return clusterToWire(r, this.statusOf(r), this.o.controlPlanes.get(r.name));
  }

  save(r: ClusterRecord): Promise<void> { return this.o.table.put(keyOf(r), r); }

  // ---- locking and settling ------------------------------------------------------------------

  /** Runs fn on the settled cluster under its lock; ResourceNotFoundException when it does not exist. */
  withCluster<T>(ctx: AwsRequestContext, name: string, fn: (rec: ClusterRecord) => Promise<T>): Promise<T> {
    const key = clusterKey(ctx.caller.accountId, ctx.region, name);
    return this.lock.run(key, async () => {
      const rec = await this.settleLocked(key);
      if (!rec) throw clusterNotFound(name);
      return fn(rec);
    });
  }

  /** Applies due transitions of one cluster (takes its lock). */
  settle(key: string): Promise<ClusterRecord | undefined> {
    return this.lock.run(key, () => this.settleLocked(key));
  }

  private async settleLocked(key: string): Promise<ClusterRecord | undefined> {
    let rec = this.o.table.get(key);
    if (!rec) return undefined;
    const now = this.now;
    if (rec.status === 'DELETING') {
      if ((rec.deleteAt ?? 0) <= now) { await this.teardown(rec); return undefined; }
      return rec;
    }
    const status = this.statusOf(rec);
    if (status !== rec.status) {
      rec = { ...rec, status };
      delete rec.activeAt;
      await this.save(rec);
    }
    for (const s of this.settlers) {
      const next = await s(rec, now);
      if (!next) return undefined;
      rec = next;
    }
    return rec;
  }

  /** Calls settle for `key` after ms (real timing); timers stop at close(). */
  schedule(key: string, ms: number): void {
    if (this.closed) return;
    const t = this.o.deps.clock.setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) this.settle(key).catch((e) => this.o.onError?.(e, `settle ${key}`));
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  // ---- operations ----------------------------------------------------------------------------

  /** CreateCluster; `opts.port` pins the API server port (the default cluster of `keks start`). */
  /** `instant`: ACTIVE at once whatever the time scale (keks start's own cluster must serve when start returns). */
  async create(body: Body, ctx: AwsRequestContext, opts: { port?: number; instant?: boolean } = {}): Promise<Record<string, unknown>> {
    const rec = buildClusterRecord(body, {
      accountId: ctx.caller.accountId, region: ctx.region, creator: ctx.caller, now: this.now, ec2: this.o.ec2, iam: this.o.iam,
    });
    if (opts.port) rec.port = opts.port;
    const key = keyOf(rec);
    return this.lock.run(key, async () => {
      const existing = this.o.table.get(key);
      if (existing) {
        // clientRequestToken makes CreateCluster idempotent: the same token returns the same cluster.
        if (rec.clientRequestToken && existing.clientRequestToken === rec.clientRequestToken) return this.wire(existing);
        throw clusterExists(rec.name);
      }
      if (this.byName(rec.name)) throw clusterExists(rec.name);
      const inRegion = this.all().filter((r) => r.accountId === rec.accountId && r.region === rec.region).length;
      if (inRegion >= this.o.clusterQuota) throw eksError('ResourceLimitExceededException', 'Cluster limit exceeded for account.', { clusterName: rec.name });

      const sgSuffix = String(Math.floor(Math.random() * 9e9) + 1e9);
      rec.resourcesVpcConfig.clusterSecurityGroupId = await this.o.ec2.createSecurityGroup({
        region: rec.region, accountId: rec.accountId, vpcId: rec.resourcesVpcConfig.vpcId,
        name: `eks-cluster-sg-${rec.name}-${sgSuffix}`,
        description: 'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
        tags: { Name: `eks-cluster-sg-${rec.name}-${sgSuffix}`, [`kubernetes.io/cluster/${rec.name}`]: 'owned', 'aws:eks:cluster-name': rec.name },
      });
      const wait = opts.instant ? 0 : this.delay('clusterCreate');
      rec.activeAt = this.now + wait;
      await this.save(rec);
      const answer = clusterToWire(rec, 'CREATING', undefined);
      if (wait === 0) {
        await this.startControlPlane(rec);
      } else {
        this.startControlPlane(rec).then(() => this.schedule(key, Math.max(0, (rec.activeAt ?? 0) - this.now)), (e) => this.o.onError?.(e, `start ${key}`));
      }
      return answer;
    });
  }

  /** Creates (or, on restart, re-creates on its stored port) the cluster's control plane. */
  /**
   * `restoring`: a stored cluster coming back at process start. If its control plane cannot start
   * (e.g. its port is taken by another keks on the same data), the record is left as it is — a
   * failed restart must not turn a healthy cluster FAILED for good — and the error is reported.
   */
  private async startControlPlane(rec: ClusterRecord, opts: { restoring?: boolean } = {}): Promise<void> {
    let cp: ControlPlaneHandle;
    try {
      cp = await this.o.controlPlanes.create({
        name: rec.name, region: rec.region, accountId: rec.accountId, version: rec.version,
        serviceIpv4Cidr: rec.kubernetesNetworkConfig.serviceIpv4Cidr, creator: rec.creator,
        // The service-account token issuer is the cluster's OIDC issuer, as on EKS (IRSA trusts it).
        oidcIssuer: `https://oidc.eks.${rec.region}.amazonaws.com/id/${rec.oidcId}`,
        ...(rec.port ? { port: rec.port } : {}),
      });
    } catch (e) {
      if (opts.restoring) {
        this.o.onError?.(e, `restore control plane ${rec.name}`);
        return;
      }
      const cur = this.o.table.get(keyOf(rec));
      if (cur) await this.save({ ...cur, status: 'FAILED', failure: `The control plane could not be started: ${(e as Error).message}` });
      this.o.onError?.(e, `control plane ${rec.name}`);
      return;
    }
    applyEndpointAccess(cp, rec);
    const cur = this.o.table.get(keyOf(rec));
    if (cur && cur.port !== cp.port) await this.save({ ...cur, port: cp.port });
    const fresh = this.o.table.get(keyOf(rec));
    if (fresh && fresh.status === 'CREATING') for (const h of this.created) await h(fresh);
  }

  async describe(ctx: AwsRequestContext, name: string): Promise<Record<string, unknown>> {
    return this.withCluster(ctx, name, async (rec) => this.wire(rec));
  }

  list(ctx: AwsRequestContext): string[] {
    return this.all().filter((r) => r.accountId === ctx.caller.accountId && r.region === ctx.region).map((r) => r.name).sort();
  }

  async delete(ctx: AwsRequestContext, name: string): Promise<Record<string, unknown>> {
    const key = clusterKey(ctx.caller.accountId, ctx.region, name);
    const answer = await this.withCluster(ctx, name, async (rec) => {
      if (rec.status === 'DELETING') return this.wire(rec);
      if (rec.status === 'UPDATING') throw resourceInUse(`Cannot delete because cluster ${name} currently has an update in progress`, { clusterName: name });
      if (rec.deletionProtection) throw invalidRequest(`Cluster ${name} has deletion protection enabled. Disable deletion protection before deleting the cluster.`, { clusterName: name });
      const ngs = this.dependents?.nodegroupNames(rec.accountId, rec.region, rec.name) ?? [];
      if (ngs.length > 0) throw resourceInUse('Cluster has nodegroups attached', { clusterName: name });
      const next: ClusterRecord = { ...rec, status: 'DELETING', deleteAt: this.now + this.delay('clusterDelete') };
      delete next.activeAt;
      await this.save(next);
      return this.wire(next);
    });
    const wait = this.delay('clusterDelete');
    if (wait === 0) await this.settle(key);
    else this.schedule(key, wait);
    return answer;
  }

  /** Removes everything a cluster owns, then the cluster (called under the cluster's lock). */
  private async teardown(rec: ClusterRecord): Promise<void> {
    const soft = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try { await fn(); } catch (e) { this.o.onError?.(e, `${what} of ${rec.name}`); }
    };
    if (this.dependents) await soft('fargate profiles', () => (this.dependents as ClusterDependents).deleteFargateProfiles(rec.accountId, rec.region, rec.name));
    for (const h of this.deleting) await soft('cleanup', () => h(rec));
    await soft('control plane', () => this.o.controlPlanes.delete(rec.name));
    if (rec.resourcesVpcConfig.clusterSecurityGroupId) await soft('security group', () => this.o.ec2.deleteSecurityGroup(rec.region, rec.resourcesVpcConfig.clusterSecurityGroupId));
    await this.o.table.delete(keyOf(rec));
  }

  /**
   * After a restart: re-creates the control plane of every existing cluster on its stored port,
   * finishes interrupted deletions, then applies (or re-schedules) pending transitions.
   * `portOf(name)` may move a cluster to another port (the default cluster follows `--port`).
   */
  async restore(portOf: (name: string) => number | undefined = () => undefined): Promise<void> {
    const recs = this.all();
    await Promise.all(recs.map(async (rec) => {
      const key = keyOf(rec);
      if (rec.status === 'DELETING') {
        if ((rec.deleteAt ?? 0) > this.now) this.schedule(key, (rec.deleteAt ?? 0) - this.now);
        else await this.settle(key);
        return;
      }
      if (rec.status === 'FAILED') return;
      const port = portOf(rec.name);
      const at = port ? { ...rec, port } : rec;
      await this.lock.run(key, () => this.startControlPlane(at, { restoring: true }));
      const settled = await this.settle(key);
      if (settled?.status === 'CREATING' && settled.activeAt !== undefined) this.schedule(key, Math.max(0, settled.activeAt - this.now));
    }));
  }
}

/**
 * EndpointAccess on the control plane's listener: public access off → nothing from outside is
 * allowed ([]); the default 0.0.0.0/0 → no restriction (undefined); else the listed CIDRs.
 */
export function applyEndpointAccess(cp: ControlPlaneHandle, rec: ClusterRecord): void {
  const v = rec.resourcesVpcConfig;
  if (!v.endpointPublicAccess) cp.setPublicAccessCidrs([]);
  else if (v.publicAccessCidrs.length === 1 && v.publicAccessCidrs[0] === '0.0.0.0/0') cp.setPublicAccessCidrs(undefined);
  else cp.setPublicAccessCidrs([...v.publicAccessCidrs]);
}
