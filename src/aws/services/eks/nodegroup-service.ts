/**
 * EKS managed node groups: Create / Describe / List / UpdateNodegroupConfig /
 * UpdateNodegroupVersion / Delete over the `eks-nodegroups` state table.
 *
 * Ownership as on AWS: a node group owns an Auto Scaling group (`eks-<ng>-<uuid>`, tagged for
 * the Cluster Autoscaler) created through AutoScalingBackend, which owns the EC2 instances that
 * register as Nodes (src/cluster/node-registrar.ts asks nodegroupForInstance() for the labels and
 * taints). The ASG is the single source of truth for sizes: DescribeNodegroup's scalingConfig is
 * read from it, so `aws autoscaling set-desired-capacity` shows up in desiredSize.
 *
 * Lifecycle: CREATING → ACTIVE, UPDATING → ACTIVE, DELETING → gone. Each transition finishes
 * when its work is done and its configured delay (default 0: by the next Describe) has passed;
 * the Update records (ConfigUpdate, VersionUpdate) go InProgress → Successful (or Failed with the
 * error) at the same moment. Work left unfinished by a restart is resumed on open().
 */
import { randomUUID } from 'node:crypto';
import type { AutoScalingBackend, AwsServiceDeps, Ec2Backend, InstanceInfo } from '../../core/backends.js';
import type { StateTable } from '../../core/state.js';
import type { ClusterLookup, EksClusterView, EksUpdate, UpdateLog } from './model.js';
import {
  epochSeconds, invalidParameter, optObject, optString, paginate, requireActive, requireCluster, resourceInUse, resourceNotFound,
} from './nodegroup-common.js';
import {
  amiIdFor, checkReleaseVersion, defaultReleaseVersion, kubeletVersionFor, launchTemplateIdFor, nodeConfigOf, parseCreateNodegroup,
  securityGroupIdFor, type NodegroupNodeConfig, type NodegroupRecord, type ScalingConfig,
} from './nodegroup-input.js';

export type { NodegroupNodeConfig };
import { applyToNodegroupNodes } from './nodegroup-nodes.js';
import { nodegroupToWire, parseConfigUpdate } from './nodegroup-update-input.js';
import { addAwsAuthRole, nodeRoleEntry, removeAwsAuthRole, type NodeAccessEntries } from './nodegroup-aws-auth.js';

export interface NodegroupDelays {
  /** CREATING → ACTIVE after the ASG exists (default 0). Realistic: ~3 min. */
  createMs?: number;
  /** UPDATING → ACTIVE after the change is applied (default 0). */
  updateMs?: number;
  /** DELETING → gone after the ASG is deleted (default 0). */
  deleteMs?: number;
}

/** Real EKS durations (observed: a managed node group takes ~3 min to create, ~4 to delete). */
export const REAL_NODEGROUP_DELAYS_MS = { createMs: 3 * 60_000, updateMs: 2 * 60_000, deleteMs: 4 * 60_000 } as const;

/** Delays for a time scale (0 = instant, 1 = real EKS, 0.01 = 100× faster), as the cluster part's timing.scale. */
export function scaledNodegroupDelays(scale: number): NodegroupDelays {
  return { createMs: REAL_NODEGROUP_DELAYS_MS.createMs * scale, updateMs: REAL_NODEGROUP_DELAYS_MS.updateMs * scale, deleteMs: REAL_NODEGROUP_DELAYS_MS.deleteMs * scale };
}

export interface NodegroupServiceOptions extends AwsServiceDeps {
  clusters: ClusterLookup;
  updates: UpdateLog;
  asg: AutoScalingBackend;
  ec2: Ec2Backend;
  /** Instance types nodes can be (the simulator's table); unknown types are refused when given. */
  knownInstanceType?: (name: string) => boolean;
  delays?: NodegroupDelays;
  /** API-mode clusters: the access entry EKS creates for the node role (Eks.clusters). */
  nodeAccess?: NodeAccessEntries;
  onError?: (what: string, err: unknown) => void;
}

export const NODEGROUP_TABLE = 'eks-nodegroups';

function recordId(accountId: string, region: string, cluster: string, ng: string): string {
  return `${accountId}/${region}/${cluster}/${ng}`;
}

function noNodegroup(cluster: string, ng: string): Error {
  return resourceNotFound(`No node group found for name: ${ng}.`, { clusterName: cluster, nodegroupName: ng });
}

export class NodegroupService {
  private readonly o: NodegroupServiceOptions;
  private readonly table: StateTable<NodegroupRecord>;
  /** Records with work in flight (they do not turn ACTIVE / disappear before it ends). */
  private readonly busy = new Set<string>();
  private readonly reserved = new Set<string>();
  private readonly tasks = new Set<Promise<void>>();

  private constructor(o: NodegroupServiceOptions, table: StateTable<NodegroupRecord>) {
    this.o = o;
    this.table = table;
  }

  /** Loads the table and resumes work a restart interrupted (deletions, pending transitions). */
  static async open(o: NodegroupServiceOptions): Promise<NodegroupService> {
    const s = new NodegroupService(o, await o.state.table<NodegroupRecord>(NODEGROUP_TABLE));
    for (const r of s.table.values()) {
      const id = recordId(r.accountId, r.region, r.clusterName, r.nodegroupName);
      if (r.status === 'DELETING') s.background(id, () => s.runDelete(id));
      else if (r.status === 'CREATING' || r.status === 'UPDATING') s.scheduleFinalize(id);
    }
    return s;
  }

  /** Resolves when no background work (ASG changes, drains, transitions) is in flight. */
  async idle(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  // ---- reads ----------------------------------------------------------------------------------

  nodegroupNames(accountId: string, region: string, cluster: string): string[] {
    const prefix = `${accountId}/${region}/${cluster}/`;
    return this.table.values().filter((r) => recordId(r.accountId, r.region, r.clusterName, r.nodegroupName).startsWith(prefix)).map((r) => r.nodegroupName);
  }

  /** The node group an instance belongs to (tags eks:cluster-name + eks:nodegroup-name), for its Node. */
  nodegroupForInstance(instance: Pick<InstanceInfo, 'accountId' | 'region' | 'tags'>): NodegroupNodeConfig | undefined {
    const cluster = instance.tags['eks:cluster-name'];
    const ng = instance.tags['eks:nodegroup-name'];
    if (!cluster || !ng) return undefined;
    const r = this.table.get(recordId(instance.accountId, instance.region, cluster, ng));
    if (!r) return undefined;
    return nodeConfigOf(r);
  }

  /** A node group by ARN (for the tagging API). */
  byArn(arn: string): NodegroupRecord | undefined {
    return this.table.values().find((r) => r.arn === arn);
  }

  /** EksTaggable: the tags of a nodegroup ARN (undefined when it names nothing). */
  tags(arn: string): Record<string, string> | undefined {
    const r = this.byArn(arn);
    return r ? { ...r.tags } : undefined;
  }

  /** EksTaggable: replaces the tag set of a nodegroup ARN (a no-op when it names nothing). */
  async setTags(arn: string, tags: Record<string, string>): Promise<void> {
    const r = this.byArn(arn);
    if (r) await this.table.put(recordId(r.accountId, r.region, r.clusterName, r.nodegroupName), { ...r, tags: { ...tags } });
  }


  async describe(accountId: string, region: string, cluster: string, ng: string): Promise<Record<string, unknown>> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const id = recordId(accountId, region, cluster, ng);
    await this.finalize(id);
    const r = this.table.get(id);
    if (!r) throw noNodegroup(cluster, ng);
    return { nodegroup: this.wire(r) };
  }

  list(accountId: string, region: string, cluster: string, query: URLSearchParams): Record<string, unknown> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const page = paginate(this.nodegroupNames(accountId, region, cluster), query);
    return { nodegroups: page.items, nextToken: page.nextToken };
  }

  /** DescribeNodegroup's shape; scalingConfig from the ASG (the source of truth). */
  wire(r: NodegroupRecord): Record<string, unknown> {
    return nodegroupToWire(r, this.o.asg.group(r.region, r.asgName));
  }

  // ---- create ---------------------------------------------------------------------------------

  async create(accountId: string, region: string, clusterName: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = requireCluster(this.o.clusters, accountId, region, clusterName);
    const ngName = optString(body, 'nodegroupName');
    const id = recordId(accountId, region, clusterName, ngName ?? '');
    const existing = ngName ? this.table.get(id) : undefined;
    const token = optString(body, 'clientRequestToken');
    if (existing && token && existing.clientRequestToken === token) return { nodegroup: this.wire(existing) };
    if (ngName && (existing || this.reserved.has(id))) {
      throw resourceInUse(`NodeGroup already exists with name ${ngName} and cluster name ${clusterName}`, { clusterName, nodegroupName: ngName });
    }
    requireActive(c);
    const input = parseCreateNodegroup(body, this.o.knownInstanceType);
    const version = input.version ?? c.version;
    if (version !== c.version) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Allowed Nodegroup version is ${c.version}.`); // [inferred]
    const releaseVersion = input.releaseVersion ?? defaultReleaseVersion(version);
    checkReleaseVersion(releaseVersion, version);
    this.checkSubnets(c, input.subnets);
    const uuid = randomUUID();
    const now = this.o.clock.now();
    const asgName = `eks-${input.nodegroupName}-${uuid}`;
    const record: NodegroupRecord = {
      accountId, region, clusterName, nodegroupName: input.nodegroupName, uuid,
      arn: `arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/${input.nodegroupName}/${uuid}`,
      status: 'CREATING', createdAt: now, modifiedAt: now, readyAt: now + (this.o.delays?.createMs ?? 0),
      version, releaseVersion, capacityType: input.capacityType, instanceTypes: input.instanceTypes, subnets: input.subnets,
      amiType: input.amiType, nodeRole: input.nodeRole, labels: input.labels, taints: input.taints,
      ...(input.diskSize !== undefined ? { diskSize: input.diskSize } : {}),
      ...(input.remoteAccess ? { remoteAccess: input.remoteAccess } : {}),
      ...(input.launchTemplate ? { launchTemplate: { ...input.launchTemplate, version: input.launchTemplate.version ?? '1' } } : {}),
      updateConfig: input.updateConfig,
      ...(input.nodeRepairConfig ? { nodeRepairConfig: input.nodeRepairConfig } : {}),
      tags: input.tags,
      ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
      asgName,
      sourceLaunchTemplateId: input.launchTemplate?.id ?? launchTemplateIdFor(input.launchTemplate?.name ?? `${accountId}/${region}/${uuid}`),
      sourceLaunchTemplateVersion: input.launchTemplate?.version ?? '1',
      imageId: amiIdFor(region, input.amiType, releaseVersion),
      scaling: input.scaling,
      health: { issues: [] },
    };
    this.reserved.add(id);
    try {
      if (input.remoteAccess && !input.remoteAccess.sourceSecurityGroups?.length) record.remoteAccessSecurityGroup = await this.remoteAccessGroup(c, record);
      // The record exists before the ASG launches instances, so their Nodes find its labels and taints.
      await this.table.put(id, record);
      await this.mapNodeRole(c, record);
      this.busy.add(id);
      try {
        await this.o.asg.createGroup({
          region, accountId, name: asgName, minSize: input.scaling.minSize, maxSize: input.scaling.maxSize, desiredCapacity: input.scaling.desiredSize,
          instanceType: input.instanceTypes[0], imageId: record.imageId, subnetIds: input.subnets,
          tags: {
            'eks:cluster-name': clusterName, 'eks:nodegroup-name': input.nodegroupName,
            'k8s.io/cluster-autoscaler/enabled': 'true', [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
            [`kubernetes.io/cluster/${clusterName}`]: 'owned',
          },
        });
      } catch (e) {
        await this.table.delete(id);
        throw e;
      } finally {
        this.busy.delete(id);
      }
    } finally {
      this.reserved.delete(id);
    }
    this.scheduleFinalize(id);
    return { nodegroup: this.wire(record) };
  }

  /** EKS lets the node role join: aws-auth (CONFIG_MAP, API_AND_CONFIG_MAP) and/or an EC2 access entry (API modes). */
  private async mapNodeRole(c: EksClusterView, r: NodegroupRecord): Promise<void> {
    try {
      const cp = this.o.clusters.controlPlane(c.name);
      if (cp && c.authenticationMode !== 'API') await addAwsAuthRole(cp.client, nodeRoleEntry(r.nodeRole));
      if (c.authenticationMode !== 'CONFIG_MAP') await this.o.nodeAccess?.ensureNodeAccessEntry(r.accountId, r.region, r.clusterName, r.nodeRole, r.amiType.startsWith('WINDOWS') ? 'EC2_WINDOWS' : 'EC2_LINUX');
    } catch (e) {
      this.o.onError?.(`nodegroup ${r.nodegroupName}: node role mapping`, e);
    }
  }

  private checkSubnets(c: EksClusterView, subnets: string[]): void {
    for (const s of subnets) {
      const info = this.o.ec2.subnet(c.region, s);
      if (!info) throw invalidParameter(`The subnet ID '${s}' does not exist`); // [inferred: EC2's wording]
      if (c.vpcId && info.vpcId !== c.vpcId) throw invalidParameter(`Subnet ${s} is not in the same VPC as the cluster (${c.vpcId})`); // [inferred]
    }
  }

  private async remoteAccessGroup(c: EksClusterView, r: NodegroupRecord): Promise<string> {
    const vpcId = c.vpcId || this.o.ec2.subnet(c.region, r.subnets[0])?.vpcId || '';
    try {
      return await this.o.ec2.createSecurityGroup({
        region: r.region, accountId: r.accountId, vpcId, name: `eks-remoteAccess-${r.uuid}`,
        description: 'Security group for all nodes in the nodeGroup to allow SSH access',
        tags: { 'eks:cluster-name': r.clusterName, 'eks:nodegroup-name': r.nodegroupName },
      });
    } catch {
      return securityGroupIdFor(r.uuid);
    }
  }

  // ---- updates --------------------------------------------------------------------------------

  private async requireUpdatable(accountId: string, region: string, cluster: string, ng: string): Promise<NodegroupRecord> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const id = recordId(accountId, region, cluster, ng);
    await this.finalize(id);
    const r = this.table.get(id);
    if (!r) throw noNodegroup(cluster, ng);
    if (r.status === 'UPDATING' && r.pendingUpdate) {
      throw resourceInUse(`Cannot update because nodegroup ${ng} currently has update ${r.pendingUpdate.id} in progress`, { clusterName: cluster, nodegroupName: ng }); // [inferred]
    }
    if (r.status !== 'ACTIVE' && r.status !== 'DEGRADED') {
      throw resourceInUse(`Nodegroup ${ng} is currently in ${r.status} status and cannot be updated`, { clusterName: cluster, nodegroupName: ng }); // [inferred]
    }
    return r;
  }

  async updateConfig(accountId: string, region: string, cluster: string, ng: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await this.requireUpdatable(accountId, region, cluster, ng);
    const g = this.o.asg.group(region, r.asgName);
    const current: ScalingConfig = g ? { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredCapacity } : r.scaling;
    const { params, change, scaling, updateConfig, repair, labels: nextLabels, taints: nextTaints } = parseConfigUpdate(body, r, current);
    const update = this.newUpdate('ConfigUpdate', params);
    const id = recordId(accountId, region, cluster, ng);
    const now = this.o.clock.now();
    await this.table.put(id, {
      ...r, status: 'UPDATING', modifiedAt: now, readyAt: now + (this.o.delays?.updateMs ?? 0), pendingUpdate: update,
      labels: nextLabels, taints: nextTaints, ...(updateConfig ? { updateConfig } : {}), ...(scaling ? { scaling } : {}),
      ...(repair ? { nodeRepairConfig: { enabled: repair.enabled === true } } : {}),
    });
    await this.o.updates.record({ accountId, region, cluster }, { nodegroupName: ng }, update);
    this.background(id, async () => {
      if (scaling) await this.o.asg.updateGroup(region, r.asgName, { minSize: scaling.minSize, maxSize: scaling.maxSize, desiredCapacity: scaling.desiredSize });
      const cp = this.o.clusters.controlPlane(cluster);
      if (cp && (change.labelsToAdd || change.labelsToRemove || change.taintsToAdd || change.taintsToRemove)) await applyToNodegroupNodes(cp.client, ng, change);
    });
    return { update };
  }

  async updateVersion(accountId: string, region: string, cluster: string, ng: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = requireCluster(this.o.clusters, accountId, region, cluster);
    const r = await this.requireUpdatable(accountId, region, cluster, ng);
    const version = optString(body, 'version') ?? c.version;
    if (version !== c.version && version !== r.version) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Allowed Nodegroup version is ${c.version}.`); // [inferred]
    const releaseVersion = optString(body, 'releaseVersion') ?? defaultReleaseVersion(version);
    checkReleaseVersion(releaseVersion, version);
    const lt = optObject(body, 'launchTemplate');
    if (lt && !r.launchTemplate) throw invalidParameter('A launch template can only be specified for node groups created with a launch template'); // [inferred]
    const params = [{ type: 'Version', value: version }, { type: 'ReleaseVersion', value: releaseVersion }];
    const update = this.newUpdate('VersionUpdate', params);
    const id = recordId(accountId, region, cluster, ng);
    const now = this.o.clock.now();
    const ltVersion = lt ? (optString(lt, 'version') ?? r.sourceLaunchTemplateVersion) : r.sourceLaunchTemplateVersion;
    await this.table.put(id, {
      ...r, status: 'UPDATING', modifiedAt: now, readyAt: now + (this.o.delays?.updateMs ?? 0), pendingUpdate: update,
      version, releaseVersion, imageId: amiIdFor(region, r.amiType, releaseVersion), sourceLaunchTemplateVersion: ltVersion,
      ...(r.launchTemplate ? { launchTemplate: { ...r.launchTemplate, version: ltVersion } } : {}),
    });
    await this.o.updates.record({ accountId, region, cluster }, { nodegroupName: ng }, update);
    this.background(id, async () => {
      const cp = this.o.clusters.controlPlane(cluster);
      if (cp) await applyToNodegroupNodes(cp.client, ng, { kubeletVersion: kubeletVersionFor(releaseVersion) });
    });
    return { update };
  }

  private newUpdate(type: string, params: Array<{ type: string; value: string }>): EksUpdate {
    return { id: randomUUID(), status: 'InProgress', type, params, createdAt: epochSeconds(this.o.clock.now()), errors: [] };
  }

  // ---- delete ---------------------------------------------------------------------------------

  async delete(accountId: string, region: string, cluster: string, ng: string): Promise<Record<string, unknown>> {
    requireCluster(this.o.clusters, accountId, region, cluster);
    const id = recordId(accountId, region, cluster, ng);
    const r = this.table.get(id);
    if (!r) throw noNodegroup(cluster, ng);
    if (r.status === 'DELETING') return { nodegroup: this.wire(r) };
    const now = this.o.clock.now();
    const next: NodegroupRecord = { ...r, status: 'DELETING', modifiedAt: now, readyAt: now + (this.o.delays?.deleteMs ?? 0) };
    delete next.pendingUpdate;
    await this.table.put(id, next);
    const out = { nodegroup: this.wire(next) };
    this.background(id, () => this.runDelete(id));
    return out;
  }

  /** Deletes the ASG (its instances' Nodes are drained by the registrar), then the record once the delay passed. */
  private async runDelete(id: string): Promise<void> {
    const r = this.table.get(id);
    if (!r) return;
    try {
      if (this.o.asg.group(r.region, r.asgName)) await this.o.asg.deleteGroup(r.region, r.asgName);
      if (r.remoteAccessSecurityGroup) await this.o.ec2.deleteSecurityGroup(r.region, r.remoteAccessSecurityGroup).catch(() => undefined);
    } catch (e) {
      await this.table.put(id, { ...r, status: 'DELETE_FAILED', health: { issues: [{ code: 'AutoScalingGroupInvalidConfiguration', message: (e as Error).message, resourceIds: [r.asgName] }] } });
      throw e;
    }
    const sameRole = this.table.values().some((x) => x !== r && x.clusterName === r.clusterName && x.accountId === r.accountId && x.region === r.region && x.nodegroupName !== r.nodegroupName && x.nodeRole === r.nodeRole);
    const cp = this.o.clusters.controlPlane(r.clusterName);
    if (cp && !sameRole) await removeAwsAuthRole(cp.client, r.nodeRole).catch((e) => this.o.onError?.(`nodegroup ${r.nodegroupName}: aws-auth`, e));
    const wait = (r.readyAt ?? 0) - this.o.clock.now();
    if (wait > 0) await new Promise<void>((res) => this.o.clock.setTimeout(res, wait));
    await this.table.delete(id);
  }

  // ---- transitions ----------------------------------------------------------------------------

  private background(id: string, work: () => Promise<void>): void {
    this.busy.add(id);
    const p = (async () => {
      let failure: Error | undefined;
      try {
        await work();
      } catch (e) {
        failure = e as Error;
        this.o.onError?.(`nodegroup ${id}`, e);
      } finally {
        this.busy.delete(id);
      }
      await this.finalize(id, failure);
      this.scheduleFinalize(id);
    })().catch((e) => this.o.onError?.(`nodegroup ${id}`, e));
    this.tasks.add(p);
    void p.finally(() => this.tasks.delete(p));
  }

  private scheduleFinalize(id: string): void {
    const r = this.table.get(id);
    if (!r || (r.status !== 'CREATING' && r.status !== 'UPDATING')) return;
    const wait = (r.readyAt ?? 0) - this.o.clock.now();
    if (wait > 0) this.o.clock.setTimeout(() => void this.finalize(id).catch((e) => this.o.onError?.(`nodegroup ${id}`, e)), wait);
  }

  /** CREATING/UPDATING → ACTIVE once the work is done and readyAt passed; the pending Update completes with it. */
  private async finalize(id: string, failure?: Error): Promise<void> {
    const r = this.table.get(id);
    if (!r || (r.status !== 'CREATING' && r.status !== 'UPDATING') || this.busy.has(id)) return;
    if (!failure && (r.readyAt ?? 0) > this.o.clock.now()) return;
    const next: NodegroupRecord = { ...r, status: failure && r.status === 'CREATING' ? 'CREATE_FAILED' : 'ACTIVE', modifiedAt: this.o.clock.now() };
    delete next.readyAt;
    delete next.pendingUpdate;
    await this.table.put(id, next);
    if (r.pendingUpdate) {
      const done: EksUpdate = failure
        ? { ...r.pendingUpdate, status: 'Failed', errors: [{ errorCode: 'Unknown', errorMessage: failure.message, resourceIds: [r.nodegroupName] }] }
        : { ...r.pendingUpdate, status: 'Successful' };
      await this.o.updates.record({ accountId: r.accountId, region: r.region, cluster: r.clusterName }, { nodegroupName: r.nodegroupName }, done);
    }
  }
}
