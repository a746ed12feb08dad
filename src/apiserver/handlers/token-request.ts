/**
 * POST serviceaccounts/{name}/token (pkg/registry/core/serviceaccount/storage/token.go): issues
 * a bound service-account token — what `kubectl create token` calls. The request is an
 * authentication.k8s.io/v1 TokenRequest; the answer is the same object with status.token and
 * status.expirationTimestamp. Nothing is stored.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, field, invalid, type FieldError } from '../../apimachinery/errors.js';
import type { ServiceAccountTokens } from '../../auth/authn/serviceaccount/tokens.js';
import { rfc3339 } from '../../registry/generic/store.js';
import type { ResourceRequest } from './context.js';
import { decodeObjectBody, readBody } from './body.js';
import { writeObject } from './respond.js';

type Obj = Record<string, unknown>;

const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;
const DEFAULT_EXPIRATION = 3600;
const BOUND_KINDS: Record<string, string> = { Pod: 'pods', Secret: 'secrets' };

export async function handleTokenRequest(r: ResourceRequest, tokens: ServiceAccountTokens | undefined): Promise<void> {
  if (!tokens) throw badRequest('service account tokens are not configured for this cluster');
  const ns = r.info.namespace;
  const name = r.info.name;
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']) as KubeObject;
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`expected a TokenRequest, got ${String(body.kind)}`);
  const spec = (body.spec ?? {}) as Obj;
  const expiration = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? DEFAULT_EXPIRATION : Number(spec.expirationSeconds);
  const errs: FieldError[] = [];
  // validation.ValidateTokenRequest.
  if (!Number.isInteger(expiration) || expiration < MIN_EXPIRATION) errs.push(field.invalid('spec.expirationSeconds', expiration, 'may not specify a duration less than 10 minutes'));
  else if (expiration > MAX_EXPIRATION) errs.push(field.invalid('spec.expirationSeconds', expiration, 'may not specify a duration larger than 2^32 seconds'));
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as unknown[]).map(String) : [tokens.apiAudience];
  const ref = (spec.boundObjectRef ?? undefined) as Obj | undefined;
  if (ref && !BOUND_KINDS[String(ref.kind)]) errs.push(field.notSupported('spec.boundObjectRef.kind', ref.kind, Object.keys(BOUND_KINDS)));
  if (errs.length) throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, errs);

  const sa = await r.registry.storeOf('', 'serviceaccounts').get(ns, name) as KubeObject;
  let bound: { kind: 'Pod' | 'Secret'; name: string; uid: string } | undefined;
  let node: { name: string; uid: string } | undefined;
  if (ref) {
    const kind = String(ref.kind) as 'Pod' | 'Secret';
    const obj = await r.registry.storeOf('', BOUND_KINDS[kind]).get(ns, String(ref.name ?? '')) as KubeObject;
    const uid = obj.metadata.uid as string;
    // token.go: "the UID in the bound object reference (%s) does not match the UID in record (%s)".
    if (ref.uid && ref.uid !== uid) throw badRequest(`the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`);
    bound = { kind, name: obj.metadata.name as string, uid };
    const nodeName = kind === 'Pod' ? ((obj.spec as Obj | undefined)?.nodeName as string | undefined) : undefined;
    if (nodeName) {
      const n = await r.registry.storeOf('', 'nodes').get('', nodeName).catch(() => undefined) as KubeObject | undefined;
      if (n) node = { name: nodeName, uid: n.metadata.uid as string };
    }
  }
  const { token, expiresAt } = await tokens.issue({
    namespace: ns, serviceAccountName: name, serviceAccountUid: sa.metadata.uid as string,
    audiences, expirationSeconds: expiration, ...(bound ? { bound } : {}), ...(node ? { node } : {}),
  });
  writeObject(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: { audiences, expirationSeconds: expiration, boundObjectRef: ref ? { kind: bound?.kind, apiVersion: 'v1', name: bound?.name, uid: bound?.uid } : null },
    status: { token, expirationTimestamp: rfc3339(expiresAt * 1000) },
  });
}
