/**
 * The AWS managed policy catalog: `arn:aws:iam::aws:policy/<path><name>`, read-only, shared by
 * every account (ListPolicies Scope=AWS|All, GetPolicy, AttachRolePolicy…). Data in
 * managed-policies-data.ts; ids are stable per name (ANPA + 17, derived from the name) because
 * the published list carries none.
 */
import { stableId } from './ids.js';
import { AWS_MANAGED_POLICY_DATA } from './managed-policies-data.js';

export interface ManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  document?: string;
}

export const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy';

/**
 * The catalog, built on first use (a sha256 per policy id and a sort): IAM reads it for managed
 * policy requests only, so a start of keks does not pay for it in front of the first /readyz.
 */
let built: { catalog: ManagedPolicy[]; byArn: Map<string, ManagedPolicy> } | undefined;
function catalogOf(): { catalog: ManagedPolicy[]; byArn: Map<string, ManagedPolicy> } {
  if (built) return built;
  const catalog: ManagedPolicy[] = AWS_MANAGED_POLICY_DATA.map((p) => ({
    policyName: p.name,
    policyId: stableId('ANPA', `aws-managed:${p.name}`),
    arn: `${AWS_POLICY_ARN_PREFIX}${p.path}${p.name}`,
    path: p.path,
    defaultVersionId: p.defaultVersionId,
    createDate: p.createDate,
    updateDate: p.updateDate,
    ...(p.document !== undefined ? { document: p.document } : {}),
  }));
  catalog.sort((a, b) => a.policyName.toLowerCase().localeCompare(b.policyName.toLowerCase()));
  built = { catalog, byArn: new Map(catalog.map((p) => [p.arn, p])) };
  return built;
}

/** Every AWS managed policy, in name order (case-insensitive, as IAM lists). */
export function awsManagedPolicies(): readonly ManagedPolicy[] {
  return catalogOf().catalog;
}

/** An AWS managed policy by ARN, or undefined. */
export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  return catalogOf().byArn.get(arn);
}
