/**
 * Small CredentialStore building blocks for the composition root and tests: the configured
 * account-root key (LocalStack's `test`/`test` by default), a fixed list, and a chain that asks
 * several stores in order (root key first, then IAM users' keys, then STS sessions).
 */
import type { AccessKeyRecord, CredentialStore } from './types.js';

/** The root access key of an account: principal arn:aws:iam::<account>:root, UserId = account id. */
export function rootAccessKey(opts: { accountId: string; accessKeyId: string; secretAccessKey: string }): AccessKeyRecord {
  return {
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    status: 'Active',
    principal: { accountId: opts.accountId, arn: `arn:aws:iam::${opts.accountId}:root`, userId: opts.accountId, type: 'root' },
  };
}

/** A store over a fixed list of keys. */
export function staticCredentials(records: AccessKeyRecord[]): CredentialStore {
  const byId = new Map(records.map((r) => [r.accessKeyId, r]));
  return { lookup: (id) => byId.get(id) };
}

/** Asks each store in order; the first that knows the key id answers. */
export function chainCredentials(...stores: CredentialStore[]): CredentialStore {
  return {
    lookup(id) {
      for (const s of stores) {
        const r = s.lookup(id);
        if (r) return r;
      }
      return undefined;
    },
  };
}
