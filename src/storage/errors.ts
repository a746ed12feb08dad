/**
 * StorageError factories shared by the backends, worded like etcd's mvcc errors
 * (go.etcd.io/etcd/server/mvcc: ErrCompacted, ErrFutureRev) so logs read the same whichever
 * backend produced them.
 */
import { StorageError, type KeyValue } from './interface.js';

export function compactedError(revision: number, compacted: number): StorageError {
  return new StorageError('Compacted', `mvcc: required revision ${revision} has been compacted (compacted revision ${compacted})`, { compactedRevision: compacted });
}

/**
 * Reading at a revision the store has not reached. etcd answers ErrFutureRev; the interface has
 * no code for it because the registry checks the current revision first, so this is a plain Error.
 */
export function futureRevisionError(revision: number, current: number): Error {
  return new Error(`mvcc: required revision ${revision} is a future revision (current revision ${current})`);
}

export function keyExistsError(key: string, current?: KeyValue): StorageError {
  return new StorageError('KeyExists', `key already exists: ${key}`, current ? { key, current } : { key });
}

export function notFoundError(key: string): StorageError {
  return new StorageError('NotFound', `key not found: ${key}`, { key });
}

export function conflictError(key: string, expected: number, current: KeyValue): StorageError {
  return new StorageError('Conflict', `revision mismatch for ${key}: expected ${expected}, current ${current.modRevision}`, { key, current });
}

export function closedError(): StorageError {
  return new StorageError('Closed', 'store is closed');
}

/** Validates a read revision against the store's window [compacted, current]. */
export function checkReadRevision(revision: number, compacted: number, current: number): void {
  if (revision < compacted) throw compactedError(revision, compacted);
  if (revision > current) throw futureRevisionError(revision, current);
}
