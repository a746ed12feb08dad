/**
 * SigV4 verification against the access keys keks knows (CredentialStore): header-signed requests,
 * presigned URLs (query auth) and — through `verifyPresignedUrl` — the presigned STS
 * GetCallerIdentity URL inside an EKS `k8s-aws-v1.` token.
 *
 * Order of checks (what AWS reports first): parameters present and well formed → key known and
 * Active (InvalidClientTokenId) → temporary credentials carry their session token
 * (InvalidClientTokenId) → signature (SignatureDoesNotMatch) → temporary credentials not expired
 * (ExpiredToken). Clock skew between X-Amz-Date and now is NOT enforced (LocalStack and moto do
 * not either; scripted labs replay requests). Failures are values (`SigV4Failure`); `sigV4Error`
 * turns one into the protocol's AwsError.
 */
import {
  EMPTY_SHA256, SigV4ParseError, canonicalRequest, computeSignature, parseAmzDate, parseAuthorizationHeader,
  parsePresignedQuery, sha256Hex, signaturesEqual, type CredentialScope, type SigV4Params,
} from './sigv4.js';
import { AwsError, type AccessKeyRecord, type CredentialStore } from './types.js';

export type SigV4FailureReason = 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' | 'expired';

export type SigV4Result =
  | {
    ok: true;
    key: AccessKeyRecord;
    scope: CredentialScope;
    /** X-Amz-Date as epoch ms (undefined when it does not parse — the signature still matched). */
    signedAt: number | undefined;
    /** Presigned URLs: X-Amz-Expires (seconds). */
    expiresSeconds?: number;
    presigned: boolean;
  }
  | { ok: false; reason: SigV4FailureReason; message: string };

/** A request as received: raw path and query (still encoded), header pairs, raw body. */
export interface SignedRequest {
  method: string;
  /** The request target as sent: `/path?query`. */
  rawUrl: string;
  /** Header name/value pairs (any case; repeats allowed). */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
}

export const SIGV4_MESSAGES: Record<SigV4FailureReason, string> = {
  missing: 'Request is missing Authentication Token',
  malformed: 'The request signature is malformed.',
  'unknown-key': 'The security token included in the request is invalid.',
  'bad-signature': 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  expired: 'The security token included in the request is expired',
};

const QUERY_CODES: Record<SigV4FailureReason, string> = {
  missing: 'MissingAuthenticationToken',
  malformed: 'IncompleteSignature',
  'unknown-key': 'InvalidClientTokenId',
  'bad-signature': 'SignatureDoesNotMatch',
  expired: 'ExpiredToken',
};

const REST_JSON_CODES: Record<SigV4FailureReason, string> = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  'bad-signature': 'InvalidSignatureException',
  expired: 'ExpiredTokenException',
};

/**
 * The AwsError a failed check answers, in the protocol's vocabulary: 403, except that EC2 answers
 * an unknown or inactive key with 401 AuthFailure "AWS was not able to validate the provided
 * access credentials" (its own wording; other services say InvalidClientTokenId).
 */
export function sigV4Error(failure: { reason: SigV4FailureReason; message: string }, protocol: 'query' | 'ec2' | 'rest-json'): AwsError {
  if (protocol === 'ec2' && failure.reason === 'unknown-key') return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  const code = (protocol === 'rest-json' ? REST_JSON_CODES : QUERY_CODES)[failure.reason];
  return new AwsError(code, failure.message, 403);
}

function fail(reason: SigV4FailureReason, message = SIGV4_MESSAGES[reason]): SigV4Result {
  return { ok: false, reason, message };
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const hit = headers.find(([k]) => k.toLowerCase() === name);
  return hit?.[1];
}

function splitTarget(rawUrl: string): { rawPath: string; rawQuery: string } {
  const q = rawUrl.indexOf('?');
  const hash = rawUrl.indexOf('#');
  const end = hash < 0 ? rawUrl.length : hash;
  return q < 0 || q > end ? { rawPath: rawUrl.slice(0, end), rawQuery: '' } : { rawPath: rawUrl.slice(0, q), rawQuery: rawUrl.slice(q + 1, end) };
}

/** Key lookup, session token, signature, expiry — shared by both signature locations. */
function check(p: SigV4Params, req: SignedRequest, credentials: CredentialStore, nowMs: number): SigV4Result {
  const key = credentials.lookup(p.scope.accessKeyId);
  if (!key || key.status !== 'Active') return fail('unknown-key');
  if (key.sessionToken !== undefined && p.securityToken !== key.sessionToken) return fail('unknown-key');
  if (key.sessionToken === undefined && p.securityToken !== undefined && p.securityToken !== '') return fail('unknown-key');
  const { rawPath, rawQuery } = splitTarget(req.rawUrl);
  const bodyHash = req.body.length ? sha256Hex(req.body) : EMPTY_SHA256;
  const sentHash = headerValue(req.headers, 'x-amz-content-sha256');
  // A declared payload hash is signed in place of the body's; it must then be the body's hash
  // (UNSIGNED-PAYLOAD, as S3 allows, opts out).
  if (sentHash !== undefined && sentHash !== 'UNSIGNED-PAYLOAD' && sentHash.toLowerCase() !== bodyHash) {
    return fail('bad-signature', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const payloadHash = sentHash ?? bodyHash;
  const canonical = canonicalRequest({
    method: req.method, rawPath, rawQuery, headers: req.headers, signedHeaders: p.signedHeaders, payloadHash,
    ...(p.presigned ? { omitQuery: ['X-Amz-Signature'] } : {}),
  });
  const expected = computeSignature(key.secretAccessKey, p.scope, p.amzDate, canonical);
  if (!signaturesEqual(expected, p.signature)) return fail('bad-signature');
  if (key.expiresAt !== undefined && nowMs >= key.expiresAt) return fail('expired');
  return {
    ok: true, key, scope: p.scope, signedAt: parseAmzDate(p.amzDate), presigned: p.presigned,
    ...(p.expiresSeconds !== undefined ? { expiresSeconds: p.expiresSeconds } : {}),
  };
}

/**
 * Verifies a request signed in its Authorization header or as a presigned URL (X-Amz-Credential in
 * the query). No signature at all → reason 'missing'. Presigned URLs past X-Amz-Date +
 * X-Amz-Expires fail with 'expired' ("Request has expired").
 */
export function verifyRequestSignature(req: SignedRequest, credentials: CredentialStore, nowMs: number): SigV4Result {
  const auth = headerValue(req.headers, 'authorization');
  let p: SigV4Params;
  try {
    if (auth !== undefined && auth !== '') {
      p = parseAuthorizationHeader(auth, headerValue(req.headers, 'x-amz-date'), headerValue(req.headers, 'x-amz-security-token'));
    } else {
      const { rawQuery } = splitTarget(req.rawUrl);
      if (!/(^|&)X-Amz-Credential=/i.test(rawQuery)) return fail('missing');
      p = parsePresignedQuery(rawQuery);
    }
  } catch (e) {
    if (e instanceof SigV4ParseError) return fail('malformed', e.message);
    throw e;
  }
  const r = check(p, req, credentials, nowMs);
  if (r.ok && r.presigned && r.expiresSeconds !== undefined && r.signedAt !== undefined && nowMs > r.signedAt + r.expiresSeconds * 1000) {
    return fail('expired', 'Request has expired');
  }
  return r;
}

/**
 * Verifies a presigned URL offline, as if it were requested with `method` (default GET) and the
 * given extra headers (e.g. `{ 'x-k8s-aws-id': clusterName }`); `host` defaults to the URL's host
 * (with its port). The payload hash is sha256('') — botocore's presigner signs an empty body.
 *
 * Does NOT enforce X-Amz-Expires: callers apply their own rule (EKS tokens are valid 15 minutes
 * after X-Amz-Date regardless of Expires, as aws-iam-authenticator pkg/token/token.go) using
 * `signedAt` and `expiresSeconds` from the result. Temporary credentials past their expiry fail.
 */
export function verifyPresignedUrl(
  url: string,
  extraHeaders: Record<string, string>,
  credentials: CredentialStore,
  nowMs: number,
  opts: { method?: string } = {},
): SigV4Result {
  let u: URL;
  try { u = new URL(url); } catch { return fail('malformed', 'The presigned URL is not a valid URL.'); }
  const rawQuery = u.search.startsWith('?') ? u.search.slice(1) : u.search;
  const headers: Array<[string, string]> = Object.entries(extraHeaders).map(([k, v]) => [k.toLowerCase(), v]);
  if (!headers.some(([k]) => k === 'host')) headers.push(['host', u.host]);
  let p: SigV4Params;
  try {
    p = parsePresignedQuery(rawQuery);
  } catch (e) {
    if (e instanceof SigV4ParseError) return fail('malformed', e.message);
    throw e;
  }
  return check(p, { method: opts.method ?? 'GET', rawUrl: `${u.pathname}?${rawQuery}`, headers, body: Buffer.alloc(0) }, credentials, nowMs);
}
