/**
 * IAM's state: one durable table per entity kind (AwsState, written through to the store, so a
 * restart keeps users, keys, roles, policies, providers and unexpired STS sessions), plus the
 * in-memory credential index every signed request consults (`lookup`, O(1) by access key id).
 *
 * The index holds the configured root keys, IAM users' access keys and STS temporary
 * credentials. It changes only after the table write succeeded, so a failed write never leaves a
 * key usable that the store does not know (or the reverse). Inactive keys stay indexed with
 * status Inactive (the SigV4 check answers InvalidClientTokenId for them); deleted keys leave.
 */
import type { AwsState, StateTable } from '../../core/state.js';
import type { AccessKeyRecord, AwsPrincipal } from '../../core/types.js';
import {
  entityKey, type AccessKeyDoc, type InstanceProfileDoc, type OidcProviderDoc, type PolicyDoc, type RoleDoc,
  type SessionDoc, type UserDoc,
} from './model.js';

export interface RootKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Account the key is the root of (default: deps.defaultAccountId). */
  accountId?: string;
}

export interface IamStateOptions {
  state: AwsState;
  rootKeys: RootKey[];
  defaultAccountId: string;
  now: () => number;
}

/** Expired STS sessions are forgotten this long after expiry (until then they answer ExpiredToken). */
const SESSION_GRACE_MS = 24 * 3600 * 1000;

export function rootPrincipal(accountId: string): AwsPrincipal {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, type: 'root' };
}

export function userPrincipal(u: UserDoc): AwsPrincipal {
  return { accountId: u.accountId, arn: u.arn, userId: u.userId, type: 'user', userName: u.userName };
}

export class IamState {
  readonly users: StateTable<UserDoc>;
  readonly keys: StateTable<AccessKeyDoc>;
  readonly roles: StateTable<RoleDoc>;
  readonly policies: StateTable<PolicyDoc>;
  readonly oidc: StateTable<OidcProviderDoc>;
  readonly profiles: StateTable<InstanceProfileDoc>;
  readonly sessions: StateTable<SessionDoc>;
  readonly defaultAccountId: string;
  readonly now: () => number;
  private readonly index = new Map<string, AccessKeyRecord>();
  private readonly rootKeyIds = new Set<string>();
  private lastPrune = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(t: {
    users: StateTable<UserDoc>; keys: StateTable<AccessKeyDoc>; roles: StateTable<RoleDoc>; policies: StateTable<PolicyDoc>;
    oidc: StateTable<OidcProviderDoc>; profiles: StateTable<InstanceProfileDoc>; sessions: StateTable<SessionDoc>;
  }, opts: IamStateOptions) {
    this.users = t.users;
    this.keys = t.keys;
    this.roles = t.roles;
    this.policies = t.policies;
    this.oidc = t.oidc;
    this.profiles = t.profiles;
    this.sessions = t.sessions;
    this.defaultAccountId = opts.defaultAccountId;
    this.now = opts.now;
  }

  /** Opens (loads) the tables and builds the credential index. */
  static async open(opts: IamStateOptions): Promise<IamState> {
    const [users, keys, roles, policies, oidc, profiles, sessions] = await Promise.all([
      opts.state.table<UserDoc>('iam-users'),
      opts.state.table<AccessKeyDoc>('iam-access-keys'),
      opts.state.table<RoleDoc>('iam-roles'),
      opts.state.table<PolicyDoc>('iam-policies'),
      opts.state.table<OidcProviderDoc>('iam-oidc-providers'),
      opts.state.table<InstanceProfileDoc>('iam-instance-profiles'),
      opts.state.table<SessionDoc>('sts-sessions'),
    ]);
    const s = new IamState({ users, keys, roles, policies, oidc, profiles, sessions }, opts);
    for (const k of opts.rootKeys) {
      s.rootKeyIds.add(k.accessKeyId);
      s.index.set(k.accessKeyId, {
        accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, status: 'Active',
        principal: rootPrincipal(k.accountId ?? opts.defaultAccountId),
      });
    }
    for (const k of keys.values()) s.indexKey(k);
    for (const d of sessions.values()) s.indexSession(d);
    await s.pruneSessions();
    return s;
  }

  /**
   * Runs mutations one at a time: a check (name free, quota not reached) and the write it guards
   * cannot interleave with another request's, so two concurrent CreateUser calls for one name
   * answer one success and one EntityAlreadyExists, as IAM does.
   */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** CredentialStore.lookup: O(1). */
  lookup(accessKeyId: string): AccessKeyRecord | undefined {
    return this.index.get(accessKeyId);
  }

  isRootKey(accessKeyId: string): boolean {
    return this.rootKeyIds.has(accessKeyId);
  }

  user(accountId: string, name: string): UserDoc | undefined {
    return this.users.get(entityKey(accountId, name));
  }

  role(accountId: string, name: string): RoleDoc | undefined {
    return this.roles.get(entityKey(accountId, name));
  }

  /** Access keys of an IAM user (userName) or the account root (undefined), in creation order. */
  keysOf(accountId: string, userName: string | undefined): AccessKeyDoc[] {
    const lower = userName?.toLowerCase();
    return this.keys.values()
      .filter((k) => k.accountId === accountId && k.userName?.toLowerCase() === lower)
      .sort((a, b) => a.createDate.localeCompare(b.createDate));
  }

  async putUser(u: UserDoc): Promise<void> {
    await this.users.put(entityKey(u.accountId, u.userName), u);
  }

  async putRole(r: RoleDoc): Promise<void> {
    await this.roles.put(entityKey(r.accountId, r.roleName), r);
  }

  /** Creates or updates an access key; the index follows the stored document. */
  async putKey(k: AccessKeyDoc): Promise<void> {
    await this.keys.put(k.accessKeyId, k);
    this.indexKey(k);
  }

  async deleteKey(accessKeyId: string): Promise<void> {
    await this.keys.delete(accessKeyId);
    this.index.delete(accessKeyId);
  }

  /** Stores STS temporary credentials; they sign requests once this resolves. */
  async putSession(d: SessionDoc): Promise<void> {
    await this.sessions.put(d.accessKeyId, d);
    this.indexSession(d);
    if (this.now() - this.lastPrune > 60_000) await this.pruneSessions();
  }

  private indexKey(k: AccessKeyDoc): void {
    let principal: AwsPrincipal;
    if (k.userName === undefined) principal = rootPrincipal(k.accountId);
    else {
      const u = this.user(k.accountId, k.userName);
      if (!u) return;
      principal = userPrincipal(u);
    }
    this.index.set(k.accessKeyId, { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, status: k.status, principal });
  }

  private indexSession(d: SessionDoc): void {
    this.index.set(d.accessKeyId, {
      accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey, sessionToken: d.sessionToken,
      expiresAt: d.expiresAt, status: 'Active', principal: d.principal,
    });
  }

  /** Forgets sessions that expired more than a day ago. */
  private async pruneSessions(): Promise<void> {
    const now = this.now();
    this.lastPrune = now;
    for (const d of this.sessions.values()) {
      if (d.expiresAt + SESSION_GRACE_MS < now) {
        await this.sessions.delete(d.accessKeyId);
        this.index.delete(d.accessKeyId);
      }
    }
  }
}
