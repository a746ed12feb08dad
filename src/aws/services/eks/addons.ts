/**
 * EKS managed add-ons (table `eks-addons`, id `<account>/<region>/<cluster>/<addon>`): CreateAddon
 * applies the add-on's objects to kube-system through the control plane's client
 * (addon-manifests.ts), DeleteAddon removes them unless `?preserve=true`, UpdateAddon re-applies
 * them and records an AddonUpdate (DescribeUpdate with `?addonName=`). Lifecycle CREATING →
 * ACTIVE, UPDATING → ACTIVE, DELETING → gone, instant by default (ACTIVE by the next Describe),
 * real durations × timing.scale otherwise; an apply conflict leaves CREATE_FAILED / DEGRADED with a
 * ConfigurationConflict health issue, as EKS reports it. Messages as real EKS
 * (aws-api-surface.md §2.6).
 */
import { randomUUID } from 'node:crypto';
import type { StateTable } from '../../core/state.js';
import { keyOf, type ClusterRecord } from './cluster-record.js';
import type { ClusterStore } from './clusters.js';
import type { UpdateStore } from './updates.js';
import { addonSpec, defaultAddonVersion, isCompatible } from './addon-catalog.js';
import { addonManifests, type ManifestObject } from './addon-manifests.js';
import { applyManifests, deleteManifests, type ResolveConflicts } from './addon-apply.js';
import { ROLE_ARN_RE } from './cluster-create.js';
import { invalidParameter, invalidRequest, resourceInUse, resourceNotFound } from './errors.js';
import { optString, optTags, oneOf, reqString, type Body } from './params.js';
import type { EksUpdate } from './model.js';
import { yaml } from '../../../util/yaml.js';

export type AddonStatus = 'CREATING' | 'ACTIVE' | 'CREATE_FAILED' | 'UPDATING' | 'DELETING' | 'DELETE_FAILED' | 'DEGRADED' | 'UPDATE_FAILED';

export interface AddonRecord {
  clusterKey: string;
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status: AddonStatus;
  addonArn: string;
  createdAt: number;
  modifiedAt: number;
  serviceAccountRoleArn?: string;
  configurationValues?: string;
  resolveConflicts?: ResolveConflicts;
  tags: Record<string, string>;
  issues: Array<{ code: string; message: string; resourceIds: string[] }>;
  owner: string;
  publisher: string;
  clientRequestToken?: string;
  /** CREATING/UPDATING → ACTIVE at this epoch ms. */
  activeAt?: number;
  /** DELETING → gone at this epoch ms. */
  deleteAt?: number;
  preserve?: boolean;
}

const RESOLVE = ['OVERWRITE', 'NONE', 'PRESERVE'] as const;

export const addonNotFound = (cluster: string, addon: string) =>
  resourceNotFound(`No addon: ${addon} found in cluster: ${cluster}`, { clusterName: cluster, addonName: addon });

/** configurationValues: a JSON or YAML object (EKS validates it against the add-on's schema). */
export function parseConfigurationValues(text: string | undefined, f: { clusterName: string; addonName: string }): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let v: unknown;
  try { v = JSON.parse(text); } catch {
    try { v = yaml().parse(text); } catch (e) { throw invalidParameter(`ConfigurationValue provided in request is not supported: Json schema validation failed with error: ${(e as Error).message}`, f); }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParameter('ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$: string found, object expected]', f);
  return v as Record<string, unknown>;
}

export interface AddonStoreOptions {
  table: StateTable<AddonRecord>;
  clusters: ClusterStore;
  updates: UpdateStore;
  onError?: (err: unknown, what: string) => void;
}

export class AddonStore {
  constructor(private readonly o: AddonStoreOptions) {
    o.clusters.addSettler((rec, now) => this.settle(rec, now));
    o.clusters.onDeleting((rec) => this.dropAll(rec));
  }

  private id(ck: string, name: string): string { return `${ck}/${name}`; }
  get now(): number { return this.o.clusters.now; }

  of(rec: ClusterRecord): AddonRecord[] {
    const k = keyOf(rec);
    return this.o.table.values().filter((a) => a.clusterKey === k).sort((a, b) => a.addonName.localeCompare(b.addonName));
  }

  get(rec: ClusterRecord, name: string): AddonRecord | undefined { return this.o.table.get(this.id(keyOf(rec), name)); }

  require(rec: ClusterRecord, name: string): AddonRecord {
    const a = this.get(rec, name);
    if (!a) throw addonNotFound(rec.name, name);
    return a;
  }

  byArn(arn: string): AddonRecord | undefined { return this.o.table.values().find((a) => a.addonArn === arn); }
  save(a: AddonRecord): Promise<void> { return this.o.table.put(this.id(a.clusterKey, a.addonName), a); }

  private manifests(rec: ClusterRecord, a: AddonRecord): ManifestObject[] {
    return addonManifests({
      addonName: a.addonName, addonVersion: a.addonVersion, region: rec.region, clusterName: rec.name,
      serviceIpv4Cidr: rec.kubernetesNetworkConfig.serviceIpv4Cidr, serviceAccountRoleArn: a.serviceAccountRoleArn,
      config: parseConfigurationValues(a.configurationValues, { clusterName: rec.name, addonName: a.addonName }),
    });
  }

  /** Applies the objects; a failure becomes the add-on's health issue and `failed` status. */
  private async applyTo(rec: ClusterRecord, a: AddonRecord, failed: AddonStatus): Promise<AddonRecord> {
    const cp = this.o.clusters.controlPlane(rec.name);
    if (!cp) return { ...a, status: failed, issues: [{ code: 'ClusterUnreachable', message: 'The cluster control plane is not running.', resourceIds: [] }] };
    try {
      await applyManifests(cp.client, this.manifests(rec, a), a.resolveConflicts ?? 'OVERWRITE');
      return { ...a, issues: [] };
    } catch (e) {
      this.o.onError?.(e, `apply add-on ${a.addonName} to ${rec.name}`);
      return { ...a, status: failed, issues: [{ code: 'ConfigurationConflict', message: (e as Error).message, resourceIds: [] }] };
    }
  }

  async create(rec: ClusterRecord, body: Body): Promise<AddonRecord> {
    const addonName = reqString(body, 'addonName', { clusterName: rec.name });
    const f = { clusterName: rec.name, addonName };
    if (rec.status !== 'ACTIVE' && rec.status !== 'UPDATING') throw invalidRequest(`Cluster '${rec.name}' is not in ACTIVE status`, f);
    const spec = addonSpec(addonName);
    if (!spec) throw invalidParameter('Addon specified is not supported', f);
    const token = optString(body, 'clientRequestToken', f);
    const existing = this.get(rec, addonName);
    if (existing) {
      if (token && existing.clientRequestToken === token) return existing;
      throw resourceInUse('Addon already exists.', f);
    }
    const addonVersion = optString(body, 'addonVersion', f) ?? defaultAddonVersion(spec, rec.version);
    if (!addonVersion || !isCompatible(spec, addonVersion, rec.version)) throw invalidParameter('Addon version specified is not supported', f);
    const serviceAccountRoleArn = optString(body, 'serviceAccountRoleArn', f);
    if (serviceAccountRoleArn !== undefined && !ROLE_ARN_RE.test(serviceAccountRoleArn)) throw invalidParameter(`Invalid Role Arn: '${serviceAccountRoleArn}'`, f);
    const configurationValues = optString(body, 'configurationValues', f);
    parseConfigurationValues(configurationValues, f);
    const resolveConflicts = oneOf(optString(body, 'resolveConflicts', f), RESOLVE, 'resolveConflicts', f);
    const now = this.now;
    let a: AddonRecord = {
      clusterKey: keyOf(rec), clusterName: rec.name, addonName, addonVersion, status: 'CREATING',
      addonArn: `arn:aws:eks:${rec.region}:${rec.accountId}:addon/${rec.name}/${addonName}/${randomUUID()}`,
      createdAt: now, modifiedAt: now, tags: optTags(body, 'tags', f) ?? {}, issues: [], owner: spec.owner, publisher: spec.publisher,
      ...(serviceAccountRoleArn ? { serviceAccountRoleArn } : {}), ...(configurationValues ? { configurationValues } : {}),
      ...(resolveConflicts ? { resolveConflicts } : {}), ...(token ? { clientRequestToken: token } : {}),
      activeAt: now + this.o.clusters.delay('addonCreate'),
    };
    const answer = { ...a };
    a = await this.applyTo(rec, a, 'CREATE_FAILED');
    await this.save(a);
    this.o.clusters.schedule(keyOf(rec), Math.max(0, (a.activeAt ?? now) - now));
    return answer;
  }

  async update(rec: ClusterRecord, name: string, body: Body): Promise<EksUpdate> {
    const f = { clusterName: rec.name, addonName: name };
    const cur = this.require(rec, name);
    if (cur.status === 'UPDATING' || cur.status === 'CREATING' || cur.status === 'DELETING') throw resourceInUse(`Addon ${name} cannot be updated as it is currently in ${cur.status} state`, f);
    const spec = addonSpec(name);
    const params: EksUpdate['params'] = [];
    const addonVersion = optString(body, 'addonVersion', f);
    if (addonVersion !== undefined) {
      if (!spec || !isCompatible(spec, addonVersion, rec.version)) throw invalidParameter('Addon version specified is not supported', f);
      params.push({ type: 'AddonVersion', value: addonVersion });
    }
    const role = optString(body, 'serviceAccountRoleArn', f);
    if (role !== undefined) {
      if (role !== '' && !ROLE_ARN_RE.test(role)) throw invalidParameter(`Invalid Role Arn: '${role}'`, f);
      params.push({ type: 'ServiceAccountRoleArn', value: role });
    }
    const resolve = oneOf(optString(body, 'resolveConflicts', f), RESOLVE, 'resolveConflicts', f);
    if (resolve) params.push({ type: 'ResolveConflicts', value: resolve });
    const config = optString(body, 'configurationValues', f);
    if (config !== undefined) { parseConfigurationValues(config, f); params.push({ type: 'ConfigurationValues', value: config }); }
    const now = this.now;
    const wait = this.o.clusters.delay('addonUpdate');
    const update: EksUpdate = { id: randomUUID(), status: 'InProgress', type: 'AddonUpdate', params, createdAt: now / 1000, errors: [] };
    let next: AddonRecord = {
      ...cur, status: 'UPDATING', modifiedAt: now, activeAt: now + wait,
      ...(addonVersion ? { addonVersion } : {}), ...(resolve ? { resolveConflicts: resolve } : {}),
      ...(config !== undefined ? { configurationValues: config } : {}),
    };
    if (role !== undefined) { if (role) next.serviceAccountRoleArn = role; else delete next.serviceAccountRoleArn; }
    next = await this.applyTo(rec, next, 'UPDATE_FAILED');
    await this.o.updates.put({ clusterKey: keyOf(rec), addonName: name, update, dueAt: now + wait });
    await this.save(next);
    this.o.clusters.schedule(keyOf(rec), wait);
    return update;
  }

  async delete(rec: ClusterRecord, name: string, preserve: boolean): Promise<AddonRecord> {
    const cur = this.require(rec, name);
    const wait = this.o.clusters.delay('addonDelete');
    const next: AddonRecord = { ...cur, status: 'DELETING', modifiedAt: this.now, deleteAt: this.now + wait, preserve };
    delete next.activeAt;
    await this.save(next);
    if (wait === 0) await this.remove(rec, next);
    else this.o.clusters.schedule(keyOf(rec), wait);
    return next;
  }

  private async remove(rec: ClusterRecord, a: AddonRecord): Promise<void> {
    const cp = this.o.clusters.controlPlane(rec.name);
    if (cp && !a.preserve) {
      try { await deleteManifests(cp.client, this.manifests(rec, a)); } catch (e) { this.o.onError?.(e, `delete add-on ${a.addonName} objects`); }
    }
    await this.o.table.delete(this.id(a.clusterKey, a.addonName));
    await this.o.updates.deleteAll(a.clusterKey, { addonName: a.addonName });
  }

  /** The status a reader sees now (CREATING/UPDATING turn ACTIVE at activeAt). */
  statusOf(a: AddonRecord): AddonStatus {
    if ((a.status === 'CREATING' || a.status === 'UPDATING') && a.activeAt !== undefined && this.now >= a.activeAt) return 'ACTIVE';
    return a.status;
  }

  /** Cluster settler: persists due add-on transitions and completes due AddonUpdates. */
  private async settle(rec: ClusterRecord, now: number): Promise<ClusterRecord> {
    for (const a of this.of(rec)) {
      if (a.status === 'DELETING' && (a.deleteAt ?? 0) <= now) { await this.remove(rec, a); continue; }
      const s = this.statusOf(a);
      if (s !== a.status) { const n = { ...a, status: s }; delete n.activeAt; await this.save(n); }
    }
    for (const a of this.of(rec)) {
      for (const u of this.o.updates.of(keyOf(rec), { addonName: a.addonName })) {
        if (u.update.status === 'InProgress' && (u.dueAt ?? 0) <= now) {
          const failed = a.status === 'UPDATE_FAILED';
          await this.o.updates.put({ ...u, update: { ...u.update, status: failed ? 'Failed' : 'Successful', errors: failed ? a.issues.map((i) => ({ errorCode: i.code, errorMessage: i.message, resourceIds: i.resourceIds })) : [] } });
        }
      }
    }
    return rec;
  }

  private async dropAll(rec: ClusterRecord): Promise<void> {
    for (const a of this.of(rec)) await this.o.table.delete(this.id(a.clusterKey, a.addonName));
  }
}

export function addonToWire(a: AddonRecord, status: AddonStatus): Record<string, unknown> {
  return {
    addonName: a.addonName, clusterName: a.clusterName, status, addonVersion: a.addonVersion,
    health: { issues: a.issues }, addonArn: a.addonArn, createdAt: a.createdAt / 1000, modifiedAt: a.modifiedAt / 1000,
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
    tags: a.tags, publisher: a.publisher, owner: a.owner,
    ...(a.configurationValues ? { configurationValues: a.configurationValues } : {}),
  };
}
