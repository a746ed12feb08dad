/**
 * IAM and STS, built together over one IamState (they share the credential index): the IAM
 * query service (2010-05-08, global — any region in the credential scope), the STS service, and
 * the IamBackend the dispatcher (CredentialStore) and other services (EKS: roleByArn,
 * principalExists; IRSA: oidcProviderUrls) use. `openIam` opens the state and the backend and
 * loads the two query services (iam-actions.ts) on demand — the AWS endpoint asks for them on its
 * first request, so `keks start` does not import the action modules (nor the AWS managed policy
 * catalog) before its clusters are ready; `createIam` is both at once.
 */
import type { AwsServiceDeps, IamBackend, IamRoleInfo } from '../../core/backends.js';
import type { QueryService } from '../../core/types.js';
import type { StsDirectory, WebIdentityVerifier } from '../sts/sts.js';
import { parseIamArn } from './common.js';
import { IamState, type RootKey } from './iam-state.js';
import { entityKey, type RoleDoc } from './model.js';
import { oidcIssuers, oidcProviderFor } from './oidc-actions.js';

export const IAM_VERSION = '2010-05-08';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamDeps extends AwsServiceDeps {
  /** The configured root key(s) (default `test`/`test` of account 000000000000 is the caller's choice). */
  rootKeys: RootKey[];
  /** Verifies AssumeRoleWithWebIdentity tokens; without one that action answers InvalidIdentityToken. */
  verifyWebIdentityToken?: WebIdentityVerifier;
}

/** IAM's state and backend, with the IAM and STS query services loaded on demand. */
export interface IamParts {
  backend: IamBackend;
  /** The IAM and STS query services (their action modules are imported on the first call). */
  loadServices(): Promise<{ iam: QueryService; sts: QueryService }>;
}

export interface Iam extends IamParts {
  iam: QueryService;
  sts: QueryService;
}

function roleInfo(r: RoleDoc): IamRoleInfo {
  return { arn: r.arn, roleName: r.roleName, roleId: r.roleId, accountId: r.accountId, path: r.path, assumeRolePolicyDocument: r.assumeRolePolicyDocument };
}

/** Opens IAM's state tables (hence async) and builds IAM, STS and the backend. */
export async function createIam(deps: IamDeps): Promise<Iam> {
  const parts = await openIam(deps);
  return { ...parts, ...(await parts.loadServices()) };
}

/** Opens IAM's state tables and the backend; the query services load on demand. */
export async function openIam(deps: IamDeps): Promise<IamParts> {
  const now = (): number => deps.clock.now();
  const s = await IamState.open({ state: deps.state, rootKeys: deps.rootKeys, defaultAccountId: deps.defaultAccountId, now });

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

  let services: Promise<{ iam: QueryService; sts: QueryService }> | undefined;
  return {
    backend,
    loadServices: () => (services ??= import('./iam-actions.js').then((m) => m.iamServices({
      state: s, directory, now, ...(deps.verifyWebIdentityToken ? { verifyWebIdentityToken: deps.verifyWebIdentityToken } : {}),
    }))),
  };
}

export type { RootKey } from './iam-state.js';
