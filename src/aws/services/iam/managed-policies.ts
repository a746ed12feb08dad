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

function policyOf(p: (typeof AWS_MANAGED_POLICY_DATA)[number]): ManagedPolicy {
  return {
    policyName: p.name,
    policyId: stableId('ANPA', `aws-managed:${p.name}`),
    arn: `${AWS_POLICY_ARN_PREFIX}${p.path}${p.name}`,
    path: p.path,
    defaultVersionId: p.defaultVersionId,
    createDate: p.createDate,
    updateDate: p.updateDate,
    ...(p.document !== undefined ? { document: p.document } : {}),
  };
}

/**
 * Built on first use (a sha256 per policy id, a locale-aware sort): IAM reads the whole catalog
 * only to list it, and one policy by ARN (AttachRolePolicy of `keks start`'s cluster role) costs
 * one entry — neither sits in front of the first /readyz.
 */
let catalog: ManagedPolicy[] | undefined;
const byArn = new Map<string, ManagedPolicy>();

/** Every AWS managed policy, in name order (case-insensitive, as IAM lists). */
export function awsManagedPolicies(): readonly ManagedPolicy[] {
  if (!catalog) {
    catalog = AWS_MANAGED_POLICY_DATA.map((p) => awsManagedPolicy(`${AWS_POLICY_ARN_PREFIX}${p.path}${p.name}`) ?? policyOf(p));
    catalog.sort((x, y) => x.policyName.toLowerCase().localeCompare(y.policyName.toLowerCase()));
  }
  return catalog;
}

/** An AWS managed policy by ARN, or undefined. */
export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  const known = byArn.get(arn);
  if (known) return known;
  const data = AWS_MANAGED_POLICY_DATA.find((p) => `${AWS_POLICY_ARN_PREFIX}${p.path}${p.name}` === arn);
  if (!data) return undefined;
  const policy = policyOf(data);
  byArn.set(arn, policy);
  return policy;
}
