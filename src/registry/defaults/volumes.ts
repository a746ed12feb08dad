/**
 * Volume-source defaults (pkg/apis/core/v1/defaults.go SetDefaults_Volume, *VolumeSource and the
 * `+default=` markers of k8s.io/api/core/v1/types.go for iSCSI, RBD, AzureDisk and ScaleIO), in
 * the order zz_generated.defaults.go walks a Volume and a PersistentVolumeSource.
 */
import { defaultResourceRequirements } from './resources.js';
import { defaultNil, defaultString, itemsOf, objOf, type Obj } from './util.js';

/** 0644: SecretVolumeSourceDefaultMode, ConfigMap-, DownwardAPI- and ProjectedVolumeSourceDefaultMode. */
export const DEFAULT_MODE = 420;

/** Every VolumeSource member of core/v1 Volume (1.32): a volume naming none of them becomes emptyDir. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

/** SetDefaults_ObjectFieldSelector: fieldRef.apiVersion "v1". */
export function defaultFieldRef(fieldRef: unknown): void {
  const f = objOf(fieldRef);
  if (f) defaultString(f, 'apiVersion', 'v1');
}

function defaultHostPath(src: Obj): void {
  const hp = objOf(src.hostPath);
  if (hp) defaultNil(hp, 'type', ''); // HostPathUnset
}

function defaultISCSI(src: Obj): void {
  const v = objOf(src.iscsi);
  if (v) defaultString(v, 'iscsiInterface', 'default');
}

function defaultRBD(src: Obj): void {
  const v = objOf(src.rbd);
  if (!v) return;
  defaultString(v, 'pool', 'rbd');
  defaultString(v, 'user', 'admin');
  defaultString(v, 'keyring', '/etc/ceph/keyring');
}

function defaultAzureDisk(src: Obj): void {
  const v = objOf(src.azureDisk);
  if (!v) return;
  defaultNil(v, 'cachingMode', 'ReadWrite');
  defaultNil(v, 'fsType', 'ext4');
  defaultNil(v, 'readOnly', false);
  defaultNil(v, 'kind', 'Shared');
}

function defaultScaleIO(src: Obj): void {
  const v = objOf(src.scaleIO);
  if (!v) return;
  defaultString(v, 'storageMode', 'ThinProvisioned');
  defaultString(v, 'fsType', 'xfs');
}

/** SetDefaults_PersistentVolumeClaimSpec (volumeMode Filesystem), then its resource lists. */
export function defaultPVCSpec(spec: unknown): void {
  const s = objOf(spec);
  if (!s) return;
  defaultNil(s, 'volumeMode', 'Filesystem');
  defaultResourceRequirements(s.resources);
}

/** One pod volume, as SetObjectDefaults_Pod walks `spec.volumes[i]`. */
export function defaultVolume(vol: Obj): void {
  if (!VOLUME_SOURCES.some((k) => vol[k] !== undefined && vol[k] !== null)) vol.emptyDir = {};
  // The ImageVolume feature (image.pullPolicy defaulting) is alpha and off in 1.32.
  defaultHostPath(vol);
  const secret = objOf(vol.secret);
  if (secret) defaultNil(secret, 'defaultMode', DEFAULT_MODE);
  defaultISCSI(vol);
  defaultRBD(vol);
  const downward = objOf(vol.downwardAPI);
  if (downward) {
    defaultNil(downward, 'defaultMode', DEFAULT_MODE);
    for (const item of itemsOf(downward.items)) defaultFieldRef(item.fieldRef);
  }
  const configMap = objOf(vol.configMap);
  if (configMap) defaultNil(configMap, 'defaultMode', DEFAULT_MODE);
  defaultAzureDisk(vol);
  const projected = objOf(vol.projected);
  if (projected) {
    defaultNil(projected, 'defaultMode', DEFAULT_MODE);
    for (const source of itemsOf(projected.sources)) {
      for (const item of itemsOf(objOf(source.downwardAPI)?.items)) defaultFieldRef(item.fieldRef);
      const token = objOf(source.serviceAccountToken);
      if (token) defaultNil(token, 'expirationSeconds', 3600); // SetDefaults_ServiceAccountTokenProjection: 1 hour
    }
  }
  defaultScaleIO(vol);
  const template = objOf(objOf(vol.ephemeral)?.volumeClaimTemplate);
  if (template) {
    // PersistentVolumeClaimTemplate.metadata is a non-pointer ObjectMeta: encoding/json always writes it,
    // and its zero creationTimestamp as null.
    template.metadata = { creationTimestamp: null, ...(objOf(template.metadata) ?? {}) };
    defaultPVCSpec(template.spec);
  }
}

/** The PersistentVolumeSource members SetObjectDefaults_PersistentVolume walks. */
export function defaultPersistentVolumeSource(spec: Obj): void {
  defaultHostPath(spec);
  defaultRBD(spec);
  defaultISCSI(spec);
  defaultAzureDisk(spec);
  defaultScaleIO(spec);
}
