/**
 * Conversion between a served version and the storage version of a resource. Most resources
 * are served in one version and only the apiVersion changes; the seam is here for kinds that
 * are served in several shapes (autoscaling v1/v2, core/v1 and events.k8s.io/v1 Events).
 */
import type { KubeObject } from '../api/types.js';

export interface Converter {
  /** Converts a storage-version object to `apiVersion` (a fresh object when the shape changes). */
  toServed(obj: KubeObject, apiVersion: string): KubeObject;
  /** Converts a served-version object to the storage version `apiVersion`. */
  toStorage(obj: KubeObject, apiVersion: string): KubeObject;
}

export const apiVersionOnly: Converter = {
  toServed(obj, apiVersion) {
    if (obj.apiVersion === apiVersion) return obj;
    return { ...obj, apiVersion };
  },
  toStorage(obj, apiVersion) {
    obj.apiVersion = apiVersion;
    return obj;
  },
};
