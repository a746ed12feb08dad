/**
 * core/v1 persistentvolumes and persistentvolumeclaims, as printPersistentVolume and
 * printPersistentVolumeClaim in pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 * VolumeMode is a wide column; `Terminating` replaces the phase while deletion is pending.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { accessModes, quantity } from './format.js';

/** The beta annotation that takes precedence over spec.storageClassName (core/helper). */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

interface PersistentVolumeLike extends KubeObject {
  spec?: {
    capacity?: Record<string, unknown>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string };
    storageClassName?: string;
    volumeAttributesClassName?: string;
    volumeMode?: string;
  };
  status?: { phase?: string; reason?: string };
}

interface PersistentVolumeClaimLike extends KubeObject {
  spec?: {
    volumeName?: string;
    storageClassName?: string;
    volumeAttributesClassName?: string;
    volumeMode?: string;
  };
  status?: { phase?: string; capacity?: Record<string, unknown>; accessModes?: string[] };
}

/** core/helper.GetPersistentVolumeClass / GetPersistentVolumeClaimClass. */
function storageClassOf(obj: KubeObject, specClass: string | undefined): string {
  const ann = obj.metadata.annotations;
  if (ann && BETA_STORAGE_CLASS_ANNOTATION in ann) return ann[BETA_STORAGE_CLASS_ANNOTATION];
  return specClass ?? '';
}

export const persistentVolumePrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Capacity', 'string', 'core/v1 PersistentVolumeSpec.capacity'),
    docCol('Access Modes', 'string', 'core/v1 PersistentVolumeSpec.accessModes'),
    docCol('Reclaim Policy', 'string', 'core/v1 PersistentVolumeSpec.persistentVolumeReclaimPolicy'),
    docCol('Status', 'string', 'core/v1 PersistentVolumeStatus.phase'),
    docCol('Claim', 'string', 'core/v1 PersistentVolumeSpec.claimRef'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    docCol('Reason', 'string', 'core/v1 PersistentVolumeStatus.reason'),
    AGE,
    docCol('VolumeMode', 'string', 'core/v1 PersistentVolumeSpec.volumeMode', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const pv = obj as PersistentVolumeLike;
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '';
    return [
      nameOf(pv), quantity(spec.capacity?.storage), accessModes(spec.accessModes), spec.persistentVolumeReclaimPolicy ?? '',
      phase, claim, storageClassOf(pv, spec.storageClassName), spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '', ageOf(pv, ctx), spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Status', 'string', 'core/v1 PersistentVolumeClaimStatus.phase'),
    docCol('Volume', 'string', 'core/v1 PersistentVolumeClaimSpec.volumeName'),
    docCol('Capacity', 'string', 'core/v1 PersistentVolumeClaimStatus.capacity'),
    docCol('Access Modes', 'string', 'core/v1 PersistentVolumeClaimStatus.accessModes'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    docCol('VolumeMode', 'string', 'core/v1 PersistentVolumeClaimSpec.volumeMode', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const pvc = obj as PersistentVolumeClaimLike;
    const spec = pvc.spec ?? {};
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '';
    let capacity = '';
    let modes = '';
    // Capacity and access modes are shown only once the claim is bound to a volume.
    if (spec.volumeName) {
      modes = accessModes(pvc.status?.accessModes);
      capacity = quantity(pvc.status?.capacity?.storage);
    }
    return [
      nameOf(pvc), phase, spec.volumeName ?? '', capacity, modes, storageClassOf(pvc, spec.storageClassName),
      spec.volumeAttributesClassName ?? '<unset>', ageOf(pvc, ctx), spec.volumeMode ?? '<unset>',
    ];
  },
};
