/**
 * The node roles EKS maps for its compute: CreateNodegroup (node IAM role) and
 * CreateFargateProfile (pod execution role) add the role to the `aws-auth` ConfigMap in
 * kube-system when the cluster reads it (CONFIG_MAP, API_AND_CONFIG_MAP), as EKS does, so
 * `kubectl -n kube-system get cm aws-auth -o yaml` shows the familiar entry:
 *
 *   - groups: [system:bootstrappers, system:nodes]
 *     rolearn: arn:aws:iam::111122223333:role/eks-node-role
 *     username: system:node:{{EC2PrivateDNSName}}
 *
 * (Fargate: username system:node:{{SessionName}} and also system:node-proxier.) In the API modes
 * EKS creates an access entry instead (EC2_LINUX / FARGATE_LINUX) — `NodeAccessEntries`, which the
 * cluster part implements. Deleting the last node group / profile using a role removes its
 * aws-auth entry. Writes carry the ConfigMap's resourceVersion and retry on conflicts, so a
 * concurrent `kubectl edit` is never overwritten.
 */
import type { ApiClient, ResourceRef } from '../../../client/client.js';
import { ApiError, isConflict, isNotFound } from '../../../client/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { yaml } from '../../../util/yaml.js';

const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const NS = 'kube-system';
const NAME = 'aws-auth';

export interface MapRoleEntry { rolearn: string; username: string; groups: string[] }

/** The cluster part's hook for API-mode clusters (Eks.clusters.ensureNodeAccessEntry). */
export interface NodeAccessEntries {
  ensureNodeAccessEntry(accountId: string, region: string, cluster: string, roleArn: string, type: 'EC2_LINUX' | 'EC2_WINDOWS' | 'FARGATE_LINUX'): Promise<void>;
}

export function nodeRoleEntry(rolearn: string): MapRoleEntry {
  return { groups: ['system:bootstrappers', 'system:nodes'], rolearn, username: 'system:node:{{EC2PrivateDNSName}}' };
}

export function fargateRoleEntry(rolearn: string): MapRoleEntry {
  return { groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'], rolearn, username: 'system:node:{{SessionName}}' };
}

function parseRoles(text: string | undefined): Array<Record<string, unknown>> {
  if (!text || !text.trim()) return [];
  const v = yaml().parse(text) as unknown;
  return Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [];
}

async function modify(client: ApiClient, change: (roles: Array<Record<string, unknown>>) => Array<Record<string, unknown>> | undefined): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let cm: KubeObject | undefined;
    try {
      cm = await client.get(CONFIGMAPS, NS, NAME);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const data = ((cm as { data?: Record<string, string> } | undefined)?.data) ?? {};
    let roles: Array<Record<string, unknown>>;
    try {
      roles = parseRoles(data.mapRoles);
    } catch {
      return; // A hand-edited mapRoles that does not parse: leave it as the user wrote it.
    }
    const next = change(roles);
    if (!next) return;
    const mapRoles = next.length ? yaml().stringify(next, { indentSeq: false }) : ''; // EKS's layout: list items not indented under their key
    try {
      if (cm) await client.update(CONFIGMAPS, NS, { ...cm, data: { ...data, mapRoles } } as KubeObject);
      else await client.create(CONFIGMAPS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: NAME, namespace: NS }, data: { mapRoles } } as KubeObject);
      return;
    } catch (e) {
      if (!isConflict(e) && !(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
    }
  }
}

/** Adds the entry unless a mapping for its role exists. */
export function addAwsAuthRole(client: ApiClient, entry: MapRoleEntry): Promise<void> {
  return modify(client, (roles) => (roles.some((r) => r.rolearn === entry.rolearn) ? undefined : [...roles, { ...entry }]));
}

/** Removes the role's entries (when the last node group / profile using it goes). */
export function removeAwsAuthRole(client: ApiClient, rolearn: string): Promise<void> {
  return modify(client, (roles) => (roles.some((r) => r.rolearn === rolearn) ? roles.filter((r) => r.rolearn !== rolearn) : undefined));
}
