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

type PolicyData = (typeof AWS_MANAGED_POLICY_DATA)[number];

function arnOf(p: PolicyData): string {
  return `${AWS_POLICY_ARN_PREFIX}${p.path}${p.name}`;
}

/**
 * Entries are built on first use (a sha256 per policy id, a locale-aware sort for the list): IAM
 * reads the whole catalog only to list it, and one policy by ARN (AttachRolePolicy of
 * `keks start`'s cluster role) costs one entry — neither sits in front of the first /readyz.
 */
let catalog: ManagedPolicy[] | undefined;
const byArn = new Map<string, ManagedPolicy>();

/** The catalog entry of a policy, built once. */
function entryOf(p: PolicyData): ManagedPolicy {
  const arn = arnOf(p);
  let e = byArn.get(arn);
  if (!e) {
    e = {
      policyName: p.name,
      policyId: stableId('ANPA', `aws-managed:${p.name}`),
      arn,
      path: p.path,
      defaultVersionId: p.defaultVersionId,
      createDate: p.createDate,
      updateDate: p.updateDate,
      ...(p.document !== undefined ? { document: p.document } : {}),
    };
    byArn.set(arn, e);
  }
  return e;
}

/** Every AWS managed policy, in name order (case-insensitive, as IAM lists). */
export function awsManagedPolicies(): readonly ManagedPolicy[] {
  if (!catalog) {
    catalog = AWS_MANAGED_POLICY_DATA.map(entryOf);
    catalog.sort((x, y) => x.policyName.toLowerCase().localeCompare(y.policyName.toLowerCase()));
  }
  return catalog;
}

/** An AWS managed policy by ARN, or undefined. */
export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  const known = byArn.get(arn);
  if (known) return known;
  const data = AWS_MANAGED_POLICY_DATA.find((p) => arnOf(p) === arn);
  return data ? entryOf(data) : undefined;
}
