/**
 * IAM managed-policy actions: CreatePolicy, GetPolicy, ListPolicies (Scope All|AWS|Local,
 * OnlyAttached, PathPrefix, Marker/MaxItems), GetPolicyVersion, DeletePolicy. Customer policies
 * have one version (v1); AWS managed ones report their published default version.
 */
import { AwsError, type QueryHandler } from '../../core/types.js';
import { accountOf, checkPolicyDocument, nowIso, page, pageXml, readTags } from './common.js';
import { deleteConflict, entityAlreadyExists, invalidInput, noSuchEntity, policyNotFound } from './errors.js';
import type { IamState } from './iam-state.js';
import { uniqueId } from './ids.js';
import { entityKey, type PolicyDoc } from './model.js';
import type { Policies } from './policies.js';
import { ARN, DESCRIPTION, POLICY_DOCUMENT, POLICY_NAME, POLICY_PATH, validate } from './validate.js';

const SCOPES = ['All', 'AWS', 'Local'] as const;

export function policyActions(s: IamState, policies: Policies): Record<string, QueryHandler> {
  return {
    async CreatePolicy(params, ctx) {
      const name = params.required('PolicyName');
      const document = params.required('PolicyDocument');
      const path = params.get('Path') ?? '/';
      const description = params.get('Description');
      validate(['policyName', name, POLICY_NAME], ['path', path, POLICY_PATH], ['policyDocument', document, POLICY_DOCUMENT], ['description', description, DESCRIPTION]);
      const tags = readTags(params);
      checkPolicyDocument(document, 'permissions');
      const account = accountOf(ctx);
      if (s.policies.has(entityKey(account, name))) {
        throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
      }
      const at = nowIso(s.now());
      const doc: PolicyDoc = {
        accountId: account, policyName: name, policyId: uniqueId('ANPA'), path, arn: `arn:aws:iam::${account}:policy${path}${name}`,
        document, createDate: at, updateDate: at, tags, ...(description !== undefined ? { description } : {}),
      };
      await s.policies.put(entityKey(account, name), doc);
      return { Policy: policies.xml(account, policies.find(account, doc.arn)!, { withTags: true }) };
    },

    GetPolicy(params, ctx) {
      const arn = params.required('PolicyArn');
      validate(['policyArn', arn, ARN]);
      const account = accountOf(ctx);
      const v = policies.find(account, arn);
      if (!v) throw policyNotFound(arn);
      return { Policy: policies.xml(account, v, { withTags: true }) };
    },

    ListPolicies(params, ctx) {
      const scope = params.get('Scope') ?? 'All';
      validate(['scope', scope, { enum: SCOPES }]);
      const onlyAttached = params.bool('OnlyAttached') ?? false;
      const prefix = params.get('PathPrefix');
      validate(['pathPrefix', prefix, POLICY_PATH]);
      const account = accountOf(ctx);
      let all = policies.all(account, scope as (typeof SCOPES)[number]);
      if (prefix) all = all.filter((p) => p.path.startsWith(prefix));
      if (onlyAttached) all = all.filter((p) => policies.attachmentCount(account, p.arn) > 0);
      const p = page(all, params);
      return { Policies: p.items.map((v) => policies.xml(account, v)), ...pageXml(p) };
    },

    GetPolicyVersion(params, ctx) {
      const arn = params.required('PolicyArn');
      const versionId = params.required('VersionId');
      const account = accountOf(ctx);
      const v = policies.find(account, arn);
      if (!v || v.defaultVersionId !== versionId) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      if (v.document === undefined) {
        throw new AwsError('NotImplemented', `keks does not carry the document of the AWS managed policy ${arn} (too large); its metadata is served.`, 400);
      }
      return {
        PolicyVersion: {
          Document: encodeURIComponent(v.document), VersionId: v.defaultVersionId, IsDefaultVersion: true,
          CreateDate: new Date(v.updateDate),
        },
      };
    },

    async DeletePolicy(params, ctx) {
      const arn = params.required('PolicyArn');
      const account = accountOf(ctx);
      const v = policies.find(account, arn);
      if (!v) throw policyNotFound(arn);
      if (v.scope === 'AWS' || !v.customer) throw invalidInput(`Cannot delete the AWS managed policy ${arn}.`);
      if (policies.attachmentCount(account, arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
      await s.policies.delete(entityKey(account, v.customer.policyName));
    },
  };
}
