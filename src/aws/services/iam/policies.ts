/**
 * Managed policies as one view over the AWS managed catalog (arn:aws:iam::aws:policy/…) and the
 * account's customer managed policies (arn:aws:iam::A:policy/<path><name>), and the attach /
 * detach / list-attached rules users and roles share (AttachRolePolicy, AttachUserPolicy…):
 * a bad ARN → InvalidInput "ARN x is not valid.", an unknown policy → NoSuchEntity "Policy x does
 * not exist or is not attachable.", attaching twice is a no-op, detaching what is not attached →
 * NoSuchEntity "Policy x was not found.", at most 10 managed policies per user or role.
 */
import type { QueryParams, XmlObject } from '../../core/types.js';
import { page, pageXml, parseIamArn } from './common.js';
import { invalidInput, limitExceeded, policyNotAttachable, policyNotFound } from './errors.js';
import type { IamState } from './iam-state.js';
import { awsManagedPolicies, awsManagedPolicy } from './managed-policies.js';
import { entityKey, tagsXml, type PolicyDoc } from './model.js';
import { POLICY_PATH, validate } from './validate.js';

/** What ListPolicies / GetPolicy report about one managed policy. */
export interface PolicyView {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  description?: string;
  document?: string;
  scope: 'AWS' | 'Local';
  customer?: PolicyDoc;
}

/** Managed policies attached per user/role (IAM's default PoliciesPerRole / PoliciesPerUser quota). */
export const MAX_ATTACHED = 10;

export class Policies {
  constructor(private readonly s: IamState) {}

  /** A managed policy visible to `accountId` by ARN. */
  find(accountId: string, arn: string): PolicyView | undefined {
    const aws = awsManagedPolicy(arn);
    if (aws) return { ...aws, scope: 'AWS' };
    const p = parseIamArn(arn);
    if (!p || p.resourceType !== 'policy' || p.accountId !== accountId) return undefined;
    const doc = this.s.policies.get(entityKey(accountId, p.name));
    return doc && doc.arn === arn ? customerView(doc) : undefined;
  }

  /** Every managed policy visible to the account, in name order. */
  all(accountId: string, scope: 'All' | 'AWS' | 'Local'): PolicyView[] {
    const out: PolicyView[] = [];
    if (scope !== 'Local') for (const p of awsManagedPolicies()) out.push({ ...p, scope: 'AWS' });
    if (scope !== 'AWS') for (const d of this.s.policies.values()) if (d.accountId === accountId) out.push(customerView(d));
    return out.sort((a, b) => a.policyName.toLowerCase().localeCompare(b.policyName.toLowerCase()) || a.arn.localeCompare(b.arn));
  }

  /** Users and roles of the account a policy is attached to. */
  attachmentCount(accountId: string, arn: string): number {
    let n = 0;
    for (const u of this.s.users.values()) if (u.accountId === accountId && u.attachedPolicies.includes(arn)) n++;
    for (const r of this.s.roles.values()) if (r.accountId === accountId && r.attachedPolicies.includes(arn)) n++;
    return n;
  }

  /** The list after attaching `arn` (validated, resolvable, within quota). */
  attach(accountId: string, attached: string[], arn: string, quota: 'PoliciesPerRole' | 'PoliciesPerUser'): string[] {
    if (!parseIamArn(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
    if (!this.find(accountId, arn)) throw policyNotAttachable(arn);
    if (attached.includes(arn)) return attached;
    if (attached.length >= MAX_ATTACHED) throw limitExceeded(quota, MAX_ATTACHED);
    return [...attached, arn];
  }

  /** A permissions boundary ARN, checked like an attachment (IAM: "Scope ARN: x does not exist or is not attachable."). */
  boundary(accountId: string, arn: string | undefined): string | undefined {
    if (arn === undefined) return undefined;
    if (!parseIamArn(arn) || !this.find(accountId, arn)) throw invalidInput(`Scope ARN: ${arn} does not exist or is not attachable.`);
    return arn;
  }

  /** The list after detaching `arn`. */
  detach(attached: string[], arn: string): string[] {
    if (!parseIamArn(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
    if (!attached.includes(arn)) throw policyNotFound(arn);
    return attached.filter((a) => a !== arn);
  }

  /** ListAttachedRolePolicies / ListAttachedUserPolicies result (PathPrefix, paging). */
  listAttached(accountId: string, attached: string[], params: QueryParams): XmlObject {
    const prefix = params.get('PathPrefix');
    validate(['pathPrefix', prefix, POLICY_PATH]);
    const views = attached.map((arn) => this.find(accountId, arn) ?? { policyName: parseIamArn(arn)?.name ?? arn, arn, path: '/' });
    const filtered = views.filter((v) => !prefix || v.path.startsWith(prefix));
    const p = page(filtered, params);
    return { AttachedPolicies: p.items.map((v) => ({ PolicyName: v.policyName, PolicyArn: v.arn })), ...pageXml(p) };
  }

  /** The IAM `Policy` structure. */
  xml(accountId: string, v: PolicyView, opts: { withTags?: boolean } = {}): XmlObject {
    return {
      PolicyName: v.policyName, PolicyId: v.policyId, Arn: v.arn, Path: v.path, DefaultVersionId: v.defaultVersionId,
      AttachmentCount: this.attachmentCount(accountId, v.arn), PermissionsBoundaryUsageCount: 0, IsAttachable: true,
      Description: v.description, CreateDate: new Date(v.createDate), UpdateDate: new Date(v.updateDate),
      Tags: opts.withTags && v.customer ? tagsXml(v.customer.tags) : undefined,
    };
  }
}

function customerView(d: PolicyDoc): PolicyView {
  return {
    policyName: d.policyName, policyId: d.policyId, arn: d.arn, path: d.path, defaultVersionId: 'v1',
    createDate: d.createDate, updateDate: d.updateDate, document: d.document, scope: 'Local', customer: d,
    ...(d.description !== undefined ? { description: d.description } : {}),
  };
}
