/**
 * How objects are kept in the store: JSON without metadata.resourceVersion, which is filled in
 * from the key's modRevision on every read (as kube-apiserver's etcd3 store does with
 * APIObjectVersioner), so the stored bytes never disagree with the revision.
 */
import type { KubeObject } from '../../api/types.js';
import type { KeyValue } from '../../storage/interface.js';

/**
 * apiVersion, kind and metadata always come first, so the first `"metadata":{` in the stored
 * text is the object's own (storedJsonWithVersion relies on it; a `"` inside a JSON string is
 * always escaped, so string values can't fake it).
 */
export function encodeForStorage(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, selfLink: _sl, ...meta } = metadata;
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

export function decodeFromStorage(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The stored JSON with resourceVersion spliced in, without a parse (hot path for GET and watch). */
export function storedJsonWithVersion(kv: KeyValue): string {
  const v = kv.value;
  const i = v.indexOf('"metadata":{');
  if (i < 0) return JSON.stringify(decodeFromStorage(kv));
  const at = i + 12;
  const sep = v.charCodeAt(at) === 125 /* } */ ? '' : ',';
  return `${v.slice(0, at)}"resourceVersion":"${kv.modRevision}"${sep}${v.slice(at)}`;
}
