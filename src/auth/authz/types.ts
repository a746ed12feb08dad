/**
 * Authorization (k8s.io/apiserver/pkg/authorization/authorizer): attributes of a request and a
 * chain of authorizers, each allowing, denying or having no opinion. RBAC joins with the EKS front.
 */
import type { UserInfo } from '../../api/user.js';

export interface AuthzAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'noopinion';

export interface Authorizer {
  readonly name: string;
  authorize(a: AuthzAttributes): Decision | Promise<Decision>;
}
