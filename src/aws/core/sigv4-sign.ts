/**
 * SigV4 signing as botocore does it (header auth and presigned URLs) — for in-process tests and
 * for building EKS tokens without the aws CLI. The verifier is the contract; these signers are
 * checked against botocore-computed vectors in sigv4.test.ts.
 */
import { EMPTY_SHA256, canonicalRequest, computeSignature, pyQuote, scopeString, sha256Hex, type CredentialScope } from './sigv4.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  /** Absolute URL (its host, path and query are signed as given — keep labels percent-encoded). */
  url: string;
  /** Headers to send besides host / x-amz-date (content-type, x-k8s-aws-id…), all signed. */
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials: SigningCredentials;
  region: string;
  service: string;
  nowMs: number;
}

/** yyyymmddThhmmssZ */
export function amzDate(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function scopeOf(i: SignInput): CredentialScope {
  return { accessKeyId: i.credentials.accessKeyId, date: amzDate(i.nowMs).slice(0, 8), region: i.region, service: i.service };
}

/** The headers to send (incl. Host, X-Amz-Date, X-Amz-Security-Token, Authorization). */
export function signRequest(i: SignInput): Record<string, string> {
  const u = new URL(i.url);
  const date = amzDate(i.nowMs);
  const headers: Record<string, string> = { ...(i.headers ?? {}), host: u.host, 'x-amz-date': date };
  if (i.credentials.sessionToken) headers['x-amz-security-token'] = i.credentials.sessionToken;
  const body = i.body === undefined ? Buffer.alloc(0) : Buffer.from(i.body);
  const signed = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const scope = scopeOf(i);
  const canonical = canonicalRequest({
    method: i.method, rawPath: u.pathname, rawQuery: u.search.slice(1), headers: Object.entries(headers), signedHeaders: signed,
    payloadHash: headers['x-amz-content-sha256'] ?? (body.length ? sha256Hex(body) : EMPTY_SHA256),
  });
  const signature = computeSignature(i.credentials.secretAccessKey, scope, date, canonical);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${i.credentials.accessKeyId}/${scopeString(scope)}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}

/**
 * A presigned URL (query auth, as botocore's SigV4QueryAuth): `headers` are signed but not part of
 * the URL (the EKS token signs `x-k8s-aws-id`), the payload hash is sha256('').
 */
export function presignUrl(i: SignInput & { expiresSeconds: number }): string {
  const u = new URL(i.url);
  const date = amzDate(i.nowMs);
  const scope = scopeOf(i);
  const headers: Record<string, string> = { ...(i.headers ?? {}), host: u.host };
  const signed = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const auth: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${i.credentials.accessKeyId}/${scopeString(scope)}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(i.expiresSeconds)],
    ['X-Amz-SignedHeaders', signed.join(';')],
    ...(i.credentials.sessionToken ? [['X-Amz-Security-Token', i.credentials.sessionToken] as [string, string]] : []),
  ];
  const existing = u.search.slice(1);
  const query = [existing, auth.map(([k, v]) => `${pyQuote(k, '')}=${pyQuote(v, '')}`).join('&')].filter(Boolean).join('&');
  const canonical = canonicalRequest({ method: i.method, rawPath: u.pathname, rawQuery: query, headers: Object.entries(headers), signedHeaders: signed, payloadHash: EMPTY_SHA256 });
  const signature = computeSignature(i.credentials.secretAccessKey, scope, date, canonical);
  return `${u.origin}${u.pathname}?${query}&X-Amz-Signature=${signature}`;
}
