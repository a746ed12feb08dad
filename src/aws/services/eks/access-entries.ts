/**
 * EKS access entries and their associated access policies (table `eks-access-entries`, id
 * `<account>/<region>/<cluster>/<encoded principal ARN>`). Only in the API and
 * API_AND_CONFIG_MAP authentication modes (else InvalidRequestException, real wording). Defaults
 * as EKS (awscli examples/eks/create-access-entry.rst; EKS user guide "access entries"): a user's
 * username is its ARN, a role's is `arn:aws:sts::<acct>:assumed-role/<role>/{{SessionName}}`;
 * EC2_LINUX entries are `system:node:{{EC2PrivateDNSName}}` in `system:nodes`. The cluster
 * creator gets an entry with AmazonEKSClusterAdminPolicy when the cluster is created in an API
 * mode with bootstrapClusterCreatorAdminPermissions.
 */
import { randomUUID } from 'node:crypto';
import type { StateTable } from '../../core/state.js';
import type { IamBackend } from '../../core/backends.js';
import type { AccessEntryView } from './model.js';
import { iamArnOf, keyOf, stripRolePath, type ClusterRecord } from './cluster-record.js';
import { accessEntriesDisabled, invalidParameter, resourceInUse, resourceNotFound } from './errors.js';
import { optString, optStringList, optTags, oneOf, reqString, type Body } from './params.js';
import { CLUSTER_ADMIN_POLICY_ARN, isAccessPolicyArn } from './access-policies.js';

export interface AssociatedPolicy {
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] };
  associatedAt: number;
  modifiedAt: number;
}

export interface AccessEntryRecord {
  clusterKey: string;
  clusterName: string;
  principalArn: string;
  kubernetesGroups: string[];
  accessEntryArn: string;
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
  username: string;
  type: string;
  policies: AssociatedPolicy[];
  clientRequestToken?: string;
}

export const ACCESS_ENTRY_TYPES = ['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX'] as const;
const PRINCIPAL_RE = /^arn:aws[\w-]*:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;

/** Node-type entries: fixed username and groups (EKS user guide, "access entry types"). */
const NODE_DEFAULTS: Record<string, { username: string; groups: string[] }> = {
  EC2_LINUX: { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes'] },
  EC2_WINDOWS: { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'eks:kube-proxy-windows'] },
  FARGATE_LINUX: { username: 'system:node:{{SessionName}}', groups: ['system:nodes', 'system:node-proxier'] },
  HYBRID_LINUX: { username: 'system:node:{{SessionName}}', groups: ['system:nodes'] },
  HYPERPOD_LINUX: { username: 'system:node:hyperpod-{{SessionName}}', groups: ['system:nodes'] },
  EC2: { username: 'system:node:{{EC2PrivateDNSName}}', groups: [] },
};

const entryNotFound = (cluster: string) =>
  resourceNotFound("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", { clusterName: cluster });

export class AccessEntryStore {
  constructor(private readonly table: StateTable<AccessEntryRecord>, private readonly iam: IamBackend, private readonly now: () => number) {}

  private id(clusterKey: string, principalArn: string): string { return `${clusterKey}/${encodeURIComponent(principalArn)}`; }

  requireApiMode(rec: ClusterRecord): void {
    if (rec.accessConfig.authenticationMode === 'CONFIG_MAP') throw accessEntriesDisabled(rec.name);
  }

  of(rec: ClusterRecord): AccessEntryRecord[] {
    const k = keyOf(rec);
    return this.table.values().filter((e) => e.clusterKey === k).sort((a, b) => a.principalArn.localeCompare(b.principalArn));
  }

  get(rec: ClusterRecord, principalArn: string): AccessEntryRecord | undefined {
    return this.table.get(this.id(keyOf(rec), principalArn));
  }

  require(rec: ClusterRecord, principalArn: string): AccessEntryRecord {
    const e = this.get(rec, principalArn);
    if (!e) throw entryNotFound(rec.name);
    return e;
  }

  byArn(arn: string): AccessEntryRecord | undefined {
    return this.table.values().find((e) => e.accessEntryArn === arn);
  }

  save(e: AccessEntryRecord): Promise<void> { return this.table.put(this.id(e.clusterKey, e.principalArn), e); }

  async create(rec: ClusterRecord, body: Body, opts: { skipPrincipalCheck?: boolean } = {}): Promise<AccessEntryRecord> {
    const f = { clusterName: rec.name };
    const principalArn = reqString(body, 'principalArn', f);
    const m = PRINCIPAL_RE.exec(principalArn);
    if (!m) throw invalidParameter(`The specified principalArn is invalid: ${principalArn}. Only IAM user and IAM role ARNs are supported.`, f);
    const [, acct, kind, shortName] = m;
    if (!opts.skipPrincipalCheck && !principalArn.endsWith(':root') && !this.iam.principalExists(principalArn)) {
      throw invalidParameter(`The specified principalArn is invalid: the principal ${principalArn} does not exist.`, f);
    }
    const type = oneOf(optString(body, 'type', f), ACCESS_ENTRY_TYPES, 'type', f) ?? 'STANDARD';
    const token = optString(body, 'clientRequestToken', f);
    const existing = this.get(rec, principalArn);
    if (existing) {
      if (token && existing.clientRequestToken === token) return existing;
      throw resourceInUse('The specified access entry resource is already in use on this cluster.', f);
    }
    let groups = optStringList(body, 'kubernetesGroups', f);
    let username = optString(body, 'username', f);
    if (type !== 'STANDARD') {
      if (kind !== 'role') throw invalidParameter(`The principalArn must be an IAM role ARN for access entries of type ${type}.`, f);
      if (groups?.length || username) throw invalidParameter(`The username and kubernetesGroups cannot be specified for access entries of type ${type}.`, f);
      groups = NODE_DEFAULTS[type].groups;
      username = NODE_DEFAULTS[type].username;
    } else {
      for (const g of groups ?? []) if (g.startsWith('system:')) throw invalidParameter(`The kubernetes group name ${g} is invalid, it cannot start with system:`, f);
      if (username && /^(system|amazon|aws|eks|iam):/.test(username)) throw invalidParameter(`The username ${username} is invalid, it cannot start with system:, amazon:, aws:, eks: or iam:`, f);
      username ??= kind === 'role' ? `arn:aws:sts::${acct}:assumed-role/${shortName}/{{SessionName}}` : principalArn;
    }
    const now = this.now();
    const e: AccessEntryRecord = {
      clusterKey: keyOf(rec), clusterName: rec.name, principalArn, kubernetesGroups: [...(groups ?? [])],
      accessEntryArn: `arn:aws:eks:${rec.region}:${rec.accountId}:access-entry/${rec.name}/${kind}/${acct}/${shortName}/${randomUUID()}`,
      createdAt: now, modifiedAt: now, tags: optTags(body, 'tags', f) ?? {}, username, type, policies: [],
      ...(token ? { clientRequestToken: token } : {}),
    };
    await this.save(e);
    return e;
  }

  async update(rec: ClusterRecord, principalArn: string, body: Body): Promise<AccessEntryRecord> {
    const f = { clusterName: rec.name };
    const e = this.require(rec, principalArn);
    const groups = optStringList(body, 'kubernetesGroups', f);
    const username = optString(body, 'username', f);
    if (e.type !== 'STANDARD' && (groups !== undefined || username !== undefined)) throw invalidParameter('This operation can only be performed on Access Entries with a type of "STANDARD".', f);
    for (const g of groups ?? []) if (g.startsWith('system:')) throw invalidParameter(`The kubernetes group name ${g} is invalid, it cannot start with system:`, f);
    const next = { ...e, ...(groups ? { kubernetesGroups: [...groups] } : {}), ...(username ? { username } : {}), modifiedAt: this.now() };
    await this.save(next);
    return next;
  }

  async delete(rec: ClusterRecord, principalArn: string): Promise<void> {
    const e = this.require(rec, principalArn);
    await this.table.delete(this.id(e.clusterKey, e.principalArn));
  }

  async associate(rec: ClusterRecord, principalArn: string, body: Body): Promise<AssociatedPolicy> {
    const f = { clusterName: rec.name };
    const e = this.require(rec, principalArn);
    const policyArn = reqString(body, 'policyArn', f);
    if (!isAccessPolicyArn(policyArn)) throw invalidParameter(`The specified policyArn ${policyArn} is invalid.`, f);
    if (e.type !== 'STANDARD') throw invalidParameter('This operation can only be performed on Access Entries with a type of "STANDARD".', f);
    const scope = body.accessScope as Body | undefined;
    if (!scope || typeof scope !== 'object') throw invalidParameter('accessScope is required', f);
    const type = oneOf(optString(scope, 'type', f), ['cluster', 'namespace'] as const, 'accessScope.type', f);
    if (!type) throw invalidParameter('accessScope.type is required', f);
    const namespaces = optStringList(scope, 'namespaces', f) ?? [];
    if (type === 'namespace' && namespaces.length === 0) throw invalidParameter('At least one namespace must be specified when the access scope type is namespace.', f);
    if (type === 'cluster' && namespaces.length > 0) throw invalidParameter('Namespaces cannot be specified when the access scope type is cluster.', f);
    const now = this.now();
    const prior = e.policies.find((p) => p.policyArn === policyArn);
    const p: AssociatedPolicy = { policyArn, accessScope: { type, namespaces: [...namespaces] }, associatedAt: prior?.associatedAt ?? now, modifiedAt: now };
    await this.save({ ...e, policies: [...e.policies.filter((x) => x.policyArn !== policyArn), p], modifiedAt: now });
    return p;
  }

  async disassociate(rec: ClusterRecord, principalArn: string, policyArn: string): Promise<void> {
    const e = this.require(rec, principalArn);
    if (!e.policies.some((p) => p.policyArn === policyArn)) {
      throw resourceNotFound(`The specified policyArn ${policyArn} is not associated with the principalArn ${principalArn}.`, { clusterName: rec.name });
    }
    await this.save({ ...e, policies: e.policies.filter((p) => p.policyArn !== policyArn), modifiedAt: this.now() });
  }

  /** The creator's admin entry (CreateCluster in an API mode with bootstrapClusterCreatorAdminPermissions); idempotent. */
  async ensureCreatorEntry(rec: ClusterRecord): Promise<void> {
    if (rec.accessConfig.authenticationMode === 'CONFIG_MAP' || !rec.accessConfig.bootstrapClusterCreatorAdminPermissions) return;
    const principalArn = iamArnOf(rec.creator);
    if (this.get(rec, principalArn)) return;
    if (!PRINCIPAL_RE.test(principalArn) && !/^arn:aws[\w-]*:iam::\d{12}:root$/.test(principalArn)) return;
    const root = /:root$/.test(principalArn);
    const e = root ? await this.createRootEntry(rec, principalArn) : await this.create(rec, { principalArn }, { skipPrincipalCheck: true });
    await this.associate(rec, e.principalArn, { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: 'cluster' } });
  }

  /** The account root as a principal (the default `test` key): EKS names it like a user. */
  private async createRootEntry(rec: ClusterRecord, principalArn: string): Promise<AccessEntryRecord> {
    const acct = principalArn.split(':')[4];
    const now = this.now();
    const e: AccessEntryRecord = {
      clusterKey: keyOf(rec), clusterName: rec.name, principalArn, kubernetesGroups: [],
      accessEntryArn: `arn:aws:eks:${rec.region}:${rec.accountId}:access-entry/${rec.name}/root/${acct}/root/${randomUUID()}`,
      createdAt: now, modifiedAt: now, tags: {}, username: principalArn, type: 'STANDARD', policies: [],
    };
    await this.save(e);
    return e;
  }

  async deleteAll(rec: ClusterRecord): Promise<void> {
    for (const e of this.of(rec)) await this.table.delete(this.id(e.clusterKey, e.principalArn));
  }

  /** Sign-in lookup: exact ARN first, then a role ARN compared without its path (as the authenticator canonicalises). */
  view(rec: ClusterRecord, principalArn: string): AccessEntryView | undefined {
    let e = this.get(rec, principalArn);
    if (!e) {
      const want = stripRolePath(principalArn);
      e = this.of(rec).find((x) => stripRolePath(x.principalArn) === want);
    }
    if (!e) return undefined;
    return {
      principalArn: e.principalArn, username: e.username, kubernetesGroups: [...e.kubernetesGroups], type: e.type,
      policies: e.policies.map((p) => ({ policyArn: p.policyArn, accessScope: { type: p.accessScope.type, namespaces: [...p.accessScope.namespaces] } })),
    };
  }
}

export function accessEntryToWire(e: AccessEntryRecord): Record<string, unknown> {
  return {
    clusterName: e.clusterName, principalArn: e.principalArn, kubernetesGroups: e.kubernetesGroups,
    accessEntryArn: e.accessEntryArn, createdAt: e.createdAt / 1000, modifiedAt: e.modifiedAt / 1000,
    tags: e.tags, username: e.username, type: e.type,
  };
}

export function associatedPolicyToWire(p: AssociatedPolicy): Record<string, unknown> {
  return { policyArn: p.policyArn, accessScope: p.accessScope, associatedAt: p.associatedAt / 1000, modifiedAt: p.modifiedAt / 1000 };
}
