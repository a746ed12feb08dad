/**
 * resource.k8s.io (DRA) printers — deviceclasses, resourceclaims, resourceclaimtemplates,
 * resourceslices — and storagemigration.k8s.io storageversionmigrations, as
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';

export const deviceClassPrinter: TablePrinter = {
  columns: columns(NAME, AGE),
  cells: (obj, ctx) => [nameOf(obj), ageOf(obj, ctx)],
};

export const resourceClaimTemplatePrinter: TablePrinter = {
  columns: columns(NAME, AGE),
  cells: (obj, ctx) => [nameOf(obj), ageOf(obj, ctx)],
};

interface ResourceClaimLike extends KubeObject {
  status?: { allocation?: unknown; reservedFor?: unknown[] };
}

/** printers.go resourceClaimState: deleted / pending / allocated[,reserved]. */
function resourceClaimState(claim: ResourceClaimLike): string {
  const states: string[] = [];
  const deleting = Boolean(claim.metadata.deletionTimestamp);
  if (deleting) states.push('deleted');
  if (claim.status?.allocation === undefined || claim.status.allocation === null) {
    if (!deleting) states.push('pending');
  } else {
    states.push('allocated');
    if ((claim.status.reservedFor?.length ?? 0) > 0) states.push('reserved');
  }
  return states.join(',');
}

export const resourceClaimPrinter: TablePrinter = {
  columns: columns(NAME, col('State', 'string', 'A summary of the current state (allocated, pending, reserved, etc.).'), AGE),
  cells: (obj, ctx) => [nameOf(obj), resourceClaimState(obj as ResourceClaimLike), ageOf(obj, ctx)],
};

interface ResourceSliceLike extends KubeObject {
  spec?: { nodeName?: string; driver?: string; pool?: { name?: string } };
}

export const resourceSlicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Node', 'string', 'resource/v1beta1 ResourceSliceSpec.nodeName'),
    docCol('Driver', 'string', 'resource/v1beta1 ResourceSliceSpec.driver'),
    docCol('Pool', 'string', 'resource/v1beta1 ResourcePool.name'),
    AGE,
  ),
  cells(obj, ctx) {
    const s = (obj as ResourceSliceLike).spec ?? {};
    return [nameOf(obj), s.nodeName ?? '', s.driver ?? '', s.pool?.name ?? '', ageOf(obj, ctx)];
  },
};

interface StorageVersionMigrationLike extends KubeObject {
  spec?: { resource?: { group?: string; version?: string; resource?: string } };
}

export const storageVersionMigrationPrinter: TablePrinter = {
  // Upstream's Name column here has no `name` format.
  columns: columns(docCol('Name', 'string', 'meta ObjectMeta.name'), col('Resource', 'string', 'Fully qualified resource to migrate')),
  cells(obj) {
    const r = (obj as StorageVersionMigrationLike).spec?.resource ?? {};
    return [nameOf(obj), `${r.resource ?? ''}.${r.version ?? ''}.${r.group ?? ''}`];
  },
};
