/**
 * What kube-apiserver does to every built-in object between its strategy and storage: defaults
 * applied (again — the strategy may have reset fields, e.g. status on create, whose defaults
 * then return) and the object re-encoded in the shape of its Go type (`status: {}`, canonical
 * quantities, fields the type lacks dropped). Custom resources pass through unchanged.
 */
import type { KubeObject } from '../../api/types.js';
import { applyDefaults } from '../defaults/index.js';
import { goJsonRoundTrip } from '../defaults/wire.js';
import { ProtobufDecodeError } from '../../api/protobuf/errors.js';
import { badRequest } from '../../apimachinery/errors.js';

/**
 * In place, keeping the identity of `obj` and of `obj.metadata`, so callers holding either
 * (the generic store keeps a `meta` reference across its steps) see the result.
 */
export function normalizeBuiltin(obj: KubeObject): void {
  applyDefaults(obj);
  let shaped: KubeObject;
  try {
    shaped = goJsonRoundTrip(obj);
  } catch (e) {
    // A value of the wrong JSON type: upstream's decoder refuses the body with 400.
    if (!(e instanceof ProtobufDecodeError)) throw e;
    const v = (obj.apiVersion ?? '').split('/').pop();
    throw badRequest(`${obj.kind} in version "${v}" cannot be handled as a ${obj.kind}: ${e.message}`);
  }
  if (shaped === obj) return;
  const meta = obj.metadata;
  for (const k of Object.keys(meta)) delete meta[k];
  Object.assign(meta, shaped.metadata);
  for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
  for (const [k, v] of Object.entries(shaped)) if (k !== 'metadata') obj[k] = v;
}
