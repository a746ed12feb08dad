/**
 * IAM instance profiles, minimal (what node-group and Karpenter guides call): Create, Get,
 * Delete, AddRoleToInstanceProfile (one role per profile, IAM's
 * InstanceSessionsPerInstanceProfile quota), RemoveRoleFromInstanceProfile, ListInstanceProfiles,
 * ListInstanceProfilesForRole.
 */
import type { AwsRequestContext, QueryHandler, QueryParams } from '../../core/types.js';
import { accountOf, nowIso, page, pageXml, readTags } from './common.js';
import { deleteConflict, entityAlreadyExists, instanceProfileNotFound, limitExceeded, noSuchEntity, roleNotFound } from './errors.js';
import type { IamState } from './iam-state.js';
import { uniqueId } from './ids.js';
import { entityKey, instanceProfileXml, type InstanceProfileDoc, type RoleDoc } from './model.js';
import { INSTANCE_PROFILE_NAME, PATH, PATH_PREFIX, ROLE_NAME, validate } from './validate.js';

function namedProfile(s: IamState, params: QueryParams, ctx: AwsRequestContext): InstanceProfileDoc {
  const name = params.required('InstanceProfileName');
  validate(['instanceProfileName', name, INSTANCE_PROFILE_NAME]);
  const p = s.profiles.get(entityKey(accountOf(ctx), name));
  if (!p) throw instanceProfileNotFound(name);
  return p;
}

function rolesOf(s: IamState, p: InstanceProfileDoc): RoleDoc[] {
  return p.roles.map((n) => s.role(p.accountId, n)).filter((r): r is RoleDoc => r !== undefined);
}

export function instanceProfileActions(s: IamState): Record<string, QueryHandler> {
  return {
    async CreateInstanceProfile(params, ctx) {
      const name = params.required('InstanceProfileName');
      const path = params.get('Path') ?? '/';
      validate(['instanceProfileName', name, INSTANCE_PROFILE_NAME], ['path', path, PATH]);
      const tags = readTags(params);
      const account = accountOf(ctx);
      if (s.profiles.has(entityKey(account, name))) throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
      const doc: InstanceProfileDoc = {
        accountId: account, instanceProfileName: name, instanceProfileId: uniqueId('AIPA'), path,
        arn: `arn:aws:iam::${account}:instance-profile${path}${name}`, createDate: nowIso(s.now()), roles: [], tags,
      };
      await s.profiles.put(entityKey(account, name), doc);
      return { InstanceProfile: instanceProfileXml(doc, []) };
    },

    GetInstanceProfile(params, ctx) {
      const p = namedProfile(s, params, ctx);
      return { InstanceProfile: instanceProfileXml(p, rolesOf(s, p)) };
    },

    ListInstanceProfiles(params, ctx) {
      const prefix = params.get('PathPrefix');
      validate(['pathPrefix', prefix, PATH_PREFIX]);
      const account = accountOf(ctx);
      const all = s.profiles.values().filter((p) => p.accountId === account && (!prefix || p.path.startsWith(prefix)));
      const pg = page(all, params);
      return { InstanceProfiles: pg.items.map((p) => instanceProfileXml(p, rolesOf(s, p))), ...pageXml(pg) };
    },

    ListInstanceProfilesForRole(params, ctx) {
      const roleName = params.required('RoleName');
      validate(['roleName', roleName, ROLE_NAME]);
      const account = accountOf(ctx);
      if (!s.role(account, roleName)) throw roleNotFound(roleName);
      const all = s.profiles.values().filter((p) => p.accountId === account && p.roles.some((r) => r.toLowerCase() === roleName.toLowerCase()));
      const pg = page(all, params);
      return { InstanceProfiles: pg.items.map((p) => instanceProfileXml(p, rolesOf(s, p))), ...pageXml(pg) };
    },

    async AddRoleToInstanceProfile(params, ctx) {
      const p = namedProfile(s, params, ctx);
      const roleName = params.required('RoleName');
      validate(['roleName', roleName, ROLE_NAME]);
      const role = s.role(p.accountId, roleName);
      if (!role) throw roleNotFound(roleName);
      if (p.roles.length >= 1) throw limitExceeded('InstanceSessionsPerInstanceProfile', 1);
      await s.profiles.put(entityKey(p.accountId, p.instanceProfileName), { ...p, roles: [role.roleName] });
    },

    async RemoveRoleFromInstanceProfile(params, ctx) {
      const p = namedProfile(s, params, ctx);
      const roleName = params.required('RoleName');
      if (!s.role(p.accountId, roleName)) throw roleNotFound(roleName);
      const rest = p.roles.filter((r) => r.toLowerCase() !== roleName.toLowerCase());
      if (rest.length === p.roles.length) throw noSuchEntity(`The role with name ${roleName} cannot be found in instance profile ${p.instanceProfileName}.`);
      await s.profiles.put(entityKey(p.accountId, p.instanceProfileName), { ...p, roles: rest });
    },

    async DeleteInstanceProfile(params, ctx) {
      const p = namedProfile(s, params, ctx);
      if (p.roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      await s.profiles.delete(entityKey(p.accountId, p.instanceProfileName));
    },
  };
}
