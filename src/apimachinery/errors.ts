/**
 * StatusError: the one error value of the Kubernetes request path. It serialises to a
 * `metav1.Status` with kube-apiserver's reason, code and message wording
 * (k8s.io/apimachinery/pkg/api/errors/errors.go). Build them with the factories below.
 */

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'RequestEntityTooLarge' | 'UnsupportedMediaType'
  | 'InternalError' | 'ServiceUnavailable' | 'NotImplemented' | '';

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Resource identity used in messages: `configmaps "x" not found` names the resource, not the kind. */
export interface Qualified { group: string; resource: string }

function qualifiedName(q: Qualified): string {
  return q.group ? `${q.resource}.${q.group}` : q.resource;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails, headers?: Record<string, string>) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.headers = headers;
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function notFound(q: Qualified, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedName(q)} "${name}" not found`, { name, group: q.group || undefined, kind: q.resource });
}

/** `the server could not find the requested resource` (unknown path or resource type). */
export function notFoundGeneric(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(q: Qualified, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedName(q)} "${name}" already exists`, { name, group: q.group || undefined, kind: q.resource });
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(q: Qualified, name: string, detail: string = OPTIMISTIC_LOCK_MESSAGE): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(q)} "${name}": ${detail}`, { name, group: q.group || undefined, kind: q.resource });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

/** `forbidden(q, name, reason)` → `configmaps "x" is forbidden: <reason>`. */
export function forbidden(q: Qualified, name: string, reason: string): StatusError {
  const what = name ? `${qualifiedName(q)} "${name}"` : qualifiedName(q);
  return new StatusError(403, 'Forbidden', `${what} is forbidden: ${reason}`, { name: name || undefined, group: q.group || undefined, kind: q.resource });
}

export function methodNotSupported(q: Qualified, action: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedName(q)}"`, { group: q.group || undefined, kind: q.resource });
}

export function methodNotAllowedGeneric(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** 410 for a compacted resourceVersion: watch/list from a revision older than the compaction point. */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

export function requestEntityTooLarge(limit: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] });
}

export function notAcceptable(accepted: string[]): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

export function notImplemented(message: string): StatusError {
  return new StatusError(501, 'NotImplemented', message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
}

export function timeout(message: string): StatusError {
  return new StatusError(504, 'Timeout', message);
}

// ---------------------------------------------------------------------------------------------
// Field errors (k8s.io/apimachinery/pkg/util/validation/field/errors.go)

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'InternalError' | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, when the message shows one. `undefined` = omitted from the message. */
  value?: unknown;
  detail?: string;
}

/** Go's `%#v`-ish rendering that upstream uses for values in field error messages. */
export function formatFieldValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try { return JSON.stringify(v); } catch { return String(v); }
}

/** The message text of one field error, without the field path (upstream ErrorBody()). */
export function fieldErrorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'FieldValueRequired': s = 'Required value'; break;
    case 'FieldValueForbidden': s = 'Forbidden'; break;
    case 'FieldValueTooLong': s = 'Too long'; break;
    case 'FieldValueTooMany': s = 'Too many'; break;
    case 'InternalError': s = 'Internal error'; break;
    case 'FieldValueNotFound': s = `Not found: ${formatFieldValue(e.value)}`; break;
    case 'FieldValueDuplicate': s = `Duplicate value: ${formatFieldValue(e.value)}`; break;
    case 'FieldValueNotSupported': s = `Unsupported value: ${formatFieldValue(e.value)}`; break;
    case 'FieldValueTypeInvalid': s = `Invalid value: ${formatFieldValue(e.value)}`; break;
    default: s = e.value === undefined ? 'Invalid value' : `Invalid value: ${formatFieldValue(e.value)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

export const field = {
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, detail }),
  invalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, value, detail }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, detail }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, value }),
  notFound: (f: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: f, value }),
  tooLong: (f: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field: f, detail: `may not be more than ${max} bytes` }),
  tooMany: (f: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field: f, detail: `must have at most ${max} items`, value: actual }),
  notSupported: (f: string, value: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported', field: f, value,
    detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  }),
  typeInvalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field: f, value, detail }),
  immutable: (f: string, value: unknown): FieldError => ({ type: 'FieldValueInvalid', field: f, value, detail: 'field is immutable' }),
};

/**
 * 422 Invalid: `ConfigMap "x" is invalid: metadata.name: Invalid value: …`, or with several
 * errors `… is invalid: [a, b]` (errors.NewInvalid).
 */
export function invalid(groupKind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const strs = dedupe(errs.map(fieldErrorString));
  const agg = strs.length === 1 ? strs[0] : `[${strs.join(', ')}]`;
  const qk = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
  return new StatusError(422, 'Invalid', `${qk} "${name}" is invalid: ${agg}`, { name, group: groupKind.group || undefined, kind: groupKind.kind, causes });
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
