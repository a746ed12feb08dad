/**
 * The strategy of customresourcedefinitions (apiextensions-apiserver
 * pkg/registry/customresourcedefinition/strategy.go and etcd.go):
 *  - create: status reset to {storedVersions: [storage version]}, defaults applied, validated;
 *  - update: status kept, the storage version added to storedVersions;
 *  - delete: never immediate — the CRD is marked (deletionTimestamp), gets the
 *    `customresourcecleanup.apiextensions.k8s.io` finalizer and a Terminating condition, and the
 *    CRD controller removes its custom resources and then the finalizer (etcd.go REST.Delete).
 */
import type { KubeObject } from '../../api/types.js';
import { nameIsDNSSubdomain } from '../../apimachinery/validation/names.js';
import { defaultStrategy } from '../default-strategy.js';
import type { Strategy } from '../strategy.js';
import { defaultCrd, validateCrd, validateCrdUpdate } from './crd-validation.js';
import { CLEANUP_FINALIZER, storageVersion, type Crd, type CrdCondition } from './types.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';

function addStoredVersion(crd: Crd): void {
  const sv = storageVersion(crd)?.name;
  if (!sv) return;
  const status = (crd.status ??= {});
  const stored = status.storedVersions ?? [];
  if (!stored.includes(sv)) status.storedVersions = [...stored, sv];
}

export function crdStrategy(): Strategy {
  const base = defaultStrategy({ hasStatus: true, tracksGeneration: true, validateName: nameIsDNSSubdomain });
  return {
    ...base,
    prepareForCreate(obj) {
      const crd = obj as Crd;
      crd.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] } as Crd['status'];
      if (crd.spec && typeof crd.spec === 'object') {
        defaultCrd(crd);
        addStoredVersion(crd);
      }
    },
    prepareForUpdate(obj, old, ctx) {
      base.prepareForUpdate(obj, old, ctx);
      const crd = obj as Crd;
      if (crd.spec && typeof crd.spec === 'object') {
        defaultCrd(crd);
        addStoredVersion(crd);
      }
    },
    validate: (obj) => validateCrd(obj as Crd),
    validateUpdate: (obj, old) => validateCrdUpdate(obj as Crd, old as Crd),
    blocksDeletion: (obj: KubeObject) => !obj.metadata.deletionTimestamp,
    prepareForDelete(obj, ctx) {
      const meta = obj.metadata;
      if (!(meta.finalizers ?? []).includes(CLEANUP_FINALIZER)) meta.finalizers = [...(meta.finalizers ?? []), CLEANUP_FINALIZER];
      const crd = obj as Crd;
      const status = (crd.status ??= {});
      const conds = (status.conditions ?? []).filter((c) => c.type !== 'Terminating');
      const terminating: CrdCondition = {
        type: 'Terminating', status: 'True', lastTransitionTime: rfc3339(ctx.now),
        reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
      };
      status.conditions = [...conds, terminating];
    },
    warnings(obj) {
      const crd = obj as Crd;
      const out: string[] = [];
      if (crd.spec?.conversion?.strategy === 'Webhook') out.push('keks does not call conversion webhooks: versions of this CRD are converted as with strategy None (apiVersion only)');
      return out;
    },
  };
}
