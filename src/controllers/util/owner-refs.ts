/**
 * Owner references as controllers use them (k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go
 * and pkg/controller/controller_ref_manager.go): the controller reference, a new one for an
 * owner, and the adopt/release patches.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';

/** metav1.GetControllerOf: the ownerReference with controller=true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef: controller=true, blockOwnerDeletion=true. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name as string, uid: owner.metadata.uid as string, controller: true, blockOwnerDeletion: true };
}

/** True when `obj`'s controller reference points at `owner` (by uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/**
 * The merge patch that adopts `obj` (controller_ref_manager.go ownerRefControllerPatch): it
 * carries the object's uid so a patch against a recreated object of the same name fails.
 * Merge patch replaces the whole ownerReferences list, hence the existing entries are kept.
 */
export function adoptPatch(obj: KubeObject, ref: OwnerReference): Record<string, unknown> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return { metadata: { uid: obj.metadata.uid, ownerReferences: [...refs, ref] } };
}

/** The merge patch that releases `obj` from the owner with `ownerUid` (ReleasePod / ReleaseReplicaSet). */
export function releasePatch(obj: KubeObject, ownerUid: string): Record<string, unknown> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  return { metadata: { uid: obj.metadata.uid, ownerReferences: refs.length ? refs : null } };
}
