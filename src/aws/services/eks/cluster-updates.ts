/**
 * UpdateClusterConfig and UpdateClusterVersion: each validates one kind of change, records an
 * InProgress Update (cluster UPDATING meanwhile) and applies the change when the update completes
 * (immediately after the answer by default; real duration × timing.scale otherwise). Rules and
 * texts as real EKS (aws-api-surface.md §2.3): one kind of change per call ("Only one type of
 * update can be allowed."), the endpoint no-op message, a concurrent update → ResourceInUse
 * "Cannot <Type> because cluster <n> currently has update <id> in progress", version only +1
 * minor ("Unsupported Kubernetes minor version update from X to Y"), access mode CONFIG_MAP → API
 * only through API_AND_CONFIG_MAP and never back to CONFIG_MAP.
 */
import { randomUUID } from 'node:crypto';
import type { AwsRequestContext } from '../../core/types.js';
import type { ControlPlanes, Ec2Backend } from '../../core/backends.js';
import type { ClusterStore } from './clusters.js';
import { applyEndpointAccess } from './clusters.js';
import { keyOf, type ClusterRecord } from './cluster-record.js';
import { AUTH_MODES, parseLogging, validCidr } from './cluster-create.js';
import { invalidParameter, invalidRequest, resourceInUse } from './errors.js';
import { optBool, optObject, optString, optStringList, oneOf, reqString, type Body } from './params.js';
import type { ClusterChange, UpdateRecord, UpdateStore } from './updates.js';
import type { EksUpdate } from './model.js';
import { PLATFORM_VERSIONS, isSupportedVersion, minorOf, type DelayKind } from './versions.js';

export interface ClusterUpdatesOptions {
  clusters: ClusterStore;
  updates: UpdateStore;
  controlPlanes: ControlPlanes;
  ec2: Ec2Backend;
  /**
   * Called when an AccessConfigUpdate takes a cluster out of CONFIG_MAP (EKS then gives the
   * creator an access entry, when bootstrapClusterCreatorAdminPermissions).
   */
  onAccessEntriesEnabled?: (rec: ClusterRecord) => Promise<void>;
}

const TYPE_OF: Record<ClusterChange['kind'], { type: string; delay: DelayKind }> = {
  endpoint: { type: 'EndpointAccessUpdate', delay: 'endpointAccessUpdate' },
  vpc: { type: 'VpcConfigUpdate', delay: 'endpointAccessUpdate' },
  logging: { type: 'LoggingUpdate', delay: 'loggingUpdate' },
  access: { type: 'AccessConfigUpdate', delay: 'accessConfigUpdate' },
  version: { type: 'VersionUpdate', delay: 'versionUpdate' },
};

/** Members of UpdateClusterConfig keks does not implement: refused loudly, never ignored. */
const UNSUPPORTED = ['upgradePolicy', 'zonalShiftConfig', 'computeConfig', 'kubernetesNetworkConfig', 'storageConfig', 'remoteNetworkConfig', 'deletionProtection', 'controlPlaneScalingConfig'];

export class ClusterUpdates {
  constructor(private readonly o: ClusterUpdatesOptions) {
    o.clusters.addSettler((rec, now) => this.completeDue(rec, now));
    o.clusters.onDeleting((rec) => o.updates.deleteAll(keyOf(rec)));
  }

  async updateConfig(ctx: AwsRequestContext, name: string, body: Body): Promise<{ update: EksUpdate }> {
    const f = { clusterName: name };
    const kinds = ['resourcesVpcConfig', 'logging', 'accessConfig', ...UNSUPPORTED].filter((k) => body[k] !== undefined && body[k] !== null);
    if (kinds.length > 1) throw invalidParameter('Only one type of update can be allowed.', f);
    if (kinds.length === 0) throw invalidParameter('No changes needed for the cluster configuration provided.', f);
    if (UNSUPPORTED.includes(kinds[0])) throw invalidParameter(`keks does not support updating ${kinds[0]} (supported: resourcesVpcConfig, logging, accessConfig)`, f);
    return this.o.clusters.withCluster(ctx, name, async (rec) => {
      this.checkUpdatable(rec);
      const change = this.changeOf(rec, kinds[0], body);
      return { update: await this.begin(rec, change, body) };
    });
  }

  async updateVersion(ctx: AwsRequestContext, name: string, body: Body): Promise<{ update: EksUpdate }> {
    const f = { clusterName: name };
    const version = reqString(body, 'version', f);
    return this.o.clusters.withCluster(ctx, name, async (rec) => {
      this.checkUpdatable(rec);
      if (minorOf(version) !== minorOf(rec.version) + 1 || !isSupportedVersion(version)) {
        throw invalidParameter(`Unsupported Kubernetes minor version update from ${rec.version} to ${version}`, f);
      }
      return { update: await this.begin(rec, { kind: 'version', version, platformVersion: PLATFORM_VERSIONS[version] }, body) };
    });
  }

  private checkUpdatable(rec: ClusterRecord): void {
    const f = { clusterName: rec.name };
    if (rec.status === 'UPDATING') {
      // The in-progress update is reported with the type of the *new* request, as EKS does.
      return;
    }
    if (rec.status !== 'ACTIVE') throw invalidRequest(`Cluster '${rec.name}' is not in ACTIVE status`, f);
  }

  private changeOf(rec: ClusterRecord, member: string, body: Body): ClusterChange {
    const f = { clusterName: rec.name };
    if (member === 'logging') {
      const logging = parseLogging(optObject(body, 'logging', f) as Body, rec.logging, rec.name);
      if (JSON.stringify(logging) === JSON.stringify(rec.logging)) throw invalidParameter('No changes needed for the logging config provided', f);
      return { kind: 'logging', logging };
    }
    if (member === 'accessConfig') {
      const ac = optObject(body, 'accessConfig', f) as Body;
      if (ac.bootstrapClusterCreatorAdminPermissions !== undefined) throw invalidParameter('bootstrapClusterCreatorAdminPermissions can only be set at cluster creation', f);
      const mode = oneOf(optString(ac, 'authenticationMode', f), AUTH_MODES, 'accessConfig.authenticationMode', f);
      if (!mode) throw invalidParameter('accessConfig.authenticationMode is required', f);
      const cur = rec.accessConfig.authenticationMode;
      if (mode === cur) throw invalidParameter(`Unsupported authentication mode update from ${cur} to ${mode}`, f);
      if (mode === 'CONFIG_MAP' || (cur === 'API' && mode === 'API_AND_CONFIG_MAP') || (cur === 'CONFIG_MAP' && mode === 'API')) {
        throw invalidParameter(`Unsupported authentication mode update from ${cur} to ${mode}`, f);
      }
      return { kind: 'access', authenticationMode: mode };
    }
    const vpc = optObject(body, 'resourcesVpcConfig', f) as Body;
    const subnetIds = optStringList(vpc, 'subnetIds', f);
    const securityGroupIds = optStringList(vpc, 'securityGroupIds', f);
    const pub = optBool(vpc, 'endpointPublicAccess', f);
    const priv = optBool(vpc, 'endpointPrivateAccess', f);
    const cidrs = optStringList(vpc, 'publicAccessCidrs', f);
    const endpointPart = pub !== undefined || priv !== undefined || cidrs !== undefined;
    if ((subnetIds || securityGroupIds) && endpointPart) throw invalidParameter('Only one type of update can be allowed.', f);
    if (subnetIds || securityGroupIds) {
      if (subnetIds) for (const id of subnetIds) {
        const s = this.o.ec2.subnet(rec.region, id);
        if (!s) throw invalidParameter(`The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`, f);
        if (s.vpcId !== rec.resourcesVpcConfig.vpcId) throw invalidParameter('Subnets specified must be in the same VPC', f);
      }
      return { kind: 'vpc', ...(subnetIds ? { subnetIds } : {}), ...(securityGroupIds ? { securityGroupIds } : {}) };
    }
    const cur = rec.resourcesVpcConfig;
    const next = { endpointPublicAccess: pub ?? cur.endpointPublicAccess, endpointPrivateAccess: priv ?? cur.endpointPrivateAccess, publicAccessCidrs: cidrs ?? cur.publicAccessCidrs };
    for (const c of next.publicAccessCidrs) if (!validCidr(c)) throw invalidParameter(`The following CIDRs are invalid in publicAccessCidrs: [${c}]`, f);
    if (!next.endpointPublicAccess && !next.endpointPrivateAccess) throw invalidParameter('Cluster must have at least one of endpointPublicAccess or endpointPrivateAccess enabled', f);
    if (next.endpointPublicAccess === cur.endpointPublicAccess && next.endpointPrivateAccess === cur.endpointPrivateAccess
      && JSON.stringify([...next.publicAccessCidrs].sort()) === JSON.stringify([...cur.publicAccessCidrs].sort())) {
      throw invalidParameter(`Cluster is already at the desired configuration with endpointPrivateAccess: ${cur.endpointPrivateAccess} , endpointPublicAccess: ${cur.endpointPublicAccess}, and Public Endpoint Restrictions: [${cur.publicAccessCidrs.join(', ')}]`, f);
    }
    return { kind: 'endpoint', ...next };
  }

  /** Records the InProgress update, marks the cluster UPDATING and schedules completion (under the cluster lock). */
  private async begin(rec: ClusterRecord, change: ClusterChange, body: Body): Promise<EksUpdate> {
    const { type, delay } = TYPE_OF[change.kind];
    const token = optString(body, 'clientRequestToken', { clusterName: rec.name });
    // The same clientRequestToken on the same cluster returns the update it already created.
    if (token) {
      const prior = this.o.updates.of(keyOf(rec)).find((u) => u.token === token);
      if (prior) return prior.update;
    }
    const running = this.o.updates.inProgress(keyOf(rec))[0];
    if (running) throw resourceInUse(`Cannot ${type} because cluster ${rec.name} currently has update ${running.update.id} in progress`, { clusterName: rec.name });
    const now = this.o.clusters.now;
    const update: EksUpdate = { id: randomUUID(), status: 'InProgress', type, params: paramsOf(change, body), createdAt: now / 1000, errors: [] };
    const wait = this.o.clusters.delay(delay);
    const r: UpdateRecord = { clusterKey: keyOf(rec), update, dueAt: now + wait, change, ...(token ? { token } : {}) };
    await this.o.updates.put(r);
    const updating: ClusterRecord = { ...rec, status: 'UPDATING' };
    await this.o.clusters.save(updating);
    // Default timing: the answer says InProgress, and the change is in place before the next
    // request (sign-in reads the new access mode at once). Real timing: a timer completes it.
    if (wait === 0) await this.completeDue(updating, now);
    else this.o.clusters.schedule(keyOf(rec), wait);
    return update;
  }

  /** Settler: completes due cluster updates, applies their changes, and returns the cluster to ACTIVE. */
  private async completeDue(rec: ClusterRecord, now: number): Promise<ClusterRecord> {
    const pending = this.o.updates.inProgress(keyOf(rec));
    let next = rec;
    let changed = false;
    for (const u of pending) {
      if ((u.dueAt ?? 0) > now) continue;
      if (u.change) {
        const before = next.accessConfig.authenticationMode;
        next = this.apply(next, u.change);
        if (before === 'CONFIG_MAP' && next.accessConfig.authenticationMode !== 'CONFIG_MAP') await this.o.onAccessEntriesEnabled?.(next);
      }
      await this.o.updates.put({ ...u, update: { ...u.update, status: 'Successful' } });
      changed = true;
    }
    if (next.status === 'UPDATING' && this.o.updates.inProgress(keyOf(rec)).length === 0) { next = { ...next, status: 'ACTIVE' }; changed = true; }
    if (changed) await this.o.clusters.save(next);
    return next;
  }

  private apply(rec: ClusterRecord, c: ClusterChange): ClusterRecord {
    switch (c.kind) {
      case 'endpoint': {
        const next = { ...rec, resourcesVpcConfig: { ...rec.resourcesVpcConfig, endpointPublicAccess: c.endpointPublicAccess, endpointPrivateAccess: c.endpointPrivateAccess, publicAccessCidrs: [...c.publicAccessCidrs] } };
        const cp = this.o.controlPlanes.get(rec.name);
        if (cp) applyEndpointAccess(cp, next);
        return next;
      }
      case 'vpc':
        return { ...rec, resourcesVpcConfig: { ...rec.resourcesVpcConfig, ...(c.subnetIds ? { subnetIds: [...c.subnetIds] } : {}), ...(c.securityGroupIds ? { securityGroupIds: [...c.securityGroupIds] } : {}) } };
      case 'logging':
        return { ...rec, logging: c.logging };
      case 'access':
        return { ...rec, accessConfig: { ...rec.accessConfig, authenticationMode: c.authenticationMode } };
      case 'version':
        return { ...rec, version: c.version, platformVersion: c.platformVersion };
    }
  }
}

/** The Update's params as EKS lists them (values are strings; lists and structures as JSON). */
function paramsOf(c: ClusterChange, body: Body): Array<{ type: string; value: string }> {
  switch (c.kind) {
    case 'endpoint': {
      const v = (body.resourcesVpcConfig ?? {}) as Body;
      const out: Array<{ type: string; value: string }> = [];
      if (v.endpointPublicAccess !== undefined) out.push({ type: 'EndpointPublicAccess', value: String(c.endpointPublicAccess) });
      if (v.endpointPrivateAccess !== undefined) out.push({ type: 'EndpointPrivateAccess', value: String(c.endpointPrivateAccess) });
      if (v.publicAccessCidrs !== undefined) out.push({ type: 'PublicAccessCidrs', value: JSON.stringify(c.publicAccessCidrs) });
      return out;
    }
    case 'vpc':
      return [...(c.subnetIds ? [{ type: 'Subnets', value: JSON.stringify(c.subnetIds) }] : []), ...(c.securityGroupIds ? [{ type: 'SecurityGroups', value: JSON.stringify(c.securityGroupIds) }] : [])];
    case 'logging':
      return [{ type: 'ClusterLogging', value: JSON.stringify(c.logging) }];
    case 'access':
      return [{ type: 'AuthenticationMode', value: c.authenticationMode }];
    case 'version':
      return [{ type: 'Version', value: c.version }, { type: 'PlatformVersion', value: c.platformVersion }];
  }
}
