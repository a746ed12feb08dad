/**
 * The EKS update log (table `eks-updates`): every Update of a cluster, node group or add-on,
 * served by DescribeUpdate and ListUpdates. An update belongs to a cluster and optionally to one
 * node group or add-on; DescribeUpdate/ListUpdates find node-group and add-on updates only with
 * `?nodegroupName=` / `?addonName=` (aws-api-surface.md §2.3; aws/aws-cli#10252).
 *
 * Cluster updates (UpdateClusterConfig / UpdateClusterVersion) also carry the change to apply
 * when they complete (`change`) and the time they complete (`dueAt`); cluster-updates.ts applies
 * them. Other parts record and replace theirs through the UpdateLog contract.
 */
import type { StateTable } from '../../core/state.js';
import type { EksUpdate, UpdateLog } from './model.js';
import type { ClusterLogging } from './cluster-record.js';
import type { AuthenticationMode } from './model.js';

/** What a cluster update changes when it completes. */
export type ClusterChange =
  | { kind: 'endpoint'; endpointPublicAccess: boolean; endpointPrivateAccess: boolean; publicAccessCidrs: string[] }
  | { kind: 'vpc'; subnetIds?: string[]; securityGroupIds?: string[] }
  | { kind: 'logging'; logging: ClusterLogging }
  | { kind: 'access'; authenticationMode: AuthenticationMode }
  | { kind: 'version'; version: string; platformVersion: string };

export interface UpdateRecord {
  /** <account>/<region>/<cluster> */
  clusterKey: string;
  nodegroupName?: string;
  addonName?: string;
  update: EksUpdate;
  /** Epoch ms at which an InProgress cluster update completes. */
  dueAt?: number;
  change?: ClusterChange;
  /** The clientRequestToken of the call that created it (the same token returns the same update). */
  token?: string;
}

export class UpdateStore implements UpdateLog {
  constructor(private readonly table: StateTable<UpdateRecord>) {}

  private id(clusterKey: string, updateId: string): string { return `${clusterKey}/${updateId}`; }

  async record(k: { accountId: string; region: string; cluster: string }, owner: { nodegroupName?: string; addonName?: string }, update: EksUpdate): Promise<void> {
    const clusterKey = `${k.accountId}/${k.region}/${k.cluster}`;
    const prev = this.table.get(this.id(clusterKey, update.id));
    await this.table.put(this.id(clusterKey, update.id), {
      ...(prev ?? {}), clusterKey, update,
      ...(owner.nodegroupName ? { nodegroupName: owner.nodegroupName } : {}),
      ...(owner.addonName ? { addonName: owner.addonName } : {}),
    });
  }

  put(r: UpdateRecord): Promise<void> { return this.table.put(this.id(r.clusterKey, r.update.id), r); }

  get(clusterKey: string, updateId: string): UpdateRecord | undefined { return this.table.get(this.id(clusterKey, updateId)); }

  /** Updates of a cluster (owner undefined → cluster-level updates only), oldest first. */
  of(clusterKey: string, owner: { nodegroupName?: string; addonName?: string } = {}): UpdateRecord[] {
    return this.table.values()
      .filter((r) => r.clusterKey === clusterKey && (r.nodegroupName ?? '') === (owner.nodegroupName ?? '') && (r.addonName ?? '') === (owner.addonName ?? ''))
      .sort((a, b) => a.update.createdAt - b.update.createdAt || a.update.id.localeCompare(b.update.id));
  }

  /** The cluster's InProgress cluster-level updates. */
  inProgress(clusterKey: string): UpdateRecord[] {
    return this.of(clusterKey).filter((r) => r.update.status === 'InProgress');
  }

  /** Drops every update of a cluster (DeleteCluster), or of one node group / add-on. */
  async deleteAll(clusterKey: string, owner?: { nodegroupName?: string; addonName?: string }): Promise<void> {
    for (const r of this.table.values()) {
      if (r.clusterKey !== clusterKey) continue;
      if (owner && ((r.nodegroupName ?? '') !== (owner.nodegroupName ?? '') || (r.addonName ?? '') !== (owner.addonName ?? ''))) continue;
      await this.table.delete(this.id(clusterKey, r.update.id));
    }
  }
}
