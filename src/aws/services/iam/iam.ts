/**
 * IAM and STS, built together over one IamState (they share the credential index): the IAM
 * query service (2010-05-08, global — any region in the credential scope), the STS service, and
 * the IamBackend the dispatcher (CredentialStore) and other services (EKS: roleByArn,
 * principalExists; IRSA: oidcProviderUrls) use.
 */
import type { AwsServiceDeps, IamBackend, IamRoleInfo } from '../../core/backends.js';
import type { QueryHandler, QueryService } from '../../core/types.js';
import { createStsService, type StsDirectory, type WebIdentityVerifier } from '../sts/sts.js';
import { parseIamArn } from './common.js';
import { IamState, type RootKey } from './iam-state.js';
import { instanceProfileActions } from './instance-profile-actions.js';
import { entityKey, type RoleDoc } from './model.js';
import { oidcActions, oidcIssuers, oidcProviderFor } from './oidc-actions.js';
import { Policies } from './policies.js';
import { policyActions } from './policy-actions.js';
import { roleActions } from './role-actions.js';
import { serviceLinkedRoleActions } from './service-linked-roles.js';
import { userActions } from './user-actions.js';

export const IAM_VERSION = '2010-05-08';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamDeps extends AwsServiceDeps {
  /** The configured root key(s) (default `test`/`test` of account 000000000000 is the caller's choice). */
  rootKeys: RootKey[];
  /** Verifies AssumeRoleWithWebIdentity tokens; without one that action answers InvalidIdentityToken. */
  verifyWebIdentityToken?: WebIdentityVerifier;
}

export interface Iam {
  iam: QueryService;
  sts: QueryService;
  backend: IamBackend;
}

function roleInfo(r: RoleDoc): IamRoleInfo {
  return { arn: r.arn, roleName: r.roleName, roleId: r.roleId, accountId: r.accountId, path: r.path, assumeRolePolicyDocument: r.assumeRolePolicyDocument };
}

/** Opens IAM's state tables (hence async) and builds IAM, STS and the backend. */
export async function createIam(deps: IamDeps): Promise<Iam> {
  const now = (): number => deps.clock.now();
  const s = await IamState.open({ state: deps.state, rootKeys: deps.rootKeys, defaultAccountId: deps.defaultAccountId, now });
  const policies = new Policies(s);

  /** A role by its exact ARN (names compare case-insensitively, paths exactly). */
  const roleByArn = (arn: string): RoleDoc | undefined => {
    const p = parseIamArn(arn);
    if (!p || p.resourceType !== 'role') return undefined;
    const r = s.roles.get(entityKey(p.accountId, p.name));
    return r && r.path === p.path ? r : undefined;
  };

  const backend: IamBackend = {
    lookup: (id) => s.lookup(id),
    roleByArn(arn) {
      const r = roleByArn(arn);
      return r ? roleInfo(r) : undefined;
    },
    principalExists(arn) {
      const p = parseIamArn(arn);
      if (!p) return false;
      if (p.resourceType === 'role') return roleByArn(arn) !== undefined;
      if (p.resourceType === 'user') return s.user(p.accountId, p.name)?.path === p.path;
      return false;
    },
    oidcProviderUrls: (accountId) => oidcIssuers(s, accountId),
  };

  const directory: StsDirectory = {
    role(arn) {
      const r = roleByArn(arn);
      return r && { ...roleInfo(r), maxSessionDuration: r.maxSessionDuration };
    },
    oidcProvider(accountId, issuer) {
      const d = oidcProviderFor(s, accountId, issuer);
      return d && { arn: d.arn, url: d.url, clientIds: d.clientIds };
    },
    lookup: (id) => s.lookup(id),
    putSession: (session) => s.putSession(session),
  };

  const iam: QueryService = {
    protocol: 'query', signingName: 'iam', version: IAM_VERSION, xmlns: IAM_XMLNS,
    actions: serialized(s, {
      ...userActions(s, policies),
      ...roleActions(s, policies),
      ...policyActions(s, policies),
      ...oidcActions(s),
      ...instanceProfileActions(s),
      ...serviceLinkedRoleActions(s),
    }),
  };
  const sts = createStsService({ directory, now, ...(deps.verifyWebIdentityToken ? { verifyWebIdentityToken: deps.verifyWebIdentityToken } : {}) });
  return { iam, sts, backend };
}

/** Mutating actions (every one but the Get and List ones) run one at a time through IamState.exclusive. */
function serialized(s: IamState, actions: Record<string, QueryHandler>): Record<string, QueryHandler> {
  const out: Record<string, QueryHandler> = {};
  for (const [name, handler] of Object.entries(actions)) {
    out[name] = /^(Get|List)/.test(name) ? handler : (params, ctx) => s.exclusive(() => handler(params, ctx));
  }
  return out;
}

export type { RootKey } from './iam-state.js';
