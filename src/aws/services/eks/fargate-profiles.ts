/**
 * EKS Fargate profiles: Create / Describe / List / DeleteFargateProfile over the
 * `eks-fargate-profiles` state table (aws-api-surface.md §2.5), the selector lookup the Fargate
 * admission plugin uses (profilesFor: ACTIVE profiles, by name), and the ClusterDependents part
 * that removes a cluster's profiles with it.
 *
 * Lifecycle: CREATING → ACTIVE and DELETING → gone after the configured delays (default 0: by the
 * next Describe). As on EKS, only one profile of a cluster may be CREATING or DELETING at a time —
 * a rule that only bites with realistic delays. Deleting a profile deletes the pods that were
 * scheduled onto Fargate through it (annotation eks.amazonaws.com/fargate-profile), as EKS does.
 */
import { randomUUID } from 'node:crypto';
import type { AwsServiceDeps, Ec2Backend } from '../../core/backends.js';
import type { StateTable } from '../../core/state.js';
import type { RestJsonRoute } from '../../core/types.js';
import type { ResourceRef } from '../../../client/client.js';
import { isNotFound } from '../../../client/errors.js';
import type { ClusterLookup, EksClusterView, EksTaggable } from './model.js';
import { addAwsAuthRole, fargateRoleEntry, removeAwsAuthRole, type NodeAccessEntries } from './nodegroup-aws-auth.js';
import {
  epochSeconds, invalidParameter, optObjectList, optString, optStringList, optStringMap, paginate, reqString, requireActive,
  requireCluster, resourceInUse, resourceNotFound, validateTags,
} from './nodegroup-common.js';

export type FargateProfileStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED';
export interface FargateSelector { namespace: string; labels?: Record<string, string> }

export interface FargateProfileRecord {
  accountId: string;
  region: string;
  clusterName: string;
  fargateProfileName: string;
  uuid: string;
  arn: string;
  createdAt: number;
  status: FargateProfileStatus;
  /** CREATING → ACTIVE / DELETING → gone at this time (epoch ms). */
  readyAt?: number;
  podExecutionRoleArn: string;
  subnets: string[];
  selectors: FargateSelector[];
  tags: Record<string, string>;
  clientRequestToken?: string;
}

/** A profile as the Fargate admission plugin sees it (same shape as admission/fargate-scheduler's FargateProfileView). */
export interface FargateProfileSelectors { name: string; selectors: FargateSelector[] }

export interface FargateDelays { createMs?: number; deleteMs?: number }

/** Real EKS durations (creation takes 30 s to 5 min; ~2 min is typical). */
export const REAL_FARGATE_DELAYS_MS = { createMs: 2 * 60_000, deleteMs: 2 * 60_000 } as const;

/** Delays for a time scale (0 = instant, 1 = real EKS), as the cluster part's timing.scale. */
export function scaledFargateDelays(scale: number): FargateDelays {
  return { createMs: REAL_FARGATE_DELAYS_MS.createMs * scale, deleteMs: REAL_FARGATE_DELAYS_MS.deleteMs * scale };
}

export interface FargateServiceOptions extends AwsServiceDeps {
  clusters: ClusterLookup;
  ec2: Ec2Backend;
  delays?: FargateDelays;
  /** API-mode clusters: the FARGATE_LINUX access entry EKS creates for the pod execution role (Eks.clusters). */
  nodeAccess?: NodeAccessEntries;
  onError?: (what: string, err: unknown) => void;
}

export interface FargatePart {
  routes: RestJsonRoute[];
  service: FargateProfileService;
  /** ClusterDependents.deleteFargateProfiles. */
  deleteFargateProfiles(accountId: string, region: string, cluster: string): Promise<void>;
  /** ACTIVE profiles of a cluster, by name (the admission plugin's lookup). */
  profilesFor(accountId: string, region: string, cluster: string): FargateProfileSelectors[];
  /** The same by cluster name alone (names are unique in a keks process, as control planes are keyed). */
  profilesForCluster(cluster: string): FargateProfileSelectors[];
  /** For TagResource / UntagResource / ListTagsForResource on fargateprofile ARNs. */
  taggable: EksTaggable;
}

export const FARGATE_TABLE = 'eks-fargate-profiles';
export const FARGATE_PROFILE_ANNOTATION = 'eks.amazonaws.com/fargate-profile';
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

const idOf = (a: string, r: string, c: string, n: string): string => `${a}/${r}/${c}/${n}`;

/** Selector rules, moto's messages (from real AWS). */
export function parseSelectors(raw: Array<Record<string, unknown>> | undefined): FargateSelector[] {
  if (!raw || raw.length === 0) throw invalidParameter('Fargate Profile requires at least one selector.');
  if (raw.length > 5) throw invalidParameter('Fargate Profile cannot have more than 5 selectors.'); // [inferred]
  return raw.map((s) => {
    const namespace = optString(s, 'namespace');
    if (!namespace) throw invalidParameter('Fargate Profile must have at least one selector with at least one namespace value.');
    const labels = optStringMap(s, 'labels');
    if (labels && Object.keys(labels).length > 5) throw invalidParameter('Request contains Selector with more than 5 Label pairs');
    return { namespace, ...(labels && Object.keys(labels).length ? { labels } : {}) };
  });
}

export class FargateProfileService {
  private readonly o: FargateServiceOptions;
  private readonly table: StateTable<FargateProfileRecord>;
  private readonly busy = new Set<string>();
  private readonly tasks = new Set<Promise<void>>();

  private constructor(o: FargateServiceOptions, table: StateTable<FargateProfileRecord>) {
    this.o = o;
    this.table = table;
  }

  static async open(o: FargateServiceOptions): Promise<FargateProfileService> {
    const s = new FargateProfileService(o, await o.state.table<FargateProfileRecord>(FARGATE_TABLE));
    for (const r of s.table.values()) {
      const id = idOf(r.accountId, r.region, r.clusterName, r.fargateProfileName);
      if (r.status === 'DELETING') s.background(id, () => s.deletePods(r));
      else s.schedule(id);
    }
    return s;
  }

  async idle(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  private ofCluster(accountId: string, region: string, cluster: string): FargateProfileRecord[] {
    return this.table.values().filter((r) => r.accountId === accountId && r.region === region && r.clusterName === cluster);
  }

  profilesFor(accountId: string, region: string, cluster: string): FargateProfileSelectors[] {
    return this.ofCluster(accountId, region, cluster)
      .filter((r) => r.status === 'ACTIVE' || (r.status === 'CREATING' && (r.readyAt ?? 0) <= this.o.clock.now()))
      .sort((a, b) => (a.fargateProfileName < b.fargateProfileName ? -1 : 1))
      .map((r) => ({ name: r.fargateProfileName, selectors: r.selectors }));
  }

  profilesForClusterName(cluster: string): FargateProfileSelectors[] {
    const any = this.table.values().find((r) => r.clusterName === cluster);
    return any ? this.profilesFor(any.accountId, any.region, cluster) : [];
  }

  byArn(arn: string): FargateProfileRecord | undefined {
    return this.table.values().find((r) => r.arn === arn);
  }

  /** EksTaggable: the tags of a fargateprofile ARN (undefined when it names nothing). */
  tags(arn: string): Record<string, string> | undefined {
    const r = this.byArn(arn);
    return r ? { ...r.tags } : undefined;
  }

  /** EksTaggable: replaces the tag set of a fargateprofile ARN (a no-op when it names nothing). */
  async setTags(arn: string, tags: Record<string, string>): Promise<void> {
    const r = this.byArn(arn);
    if (r) await this.table.put(idOf(r.accountId, r.region, r.clusterName, r.fargateProfileName), { ...r, tags: { ...tags } });
  }


  wire(r: FargateProfileRecord): Record<string, unknown> {
    return {
      fargateProfileName: r.fargateProfileName, fargateProfileArn: r.arn, clusterName: r.clusterName, createdAt: epochSeconds(r.createdAt),
      podExecutionRoleArn: r.podExecutionRoleArn, subnets: r.subnets, selectors: r.selectors, status: r.status, tags: r.tags, health: { issues: [] },
    };
  }

  async create(accountId: string, region: string, cluster: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = requireCluster(this.o.clusters, accountId, region, cluster);
    const name = reqString(body, 'fargateProfileName');
    const id = idOf(accountId, region, cluster, name);
    await this.refresh(id);
    const existing = this.table.get(id);
    const token = optString(body, 'clientRequestToken');
    if (existing && token && existing.clientRequestToken === token) return { fargateProfile: this.wire(existing) };
    if (existing) throw resourceInUse('A Fargate Profile already exists with this name in this cluster.', { clusterName: cluster, fargateProfileName: name });
    requireActive(c);
    if (name.length > 100 || !NAME.test(name)) throw invalidParameter(`Fargate Profile name ${name} is not valid.`); // [inferred]
    const selectors = parseSelectors(optObjectList(body, 'selectors'));
    const role = reqString(body, 'podExecutionRoleArn');
    if (!ROLE_ARN.test(role)) throw invalidParameter(`Invalid Role Arn: '${role}'`);
    const subnets = this.checkSubnets(c.region, optStringList(body, 'subnets'), c.subnetIds, name);
    await this.checkOneInTransition(accountId, region, cluster, name, 'create');
    const uuid = randomUUID();
    const now = this.o.clock.now();
    const r: FargateProfileRecord = {
      accountId, region, clusterName: cluster, fargateProfileName: name, uuid,
      arn: `arn:aws:eks:${region}:${accountId}:fargateprofile/${cluster}/${name}/${uuid}`,
      createdAt: now, status: 'CREATING', readyAt: now + (this.o.delays?.createMs ?? 0),
      podExecutionRoleArn: role, subnets, selectors, tags: validateTags(optStringMap(body, 'tags')),
      ...(token ? { clientRequestToken: token } : {}),
    };
    await this.table.put(id, r);
    await this.mapPodExecutionRole(c, r);
    this.schedule(id);
    return { fargateProfile: this.wire(r) };
  }

  /** EKS lets Fargate's kubelets join: aws-auth (CONFIG_MAP, API_AND_CONFIG_MAP) and/or a FARGATE_LINUX access entry (API modes). */
  private async mapPodExecutionRole(c: EksClusterView, r: FargateProfileRecord): Promise<void> {
    try {
      const cp = this.o.clusters.controlPlane(c.name);
      if (cp && c.authenticationMode !== 'API') await addAwsAuthRole(cp.client, fargateRoleEntry(r.podExecutionRoleArn));
      if (c.authenticationMode !== 'CONFIG_MAP') await this.o.nodeAccess?.ensureNodeAccessEntry(r.accountId, r.region, r.clusterName, r.podExecutionRoleArn, 'FARGATE_LINUX');
    } catch (e) {
      this.o.onError?.(`fargate profile ${r.fargateProfileName}: role mapping`, e);
    }
  }

  /** Given subnets must exist and be private; omitted → the cluster's private subnets. */
  private checkSubnets(region: string, given: string[] | undefined, clusterSubnets: string[], profile: string): string[] {
    if (!given) return clusterSubnets.filter((s) => { const i = this.o.ec2.subnet(region, s); return !i || !i.mapPublicIpOnLaunch; });
    for (const s of given) {
      const info = this.o.ec2.subnet(region, s);
      if (!info) throw invalidParameter(`The subnet ID '${s}' does not exist`); // [inferred: EC2's wording]
      if (info.mapPublicIpOnLaunch) throw invalidParameter(`Subnet ${s} provided in Fargate Profile ${profile} is not a private subnet`); // [inferred]
    }
    return given;
  }

  private async checkOneInTransition(accountId: string, region: string, cluster: string, name: string, verb: 'create' | 'delete'): Promise<void> {
    for (const other of this.ofCluster(accountId, region, cluster)) {
      if (other.fargateProfileName === name) continue;
      await this.refresh(idOf(accountId, region, cluster, other.fargateProfileName));
      const cur = this.table.get(idOf(accountId, region, cluster, other.fargateProfileName));
      if (cur && (cur.status === 'CREATING' || cur.status === 'DELETING')) {
        throw resourceInUse(`Cannot ${verb} Fargate Profile ${name} because cluster ${cluster} currently has Fargate profile ${cur.fargateProfileName} in status ${cur.status}`, { clusterName: cluster, fargateProfileName: name });
      }
    }
  }

  async describe(accountId: string, region: string, cluster: string, name: string): Promise<Record<string, unknown>> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const id = idOf(accountId, region, cluster, name);
    await this.refresh(id);
    const r = this.table.get(id);
    if (!r) throw resourceNotFound(`No Fargate Profile found with name: ${name}.`, { clusterName: cluster, fargateProfileName: name });
    return { fargateProfile: this.wire(r) };
  }

  list(accountId: string, region: string, cluster: string, query: URLSearchParams): Record<string, unknown> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const page = paginate(this.ofCluster(accountId, region, cluster).map((r) => r.fargateProfileName), query);
    return { fargateProfileNames: page.items, nextToken: page.nextToken };
  }

  async delete(accountId: string, region: string, cluster: string, name: string): Promise<Record<string, unknown>> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const id = idOf(accountId, region, cluster, name);
    await this.refresh(id);
    const r = this.table.get(id);
    if (!r) throw resourceNotFound(`No Fargate Profile found with name: ${name}.`, { clusterName: cluster, fargateProfileName: name });
    if (r.status === 'DELETING') return { fargateProfile: this.wire(r) };
    await this.checkOneInTransition(accountId, region, cluster, name, 'delete');
    const now = this.o.clock.now();
    const next: FargateProfileRecord = { ...r, status: 'DELETING', readyAt: now + (this.o.delays?.deleteMs ?? 0) };
    await this.table.put(id, next);
    this.background(id, () => this.deletePods(next));
    return { fargateProfile: this.wire(next) };
  }

  async deleteFargateProfiles(accountId: string, region: string, cluster: string): Promise<void> {
    for (const r of this.ofCluster(accountId, region, cluster)) await this.table.delete(idOf(accountId, region, cluster, r.fargateProfileName));
  }

  /** Deletes the pods scheduled onto Fargate through this profile (EKS does so on DeleteFargateProfile). */
  private async deletePods(r: FargateProfileRecord): Promise<void> {
    const cp = this.o.clusters.controlPlane(r.clusterName);
    if (!cp) return;
    const sameRole = this.ofCluster(r.accountId, r.region, r.clusterName).some((x) => x.fargateProfileName !== r.fargateProfileName && x.podExecutionRoleArn === r.podExecutionRoleArn);
    if (!sameRole) await removeAwsAuthRole(cp.client, r.podExecutionRoleArn).catch((e) => this.o.onError?.(`fargate profile ${r.fargateProfileName}: aws-auth`, e));
    const pods = await cp.client.list(PODS, '');
    for (const p of pods.items) {
      if (p.metadata.annotations?.[FARGATE_PROFILE_ANNOTATION] !== r.fargateProfileName || p.metadata.deletionTimestamp) continue;
      await cp.client.delete(PODS, p.metadata.namespace as string, p.metadata.name as string).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    }
  }

  private background(id: string, work: () => Promise<void>): void {
    this.busy.add(id);
    const p = work().catch((e) => this.o.onError?.(`fargate profile ${id}`, e)).finally(() => this.busy.delete(id))
      .then(() => this.refresh(id)).then(() => this.schedule(id)).catch((e) => this.o.onError?.(`fargate profile ${id}`, e));
    this.tasks.add(p);
    void p.finally(() => this.tasks.delete(p));
  }

  private schedule(id: string): void {
    const r = this.table.get(id);
    if (!r || (r.status !== 'CREATING' && r.status !== 'DELETING')) return;
    const wait = (r.readyAt ?? 0) - this.o.clock.now();
    if (wait > 0) this.o.clock.setTimeout(() => void this.refresh(id).catch((e) => this.o.onError?.(`fargate profile ${id}`, e)), wait);
  }

  /** CREATING → ACTIVE, DELETING → gone, once readyAt passed (and, for deletes, the pods are gone). */
  private async refresh(id: string): Promise<void> {
    const r = this.table.get(id);
    if (!r || (r.readyAt ?? 0) > this.o.clock.now()) return;
    if (r.status === 'CREATING') {
      const next: FargateProfileRecord = { ...r, status: 'ACTIVE' };
      delete next.readyAt;
      await this.table.put(id, next);
    } else if (r.status === 'DELETING' && !this.busy.has(id)) {
      await this.table.delete(id);
    }
  }
}

export async function fargateRoutes(deps: FargateServiceOptions): Promise<FargatePart> {
  const s = await FargateProfileService.open(deps);
  const routes: RestJsonRoute[] = [
    { method: 'POST', path: '/clusters/{name}/fargate-profiles', operation: 'CreateFargateProfile', handler: (req, ctx) => s.create(ctx.caller.accountId, ctx.region, req.params.name, req.body) },
    { method: 'GET', path: '/clusters/{name}/fargate-profiles', operation: 'ListFargateProfiles', handler: (req, ctx) => s.list(ctx.caller.accountId, ctx.region, req.params.name, req.query) },
    { method: 'GET', path: '/clusters/{name}/fargate-profiles/{fargateProfileName}', operation: 'DescribeFargateProfile', handler: (req, ctx) => s.describe(ctx.caller.accountId, ctx.region, req.params.name, req.params.fargateProfileName) },
    { method: 'DELETE', path: '/clusters/{name}/fargate-profiles/{fargateProfileName}', operation: 'DeleteFargateProfile', handler: (req, ctx) => s.delete(ctx.caller.accountId, ctx.region, req.params.name, req.params.fargateProfileName) },
  ];
  return {
    routes, service: s,
    deleteFargateProfiles: (a, r, c) => s.deleteFargateProfiles(a, r, c),
    profilesFor: (a, r, c) => s.profilesFor(a, r, c),
    profilesForCluster: (c) => s.profilesForClusterName(c),
    taggable: { resourceType: 'fargateprofile', tags: (arn) => s.tags(arn), setTags: (arn, tags) => s.setTags(arn, tags) },
  };
}
