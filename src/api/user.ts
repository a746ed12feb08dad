/** The authenticated identity of a request (k8s.io/apiserver/pkg/authentication/user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
export const LOOPBACK_ADMIN: UserInfo = { username: 'system:apiserver', uid: 'keks-loopback', groups: ['system:authenticated', 'system:masters'] };
