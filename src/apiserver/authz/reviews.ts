/**
 * The create-only virtual resources of authorization.k8s.io/v1 (SubjectAccessReview,
 * SelfSubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview) and
 * authentication.k8s.io/v1 (SelfSubjectReview, TokenReview): POST computes an answer, nothing
 * is stored, and the response is the request with its status filled in (201, as
 * pkg/registry/authorization/*, pkg/registry/authentication/* answer).
 */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../../api/user.js';
import { badRequest, invalid, methodNotAllowedGeneric, notFoundGeneric, type FieldError } from '../../apimachinery/errors.js';
import type { Authenticator } from '../../auth/authn/types.js';
import type { Authorizer } from '../../auth/authz/types.js';
import {
  accessReviewStatus, attributesFromSpec, rulesReviewStatus, userFromSpec, validateAccessReviewSpec, type AccessReviewSpec,
} from '../../auth/authz/reviews.js';
import type { ResourceRequest } from '../handlers/context.js';
import { decodeObjectBody, readBody } from '../handlers/body.js';
import { checkBodyType } from '../handlers/typecheck.js';
import { negotiate } from '../handlers/negotiation.js';
import { writeObject } from '../handlers/respond.js';

const REVIEW_GROUPS = new Set(['authorization.k8s.io', 'authentication.k8s.io']);

/** Whether a request targets one of the review groups (all of whose resources are virtual). */
export function isReviewRequest(group: string): boolean {
  return REVIEW_GROUPS.has(group);
}

export interface ReviewContext {
  authorizers: Authorizer[];
  authenticators: Authenticator[];
}

type Obj = Record<string, unknown>;

/** metadata of a review must be empty (LocalSubjectAccessReview: but for the namespace). */
function metadataErrors(meta: KubeObject['metadata'], allowNamespace: boolean): FieldError[] {
  const rest = Object.entries(meta).filter(([k, v]) => !(k === 'creationTimestamp' && v == null) && k !== 'managedFields' && !(allowNamespace && k === 'namespace'));
  if (rest.length === 0) return [];
  return [{ type: 'FieldValueInvalid', field: 'metadata', value: meta, detail: allowNamespace ? 'must be empty except for namespace' : 'must be empty' }];
}

function userInfoJson(u: UserInfo): Obj {
  const out: Obj = { username: u.username };
  if (u.uid) out.uid = u.uid;
  out.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) out.extra = u.extra;
  return out;
}

async function compute(r: ResourceRequest, ctx: ReviewContext, obj: KubeObject): Promise<Obj> {
  const kind = r.served.spec.kind;
  const gk = { group: r.served.spec.group, kind };
  const spec = (obj.spec ?? {}) as AccessReviewSpec & { namespace?: string; token?: string; audiences?: string[] };
  switch (r.served.spec.resource) {
    case 'selfsubjectaccessreviews': {
      const errs = [...validateAccessReviewSpec(spec, true), ...metadataErrors(obj.metadata, false)];
      if (errs.length) throw invalid(gk, '', errs);
      return { ...(await accessReviewStatus(ctx.authorizers, attributesFromSpec(r.user, spec))) };
    }
    case 'subjectaccessreviews': {
      const errs = [...validateAccessReviewSpec(spec, false), ...metadataErrors(obj.metadata, false)];
      if (errs.length) throw invalid(gk, '', errs);
      return { ...(await accessReviewStatus(ctx.authorizers, attributesFromSpec(userFromSpec(spec), spec))) };
    }
    case 'localsubjectaccessreviews': {
      const ns = r.info.namespace;
      if (!ns) throw badRequest(`namespace is required on this type: ${ns}`);
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      obj.metadata.namespace = ns;
      const errs = [...validateAccessReviewSpec(spec, false), ...metadataErrors(obj.metadata, true)];
      if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== ns) {
        errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', value: spec.resourceAttributes.namespace ?? '', detail: 'must match metadata.namespace' });
      }
      if (spec.nonResourceAttributes) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: spec.nonResourceAttributes, detail: 'disallowed on this kind of request' });
      if (errs.length) throw invalid(gk, '', errs);
      return { ...(await accessReviewStatus(ctx.authorizers, attributesFromSpec(userFromSpec(spec), spec))) };
    }
    case 'selfsubjectrulesreviews':
      return { ...(await rulesReviewStatus(ctx.authorizers, r.user, spec.namespace ?? '')) };
    case 'selfsubjectreviews':
      return { userInfo: userInfoJson(r.user) };
    case 'tokenreviews':
      return tokenReview(ctx.authenticators, spec.token ?? '', spec.audiences);
    default:
      throw notFoundGeneric();
  }
}

/** TokenReview: the bearer-token authenticators asked about the token, as if it came on a request. */
async function tokenReview(authenticators: Authenticator[], token: string, audiences: string[] | undefined): Promise<Obj> {
  if (!token) throw invalid({ group: 'authentication.k8s.io', kind: 'TokenReview' }, '', [{ type: 'FieldValueRequired', field: 'spec.token', detail: 'token must be specified' }]);
  const fake = { headers: { authorization: `Bearer ${token}` }, socket: {} } as unknown as IncomingMessage;
  try {
    for (const a of authenticators) {
      const u = await a.authenticate(fake);
      if (u) return { authenticated: true, user: userInfoJson(u), ...(audiences?.length ? { audiences } : {}) };
    }
    return { user: {} };
  } catch (e) {
    return { user: {}, error: (e as Error).message };
  }
}

/** Serves a request to a review resource: POST only; the answer is never stored. */
export async function serveReview(r: ResourceRequest, ctx: ReviewContext): Promise<void> {
  const { served, info } = r;
  if (info.subresource || info.name || info.verb !== 'create' || !served.spec.verbs.includes('create')) throw methodNotAllowedGeneric();
  if (served.spec.namespaced && !info.namespace) throw notFoundGeneric();
  const body = await readBody(r.req);
  const obj = decodeObjectBody(body, r.req.headers['content-type']);
  checkBodyType(obj, served.apiVersion, served.spec.kind);
  const status = await compute(r, ctx, obj);
  const out: KubeObject = { ...obj, metadata: { creationTimestamp: null, ...obj.metadata } as KubeObject['metadata'], status };
  const repr = negotiate(r.req.headers.accept, false);
  writeObject(r.res, 201, out, repr.kind === 'object' ? repr.format : 'json');
}
