/**
 * Admission (k8s.io/apiserver/pkg/admission): plugins see every write after decoding and before
 * storage. Mutating plugins run first, in order; validating plugins run after the kind's own
 * validation, passed down to the generic store as a callback (DESIGN.md).
 */
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../api/user.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  kind: string;
  namespace: string;
  name: string;
  /** The new object (CREATE/UPDATE); the object being deleted for DELETE. */
  object: KubeObject | null;
  oldObject: KubeObject | null;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** May change attrs.object. Throws a StatusError to reject. */
  mutate?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Must not change anything. Throws a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}
