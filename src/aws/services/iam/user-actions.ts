/**
 * IAM users and their access keys: CreateUser, GetUser, ListUsers, DeleteUser, TagUser,
 * UntagUser, ListUserTags, AttachUserPolicy, DetachUserPolicy, ListAttachedUserPolicies,
 * CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey.
 *
 * Access keys are real: random AKIA ids and 40-character secrets that sign requests (and EKS
 * tokens) as soon as CreateAccessKey answers; Inactive or deleted keys stop at once. A request
 * without UserName acts on the caller's own user (the root's own keys for the root; assumed
 * roles must name a user), as IAM does.
 */
import type { AwsRequestContext, QueryHandler, QueryParams, XmlObject } from '../../core/types.js';
import { accountOf, mergeTags, nowIso, page, pageXml, readTags, removeTags } from './common.js';
import {
  accessKeyNotFound, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, userNotFound, validationError,
} from './errors.js';
import type { IamState } from './iam-state.js';
import { accessKeyId, secretAccessKey, uniqueId } from './ids.js';
import { entityKey, tagsXml, userXml, type AccessKeyDoc, type UserDoc } from './model.js';
import type { Policies } from './policies.js';
import { ACCESS_KEY_ID, ACCESS_KEY_STATUS, ARN, EXISTING_USER_NAME, PATH, PATH_PREFIX, USER_NAME, validate } from './validate.js';

/** IAM's AccessKeysPerUser quota. */
export const MAX_KEYS_PER_USER = 2;

/**
 * The user a request names, or the caller's own: `{ user }` for an IAM user, `{ root: true }` when
 * the account root acts on itself.
 */
function targetUser(s: IamState, params: QueryParams, ctx: AwsRequestContext): { user: UserDoc } | { root: true } {
  const name = params.get('UserName');
  validate(['userName', name, EXISTING_USER_NAME]);
  const account = accountOf(ctx);
  if (name !== undefined && name !== '') {
    const user = s.user(account, name);
    if (!user) throw userNotFound(name);
    return { user };
  }
  if (ctx.caller.type === 'root') return { root: true };
  if (ctx.caller.type === 'user' && ctx.caller.userName) {
    const user = s.user(account, ctx.caller.userName);
    if (!user) throw userNotFound(ctx.caller.userName);
    return { user };
  }
  throw validationError('Must specify userName when calling with non-User credentials');
}

function namedUser(s: IamState, params: QueryParams, ctx: AwsRequestContext, constraint = USER_NAME): UserDoc {
  const name = params.required('UserName');
  validate(['userName', name, constraint]);
  const user = s.user(accountOf(ctx), name);
  if (!user) throw userNotFound(name);
  return user;
}

function keyXml(k: AccessKeyDoc, withSecret: boolean): XmlObject {
  return {
    UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status,
    SecretAccessKey: withSecret ? k.secretAccessKey : undefined, CreateDate: new Date(k.createDate),
  };
}

export function userActions(s: IamState, policies: Policies): Record<string, QueryHandler> {
  return {
    async CreateUser(params, ctx) {
      const name = params.required('UserName');
      const path = params.get('Path') ?? '/';
      const boundaryArn = params.get('PermissionsBoundary');
      validate(['userName', name, USER_NAME], ['path', path, PATH], ['permissionsBoundary', boundaryArn, ARN]);
      const tags = readTags(params);
      const account = accountOf(ctx);
      if (s.user(account, name)) throw entityAlreadyExists(`User with name ${name} already exists.`);
      const boundary = policies.boundary(account, boundaryArn);
      const user: UserDoc = {
        accountId: account, userName: name, userId: uniqueId('AIDA'), path, arn: `arn:aws:iam::${account}:user${path}${name}`,
        createDate: nowIso(s.now()), tags, attachedPolicies: [], ...(boundary ? { permissionsBoundary: boundary } : {}),
      };
      await s.putUser(user);
      return { User: userXml(user) };
    },

    GetUser(params, ctx) {
      const t = targetUser(s, params, ctx);
      if ('root' in t) {
        // The root user: no name or path, UserId = the account id (as AWS answers root credentials).
        return { User: { UserId: ctx.caller.accountId, Arn: `arn:aws:iam::${ctx.caller.accountId}:root`, CreateDate: new Date(0) } };
      }
      return { User: userXml(t.user) };
    },

    ListUsers(params, ctx) {
      const prefix = params.get('PathPrefix');
      validate(['pathPrefix', prefix, PATH_PREFIX]);
      const account = accountOf(ctx);
      const users = s.users.values().filter((u) => u.accountId === account && (!prefix || u.path.startsWith(prefix)));
      const p = page(users, params);
      return { Users: p.items.map((u) => ({ ...userXml(u), Tags: undefined })), ...pageXml(p) };
    },

    async DeleteUser(params, ctx) {
      const user = namedUser(s, params, ctx, EXISTING_USER_NAME);
      if (s.keysOf(user.accountId, user.userName).length) throw deleteConflict('Cannot delete entity, must delete access keys first.');
      if (user.attachedPolicies.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      await s.users.delete(entityKey(user.accountId, user.userName));
    },

    async TagUser(params, ctx) {
      const user = namedUser(s, params, ctx, EXISTING_USER_NAME);
      const add = readTags(params);
      if (add.length === 0) params.required('Tags');
      await s.putUser({ ...user, tags: mergeTags(user.tags, add) });
    },

    async UntagUser(params, ctx) {
      const user = namedUser(s, params, ctx, EXISTING_USER_NAME);
      await s.putUser({ ...user, tags: removeTags(user.tags, params.list('TagKeys')) });
    },

    ListUserTags(params, ctx) {
      const user = namedUser(s, params, ctx, EXISTING_USER_NAME);
      const p = page(user.tags, params);
      return { Tags: tagsXml(p.items) ?? [], ...pageXml(p) };
    },

    async AttachUserPolicy(params, ctx) {
      const user = namedUser(s, params, ctx);
      const arn = params.required('PolicyArn');
      const next = policies.attach(user.accountId, user.attachedPolicies, arn, 'PoliciesPerUser');
      if (next !== user.attachedPolicies) await s.putUser({ ...user, attachedPolicies: next });
    },

    async DetachUserPolicy(params, ctx) {
      const user = namedUser(s, params, ctx);
      const arn = params.required('PolicyArn');
      await s.putUser({ ...user, attachedPolicies: policies.detach(user.attachedPolicies, arn) });
    },

    ListAttachedUserPolicies(params, ctx) {
      const user = namedUser(s, params, ctx);
      return policies.listAttached(user.accountId, user.attachedPolicies, params);
    },

    async CreateAccessKey(params, ctx) {
      const t = targetUser(s, params, ctx);
      const account = accountOf(ctx);
      const userName = 'root' in t ? undefined : t.user.userName;
      if (s.keysOf(account, userName).length >= MAX_KEYS_PER_USER) throw limitExceeded('AccessKeysPerUser', MAX_KEYS_PER_USER);
      let id = accessKeyId('AKIA');
      while (s.lookup(id)) id = accessKeyId('AKIA');
      const key: AccessKeyDoc = {
        accessKeyId: id, secretAccessKey: secretAccessKey(), accountId: account, status: 'Active', createDate: nowIso(s.now()),
        ...(userName !== undefined ? { userName } : {}),
      };
      await s.putKey(key);
      return { AccessKey: keyXml(key, true) };
    },

    ListAccessKeys(params, ctx) {
      const t = targetUser(s, params, ctx);
      const keys = s.keysOf(accountOf(ctx), 'root' in t ? undefined : t.user.userName);
      const p = page(keys, params);
      return { AccessKeyMetadata: p.items.map((k) => keyXml(k, false)), ...pageXml(p) };
    },

    async UpdateAccessKey(params, ctx) {
      const id = params.required('AccessKeyId');
      const status = params.required('Status');
      validate(['accessKeyId', id, ACCESS_KEY_ID], ['status', status, ACCESS_KEY_STATUS]);
      if (status !== 'Active' && status !== 'Inactive') throw invalidInput(`Invalid value for status: ${status}. Valid values are Active and Inactive.`);
      const key = ownedKey(s, params, ctx, id);
      if (key.status !== status) await s.putKey({ ...key, status });
    },

    async DeleteAccessKey(params, ctx) {
      const id = params.required('AccessKeyId');
      validate(['accessKeyId', id, ACCESS_KEY_ID]);
      const key = ownedKey(s, params, ctx, id);
      await s.deleteKey(key.accessKeyId);
    },
  };
}

/** The key `id` of the user the request targets; NoSuchEntity when it belongs to someone else. */
function ownedKey(s: IamState, params: QueryParams, ctx: AwsRequestContext, id: string): AccessKeyDoc {
  const t = targetUser(s, params, ctx);
  const key = s.keys.get(id);
  const owner = 'root' in t ? undefined : t.user.userName.toLowerCase();
  if (!key || key.accountId !== accountOf(ctx) || key.userName?.toLowerCase() !== owner) throw accessKeyNotFound(id);
  return key;
}
