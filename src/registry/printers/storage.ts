/**
 * storage.k8s.io printers: storageclasses (`(default)` suffix on the default class), csidrivers,
 * csinodes, volumeattachments and volumeattributesclasses, as the print functions of
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32). csistoragecapacities has a handler
 * upstream but its store registers the default table convertor, so it is not listed here.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';

interface StorageClassLike extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: string | null;
  volumeBindingMode?: string | null;
  allowVolumeExpansion?: boolean | null;
}

/** storage/util.IsDefaultAnnotation: the GA or beta is-default-class annotation is "true". */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const ann = obj.metadata.annotations;
  if (!ann) return false;
  return ann['storageclass.kubernetes.io/is-default-class'] === 'true'
    || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const storageClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Provisioner', 'string', 'storage/v1 StorageClass.provisioner'),
    docCol('ReclaimPolicy', 'string', 'storage/v1 StorageClass.reclaimPolicy'),
    docCol('VolumeBindingMode', 'string', 'storage/v1 StorageClass.volumeBindingMode'),
    docCol('AllowVolumeExpansion', 'string', 'storage/v1 StorageClass.allowVolumeExpansion'),
    AGE,
  ),
  cells(obj, ctx) {
    const sc = obj as StorageClassLike;
    const name = isDefaultStorageClass(sc) ? nameOf(sc) + ' (default)' : nameOf(sc);
    return [
      name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false, ageOf(sc, ctx),
    ];
  },
};

interface CSIDriverLike extends KubeObject {
  spec?: {
    attachRequired?: boolean | null;
    podInfoOnMount?: boolean | null;
    storageCapacity?: boolean | null;
    tokenRequests?: Array<{ audience?: string }> | null;
    requiresRepublish?: boolean | null;
    volumeLifecycleModes?: string[];
  };
}

export const csiDriverPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('AttachRequired', 'boolean', 'storage/v1 CSIDriverSpec.attachRequired'),
    docCol('PodInfoOnMount', 'boolean', 'storage/v1 CSIDriverSpec.podInfoOnMount'),
    docCol('StorageCapacity', 'boolean', 'storage/v1 CSIDriverSpec.storageCapacity'),
    docCol('TokenRequests', 'string', 'storage/v1 CSIDriverSpec.tokenRequests'),
    docCol('RequiresRepublish', 'boolean', 'storage/v1 CSIDriverSpec.requiresRepublish'),
    docCol('Modes', 'string', 'storage/v1 CSIDriverSpec.volumeLifecycleModes'),
    AGE,
  ),
  cells(obj, ctx) {
    const s = (obj as CSIDriverLike).spec ?? {};
    const modes = (s.volumeLifecycleModes ?? []).join(',') || '<none>';
    const tokens = s.tokenRequests ? s.tokenRequests.map((t) => t.audience ?? '').join(',') : '<unset>';
    return [
      nameOf(obj), s.attachRequired ?? true, s.podInfoOnMount ?? false, s.storageCapacity ?? false,
      tokens, s.requiresRepublish ?? false, modes, ageOf(obj, ctx),
    ];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: columns(NAME, col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), AGE),
  cells: (obj, ctx) => [nameOf(obj), (obj as { spec?: { drivers?: unknown[] } }).spec?.drivers?.length ?? 0, ageOf(obj, ctx)],
};

interface VolumeAttachmentLike extends KubeObject {
  spec?: { attacher?: string; nodeName?: string; source?: { persistentVolumeName?: string | null } };
  status?: { attached?: boolean };
}

export const volumeAttachmentPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Attacher', 'string', 'storage/v1 VolumeAttachmentSpec.attacher', { format: 'name' }),
    docCol('PV', 'string', 'storage/v1 VolumeAttachmentSource.persistentVolumeName'),
    docCol('Node', 'string', 'storage/v1 VolumeAttachmentSpec.nodeName'),
    docCol('Attached', 'boolean', 'storage/v1 VolumeAttachmentStatus.attached'),
    AGE,
  ),
  cells(obj, ctx) {
    const va = obj as VolumeAttachmentLike;
    return [
      nameOf(va), va.spec?.attacher ?? '', va.spec?.source?.persistentVolumeName ?? '', va.spec?.nodeName ?? '',
      va.status?.attached ?? false, ageOf(va, ctx),
    ];
  },
};

export const volumeAttributesClassPrinter: TablePrinter = {
  columns: columns(NAME, docCol('DriverName', 'string', 'storage/v1beta1 VolumeAttributesClass.driverName'), AGE),
  cells(obj, ctx) {
    // storageutil.IsDefaultAnnotationForVolumeAttributesClass (the alpha annotation; unverified for 1.32)
    const ann = obj.metadata.annotations;
    const isDefault = ann?.['volumeattributesclass.alpha.kubernetes.io/is-default-class'] === 'true';
    const driver = typeof obj.driverName === 'string' ? obj.driverName : '';
    return [nameOf(obj) + (isDefault ? ' (default)' : ''), driver, ageOf(obj, ctx)];
  },
};
