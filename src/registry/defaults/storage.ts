/**
 * storage.k8s.io/v1 (pkg/apis/storage/v1/defaults.go) and scheduling.k8s.io/v1 defaults. The
 * CSIVolumeFSGroupPolicy and CSIInlineVolume gates are GA and SELinuxMountReadWriteOncePod is
 * beta (on) in 1.32.
 */
import { defaultResourceList } from './resources.js';
import { defaultNil, isEmptyCollection, objOf, struct, type Obj } from './util.js';
import { defaultPersistentVolumeSource } from './volumes.js';

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(sc: Obj): void {
  defaultNil(sc, 'reclaimPolicy', 'Delete');
  defaultNil(sc, 'volumeBindingMode', 'Immediate');
}

/** SetDefaults_CSIDriver. */
export function defaultCSIDriver(d: Obj): void {
  const spec = struct(d, 'spec');
  defaultNil(spec, 'attachRequired', true);
  defaultNil(spec, 'podInfoOnMount', false);
  defaultNil(spec, 'storageCapacity', false);
  defaultNil(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  if (isEmptyCollection(spec.volumeLifecycleModes)) spec.volumeLifecycleModes = ['Persistent'];
  defaultNil(spec, 'requiresRepublish', false);
  defaultNil(spec, 'seLinuxMount', false);
}

/**
 * SetObjectDefaults_VolumeAttachment: an inline PersistentVolumeSpec gets its capacity and volume
 * source defaults (not the PersistentVolume-level reclaim policy or volume mode).
 */
export function defaultVolumeAttachment(va: Obj): void {
  const inline = objOf(objOf(objOf(va.spec)?.source)?.inlineVolumeSpec);
  if (!inline) return;
  defaultResourceList(inline.capacity);
  defaultPersistentVolumeSource(inline);
}

/** SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority. */
export function defaultPriorityClass(pc: Obj): void {
  defaultNil(pc, 'preemptionPolicy', 'PreemptLowerPriority');
}
