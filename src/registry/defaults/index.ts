/**
 * Defaulting of built-in kinds, as kube-apiserver applies it when it decodes a request body
 * (the generated SetObjectDefaults_* of pkg/apis/<group>/<version>/zz_generated.defaults.go).
 * Called by the registry on every object entering through create, update and patch, in the
 * served version, before conversion to the storage version.
 */
import type { KubeObject } from '../../api/types.js';

/** Mutates `obj` (apiVersion/kind select the rules). Unknown kinds are left alone. */
export function applyDefaults(_obj: KubeObject): void {
  // Filled in by the API machinery issue.
}
