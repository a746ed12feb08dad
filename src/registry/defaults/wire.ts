/**
 * The shape Go's encoding/json gives a built-in object after kube-apiserver decoded it into its
 * typed struct: non-pointer structs always present (`status: {}`, `resources: {}`, a template's
 * `metadata.creationTimestamp: null`), non-omitempty zero scalars printed (StatefulSet
 * `status.replicas: 0`), fields the type does not have dropped, and quantities, times and
 * int-or-strings in canonical form. kube-apiserver re-encodes every object it stores and serves,
 * so what `kubectl get -o yaml` shows is this shape. Computed as a round trip through the
 * generated protobuf plans (src/api/protobuf), whose field facts come from the Go struct tags.
 *
 * Not called by applyDefaults: the registry decides where to apply it (see the defaults report).
 */
import type { KubeObject } from '../../api/types.js';
import { messageFromJson } from '../../api/protobuf/from-json.js';
import { protobufKinds, typeForKind } from '../../api/protobuf/schema.js';
import { messageToJson } from '../../api/protobuf/to-json.js';

let known: Set<string> | undefined;

/** True when the kind has a generated Go type to round-trip through (built-in kinds, not CRs). */
export function hasGoType(apiVersion: string, kind: string): boolean {
  known ??= new Set(protobufKinds());
  return known.has(`${apiVersion} ${kind}`);
}

/**
 * `obj` re-encoded as Go would after decoding it into its typed struct; `obj` itself (unchanged)
 * for kinds without a Go type. The input is not modified.
 */
export function goJsonRoundTrip(obj: KubeObject): KubeObject {
  const { apiVersion, kind } = obj;
  if (!apiVersion || !kind || !hasGoType(apiVersion, kind)) return obj;
  const type = typeForKind(apiVersion, kind);
  const fields = messageToJson(type, messageFromJson(type, obj), {
    depth: 0,
    // Raw fields are carried as JSON bytes by messageFromJson, so no protobuf envelope reaches here.
    embedded: () => null,
  });
  return { apiVersion, kind, ...fields } as KubeObject;
}
