/**
 * IAM roles: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy, TagRole,
 * UntagRole, ListRoleTags, Attach/DetachRolePolicy, ListAttachedRolePolicies, and inline role
 * policies (PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy).
 *
 * Policy documents are stored as given and answered URL-encoded (AssumeRolePolicyDocument,
 * GetRolePolicy's PolicyDocument), as IAM does. DeleteRole refuses while managed or inline
 * policies or instance profiles still reference the role (DeleteConflict 409).
 */
import type { AwsRequestContext, QueryHandler, QueryParams } from '../../core/types.js';
import { accountOf, checkPolicyDocument, mergeTags, nowIso, page, pageXml, readTags, removeTags } from './common.js';
import { deleteConflict, entityAlreadyExists, noSuchEntity, roleNotFound } from './errors.js';
import type { IamState } from './iam-state.js';
import { uniqueId } from './ids.js';
import { entityKey, roleXml, tagsXml, type RoleDoc } from './model.js';
import type { Policies } from './policies.js';
import {
  ARN, DESCRIPTION, MAX_SESSION_DURATION, PATH, PATH_PREFIX, POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, validate,
} from './validate.js';

/** The default MaxSessionDuration of a role (seconds). */
export const DEFAULT_MAX_SESSION = 3600;

function namedRole(s: IamState, params: QueryParams, ctx: AwsRequestContext): RoleDoc {
  const name = params.required('RoleName');
  validate(['roleName', name, ROLE_NAME]);
  const role = s.role(accountOf(ctx), name);
  if (!role) throw roleNotFound(name);
  return role;
}

export function roleActions(s: IamState, policies: Policies): Record<string, QueryHandler> {
  return {
    async CreateRole(params, ctx) {
      const name = params.required('RoleName');
      const trust = params.required('AssumeRolePolicyDocument');
      const path = params.get('Path') ?? '/';
      const description = params.get('Description');
      const maxSession = params.int('MaxSessionDuration') ?? DEFAULT_MAX_SESSION;
      validate(
        ['roleName', name, ROLE_NAME], ['path', path, PATH], ['assumeRolePolicyDocument', trust, POLICY_DOCUMENT],
        ['description', description, DESCRIPTION], ['maxSessionDuration', maxSession, MAX_SESSION_DURATION],
        ['permissionsBoundary', params.get('PermissionsBoundary'), ARN],
      );
      const tags = readTags(params);
      checkPolicyDocument(trust, 'trust');
      const account = accountOf(ctx);
      if (s.role(account, name)) throw entityAlreadyExists(`Role with name ${name} already exists.`);
      const boundary = policies.boundary(account, params.get('PermissionsBoundary'));
      const role: RoleDoc = {
        accountId: account, roleName: name, roleId: uniqueId('AROA'), path, arn: `arn:aws:iam::${account}:role${path}${name}`,
        createDate: nowIso(s.now()), assumeRolePolicyDocument: trust, maxSessionDuration: maxSession, tags,
        attachedPolicies: [], inlinePolicies: {}, ...(description !== undefined ? { description } : {}),
        ...(boundary ? { permissionsBoundary: boundary } : {}),
      };
      await s.putRole(role);
      return { Role: roleXml(role) };
    },

    GetRole(params, ctx) {
      return { Role: { ...roleXml(namedRole(s, params, ctx)), RoleLastUsed: {} } };
    },

    ListRoles(params, ctx) {
      const prefix = params.get('PathPrefix');
      validate(['pathPrefix', prefix, PATH_PREFIX]);
      const account = accountOf(ctx);
      const roles = s.roles.values().filter((r) => r.accountId === account && (!prefix || r.path.startsWith(prefix)));
      const p = page(roles, params);
      // ListRoles leaves out Tags, PermissionsBoundary and RoleLastUsed (IAM API reference).
      return { Roles: p.items.map((r) => ({ ...roleXml(r, { withTags: false }), PermissionsBoundary: undefined })), ...pageXml(p) };
    },

    async DeleteRole(params, ctx) {
      const role = namedRole(s, params, ctx);
      if (role.attachedPolicies.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (Object.keys(role.inlinePolicies).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      const inProfile = s.profiles.values().some((p) => p.accountId === role.accountId && p.roles.some((r) => r.toLowerCase() === role.roleName.toLowerCase()));
      if (inProfile) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      await s.roles.delete(entityKey(role.accountId, role.roleName));
    },

    async UpdateAssumeRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const doc = params.required('PolicyDocument');
      validate(['policyDocument', doc, POLICY_DOCUMENT]);
      checkPolicyDocument(doc, 'trust');
      await s.putRole({ ...role, assumeRolePolicyDocument: doc });
    },

    async UpdateRole(params, ctx) {
      const role = namedRole(s, params, ctx);
      const description = params.get('Description');
      const maxSession = params.int('MaxSessionDuration');
      validate(['description', description, DESCRIPTION], ['maxSessionDuration', maxSession, MAX_SESSION_DURATION]);
      await s.putRole({
        ...role, ...(description !== undefined ? { description } : {}), ...(maxSession !== undefined ? { maxSessionDuration: maxSession } : {}),
      });
    },

    async TagRole(params, ctx) {
      const role = namedRole(s, params, ctx);
      const add = readTags(params);
      if (add.length === 0) params.required('Tags');
      await s.putRole({ ...role, tags: mergeTags(role.tags, add) });
    },

    async UntagRole(params, ctx) {
      const role = namedRole(s, params, ctx);
      await s.putRole({ ...role, tags: removeTags(role.tags, params.list('TagKeys')) });
    },

    ListRoleTags(params, ctx) {
      const role = namedRole(s, params, ctx);
      const p = page(role.tags, params);
      return { Tags: tagsXml(p.items) ?? [], ...pageXml(p) };
    },

    async AttachRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const arn = params.required('PolicyArn');
      validate(['policyArn', arn, ARN]);
      const next = policies.attach(role.accountId, role.attachedPolicies, arn, 'PoliciesPerRole');
      if (next !== role.attachedPolicies) await s.putRole({ ...role, attachedPolicies: next });
    },

    async DetachRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const arn = params.required('PolicyArn');
      validate(['policyArn', arn, ARN]);
      await s.putRole({ ...role, attachedPolicies: policies.detach(role.attachedPolicies, arn) });
    },

    ListAttachedRolePolicies(params, ctx) {
      const role = namedRole(s, params, ctx);
      return policies.listAttached(role.accountId, role.attachedPolicies, params);
    },

    async PutRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const name = params.required('PolicyName');
      const doc = params.required('PolicyDocument');
      validate(['policyName', name, POLICY_NAME], ['policyDocument', doc, POLICY_DOCUMENT]);
      checkPolicyDocument(doc, 'permissions');
      const inline = { ...role.inlinePolicies };
      const existing = Object.keys(inline).find((k) => k.toLowerCase() === name.toLowerCase());
      if (existing !== undefined) delete inline[existing];
      inline[name] = doc;
      await s.putRole({ ...role, inlinePolicies: inline });
    },

    GetRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const name = params.required('PolicyName');
      validate(['policyName', name, POLICY_NAME]);
      const key = inlineKey(role, name);
      return { RoleName: role.roleName, PolicyName: key, PolicyDocument: encodeURIComponent(role.inlinePolicies[key]) };
    },

    ListRolePolicies(params, ctx) {
      const role = namedRole(s, params, ctx);
      const p = page(Object.keys(role.inlinePolicies).sort(), params);
      return { PolicyNames: p.items, ...pageXml(p) };
    },

    async DeleteRolePolicy(params, ctx) {
      const role = namedRole(s, params, ctx);
      const name = params.required('PolicyName');
      const key = inlineKey(role, name);
      const inline = { ...role.inlinePolicies };
      delete inline[key];
      await s.putRole({ ...role, inlinePolicies: inline });
    },
  };
}

/** The stored name of an inline policy (names are case-insensitive), or NoSuchEntity. */
function inlineKey(role: RoleDoc, name: string): string {
  const key = Object.keys(role.inlinePolicies).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  return key;
}
