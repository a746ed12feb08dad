/** Storage failures as API errors (k8s.io/apiserver/pkg/storage/errors.go → apierrors). */
import { StatusError, alreadyExists, conflict, internalError, notFound, resourceExpired, serviceUnavailable, type Qualified } from '../../apimachinery/errors.js';
import { isStorageError } from '../../storage/interface.js';

export function storageToStatus(e: unknown, q: Qualified, name: string): StatusError {
  if (e instanceof StatusError) return e;
  if (!isStorageError(e)) return internalError(e);
  switch (e.code) {
    case 'NotFound': return notFound(q, name);
    case 'KeyExists': return alreadyExists(q, name);
    case 'Conflict': return conflict(q, name);
    case 'Compacted': return resourceExpired(`The resourceVersion for the provided watch is too old.`);
    case 'Unavailable': return serviceUnavailable(`storage is unavailable: ${e.message}`);
    case 'Closed': return serviceUnavailable('apiserver is shutting down');
    default: return internalError(e);
  }
}
