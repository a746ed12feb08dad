/**
 * CustomResourceDefinition (apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go) and
 * APIService (kube-aggregator pkg/apis/apiregistration/v1/defaults.go) defaults.
 */
import { defaultServiceReference } from './admission.js';
import { isEmptyCollection, isEmptyString, isNil, itemsOf, objOf, struct, type Obj } from './util.js';

/** SetDefaults_CustomResourceDefinition(Spec): singular, listKind, conversion None, storedVersions. */
export function defaultCRD(crd: Obj): void {
  const spec = struct(crd, 'spec');
  const names = struct(spec, 'names');
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (isEmptyString(names.singular)) names.singular = kind.toLowerCase();
  if (isEmptyString(names.listKind) && kind.length > 0) names.listKind = `${kind}List`;
  if (isNil(spec.conversion)) spec.conversion = { strategy: 'None' };
  defaultServiceReference(objOf(objOf(objOf(spec.conversion)?.webhook)?.clientConfig)?.service);
  const status = objOf(crd.status);
  if (status && !isEmptyCollection(status.storedVersions)) return;
  const storage = itemsOf(spec.versions).find((v) => v.storage === true);
  if (storage && typeof storage.name === 'string') crd.status = { ...(status ?? {}), storedVersions: [storage.name] };
}

/** apiregistration/v1 SetDefaults_ServiceReference: spec.service.port 443. */
export function defaultAPIService(svc: Obj): void {
  defaultServiceReference(objOf(svc.spec)?.service);
}
