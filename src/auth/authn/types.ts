/**
 * Authentication (k8s.io/apiserver/pkg/authentication): each authenticator looks at a request
 * and answers with a user, "no credentials of my kind" (null), or a rejection (throws 401).
 * Authenticators are a chain (a pluggable list: x509 now, bearer tokens with the EKS front).
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../../api/user.js';

export interface Authenticator {
  readonly name: string;
  authenticate(req: IncomingMessage): UserInfo | null | Promise<UserInfo | null>;
}
