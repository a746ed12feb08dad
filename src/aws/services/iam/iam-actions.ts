/**
 * The IAM query service (2010-05-08) and the STS service over one IamState: every IAM action
 * table (users, roles, policies, OIDC providers, instance profiles, service-linked roles) and
 * STS's. Imported on the AWS endpoint's first request (iam.ts openIam), not while keks starts.
 */
import type { QueryHandler, QueryService } from '../../core/types.js';
import { createStsService, type StsDirectory, type WebIdentityVerifier } from '../sts/sts.js';
import { IAM_VERSION, IAM_XMLNS } from './iam.js';
import type { IamState } from './iam-state.js';
import { instanceProfileActions } from './instance-profile-actions.js';
import { oidcActions } from './oidc-actions.js';
import { Policies } from './policies.js';
import { policyActions } from './policy-actions.js';
import { roleActions } from './role-actions.js';
import { serviceLinkedRoleActions } from './service-linked-roles.js';
import { userActions } from './user-actions.js';

export interface IamServicesOptions {
  state: IamState;
  /** What STS reads of IAM (roles, OIDC providers, sessions). */
  directory: StsDirectory;
  now: () => number;
  verifyWebIdentityToken?: WebIdentityVerifier;
}

export function iamServices(o: IamServicesOptions): { iam: QueryService; sts: QueryService } {
  const s = o.state;
  const policies = new Policies(s);
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
  const sts = createStsService({ directory: o.directory, now: o.now, ...(o.verifyWebIdentityToken ? { verifyWebIdentityToken: o.verifyWebIdentityToken } : {}) });
  return { iam, sts };
}

/** Mutating actions (every one but the Get and List ones) run one at a time through IamState.exclusive. */
function serialized(s: IamState, actions: Record<string, QueryHandler>): Record<string, QueryHandler> {
  const out: Record<string, QueryHandler> = {};
  for (const [name, handler] of Object.entries(actions)) {
    out[name] = /^(Get|List)/.test(name) ? handler : (params, ctx) => s.exclusive(() => handler(params, ctx));
  }
  return out;
}
