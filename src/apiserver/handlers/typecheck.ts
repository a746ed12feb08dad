/**
 * The body's apiVersion/kind must be the endpoint's (handlers/create.go: "the API version in the
 * data … does not match the expected API version"); missing ones are taken from the URL, as
 * the decoder's default GVK does.
 */
import type { KubeObject } from '../../api/types.js';
import { parseApiVersion } from '../../api/types.js';
import { badRequest } from '../../apimachinery/errors.js';

export function checkBodyType(obj: KubeObject, apiVersion: string, kind: string): void {
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersion;
  if (obj.kind === undefined || obj.kind === '') obj.kind = kind;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    throw badRequest("couldn't get version/kind; json parse error: apiVersion and kind must be strings");
  }
  if (obj.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (obj.kind !== kind) {
    const v = parseApiVersion(obj.apiVersion).version;
    throw badRequest(`${obj.kind} in version "${v}" cannot be handled as a ${kind}: the kind in the data (${obj.kind}) does not match the expected kind (${kind})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) {
    throw badRequest(`${kind} in version "${parseApiVersion(apiVersion).version}" cannot be handled as a ${kind}: metadata must be an object`);
  }
}

/** PUT/PATCH: the body's name must be the URL's (rest.Update). */
export function checkBodyName(obj: KubeObject, urlName: string): void {
  const n = obj.metadata.name;
  if (n === undefined || n === '') { obj.metadata.name = urlName; return; }
  if (n !== urlName) throw badRequest(`the name of the object (${n}) does not match the name on the URL (${urlName})`);
}
