/**
 * AWS Signature Version 4 — the pure part: parsing the signature parameters (Authorization header
 * or presigned query), building the canonical request exactly as botocore's `SigV4Auth` does for
 * non-S3 services, deriving the signing key and computing the signature. No credential lookup
 * here (see sigv4-verify.ts).
 *
 * Mirrors botocore/auth.py (1.43):
 * - canonical URI: `quote(remove_dot_segments(raw_path), safe='/~')` over the path *as sent*, so an
 *   already percent-encoded ARN (`%3A`) is encoded again (`%253A`) — non-S3 double encoding;
 * - canonical query: `key=value` pairs sorted by (key, value), RFC 3986 encoded (botocore builds
 *   them from its own strictly-encoded URL; we decode and re-encode so other SDKs match too);
 * - canonical headers: lower-cased names, values whitespace-collapsed (`' '.join(v.split())`),
 *   repeated headers joined with ',';
 * - payload hash: `X-Amz-Content-SHA256` when sent, else sha256 of the raw body;
 * - key: HMAC chain "AWS4"+secret → date → region → service → "aws4_request".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** sha256('') — the payload hash of every bodiless request (and of EKS tokens). */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The `Credential=AKID/date/region/service/aws4_request` scope. */
export interface CredentialScope {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
}

/** Everything a signature check needs from the request's signature parameters. */
export interface SigV4Params {
  scope: CredentialScope;
  /** Lower-case header names, in the order given. */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
  /** X-Amz-Date (yyyymmddThhmmssZ). */
  amzDate: string;
  /** X-Amz-Security-Token, when sent. */
  securityToken?: string;
  /** Presigned URLs: X-Amz-Expires in seconds. */
  expiresSeconds?: number;
  presigned: boolean;
}

export class SigV4ParseError extends Error {}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** Parses `Credential=` / `X-Amz-Credential` values: AKID/yyyymmdd/region/service/aws4_request. */
export function parseCredentialScope(credential: string): CredentialScope {
  const parts = credential.split('/');
  // The key id itself never contains '/', so exactly five parts.
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]) || !parts[0] || !parts[2] || !parts[3]) {
    throw new SigV4ParseError(`Credential should be scoped to a valid region, service and date (got '${credential.split('/').slice(1).join('/')}').`);
  }
  return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
}

/** The scope string as it appears in the string to sign: date/region/service/aws4_request. */
export function scopeString(s: CredentialScope): string {
  return `${s.date}/${s.region}/${s.service}/aws4_request`;
}

/**
 * Parses `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
 * `amzDate`/`securityToken` come from the X-Amz-Date / X-Amz-Security-Token headers.
 */
export function parseAuthorizationHeader(value: string, amzDate: string | undefined, securityToken: string | undefined): SigV4Params {
  const v = value.trim();
  if (!v.startsWith(`${SIGV4_ALGORITHM} `)) throw new SigV4ParseError(`Unsupported authorization type (only ${SIGV4_ALGORITHM} is accepted).`);
  const fields = new Map<string, string>();
  for (const part of v.slice(SIGV4_ALGORITHM.length).split(',')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq > 0) fields.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
  }
  for (const req of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(req)) throw new SigV4ParseError(`Authorization header requires '${req}' parameter. Authorization=${SIGV4_ALGORITHM} …`);
  }
  if (!amzDate) throw new SigV4ParseError("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  return {
    scope: parseCredentialScope(fields.get('Credential') as string),
    signedHeaders: (fields.get('SignedHeaders') as string).split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
    signature: (fields.get('Signature') as string).toLowerCase(),
    amzDate,
    ...(securityToken !== undefined ? { securityToken } : {}),
    presigned: false,
  };
}

/** Decoded query pairs, in order (no '+' → space: SigV4 query strings are RFC 3986). */
function rawQueryPairs(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery.split('&').filter((p) => p !== '').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** True when a presigned-URL query string carries X-Amz-Credential. */
export function hasPresignedCredential(rawQuery: string): boolean {
  return rawQueryPairs(rawQuery).some(([k]) => safeDecode(k) === 'X-Amz-Credential');
}

/** Parses the X-Amz-* parameters of a presigned URL's raw query string. */
export function parsePresignedQuery(rawQuery: string): SigV4Params {
  const q = new Map<string, string>();
  for (const [k, v] of rawQueryPairs(rawQuery)) {
    const key = safeDecode(k);
    if (!q.has(key)) q.set(key, safeDecode(v));
  }
  const algorithm = q.get('X-Amz-Algorithm');
  if (algorithm !== SIGV4_ALGORITHM) throw new SigV4ParseError(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
  for (const req of ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Date']) {
    if (!q.get(req)) throw new SigV4ParseError(`AWS query-string parameters must include '${req}'.`);
  }
  const expires = q.get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    if (!/^\d{1,9}$/.test(expires)) throw new SigV4ParseError(`X-Amz-Expires must be a non-negative integer (got '${expires}').`);
    expiresSeconds = Number(expires);
  }
  const token = q.get('X-Amz-Security-Token');
  return {
    scope: parseCredentialScope(q.get('X-Amz-Credential') as string),
    signedHeaders: (q.get('X-Amz-SignedHeaders') as string).split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
    signature: (q.get('X-Amz-Signature') as string).toLowerCase(),
    amzDate: q.get('X-Amz-Date') as string,
    ...(token !== undefined ? { securityToken: token } : {}),
    ...(expiresSeconds !== undefined ? { expiresSeconds } : {}),
    presigned: true,
  };
}

/** X-Amz-Date (yyyymmddThhmmssZ) → epoch ms, or undefined when malformed. */
export function parseAmzDate(amzDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Python's `urllib.parse.quote(s, safe)` over UTF-8: everything but A-Za-z0-9_.-~ and `safe` is %XX (upper case). */
export function pyQuote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(c) || (byte < 0x80 && safe.includes(c))) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** botocore's remove_dot_segments: drops '.', '' segments, resolves '..', keeps leading/trailing '/'. */
export function removeDotSegments(path: string): string {
  if (!path) return '';
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') { out.pop(); continue; }
    out.push(seg);
  }
  const first = path.startsWith('/') ? '/' : '';
  const last = path.endsWith('/') && out.length > 0 ? '/' : '';
  return first + out.join('/') + last;
}

/** Canonical URI of a non-S3 request from its raw (as-sent) path: quote(normalize(path), safe='/~'). */
export function canonicalUri(rawPath: string): string {
  return pyQuote(rawPath ? removeDotSegments(rawPath) : '/', '/~');
}

/**
 * Canonical query string from a raw query string: pairs decoded and re-encoded RFC 3986 (upper-case
 * hex), sorted by key then value; `omit` names (e.g. X-Amz-Signature) are left out.
 */
export function canonicalQueryString(rawQuery: string, omit: string[] = []): string {
  const pairs = rawQueryPairs(rawQuery)
    .map(([k, v]) => [safeDecode(k), safeDecode(v)] as [string, string])
    .filter(([k]) => !omit.includes(k))
    .map(([k, v]) => [pyQuote(k, ''), pyQuote(v, '')] as [string, string]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header values as botocore canonicalises them: trim, collapse runs of whitespace. */
function trimAll(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

/**
 * `name:value\n` lines for the signed headers (sorted, de-duplicated), from the request's header
 * pairs (any case; repeated headers joined with ','). A signed header the request lacks is
 * canonicalised with an empty value (the signature then simply fails to match).
 */
export function canonicalHeaders(headers: ReadonlyArray<readonly [string, string]>, signedHeaders: string[]): string {
  const names = [...new Set(signedHeaders.map((h) => h.toLowerCase()))].sort();
  return names.map((n) => {
    const values = headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => trimAll(v));
    return `${n}:${values.join(',')}\n`;
  }).join('');
}

export interface CanonicalRequestInput {
  method: string;
  /** Path as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** Query as sent, without '?'. */
  rawQuery: string;
  headers: ReadonlyArray<readonly [string, string]>;
  signedHeaders: string[];
  payloadHash: string;
  /** Query parameters left out of the canonical query (X-Amz-Signature for presigned URLs). */
  omitQuery?: string[];
}

export function canonicalRequest(i: CanonicalRequestInput): string {
  const signed = [...new Set(i.signedHeaders.map((h) => h.toLowerCase()))].sort();
  return [
    i.method.toUpperCase(),
    canonicalUri(i.rawPath),
    canonicalQueryString(i.rawQuery, i.omitQuery),
    canonicalHeaders(i.headers, signed),
    signed.join(';'),
    i.payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: CredentialScope, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scopeString(scope), sha256Hex(canonical)].join('\n');
}

/** The hex signature of a canonical request. */
export function computeSignature(secret: string, scope: CredentialScope, amzDate: string, canonical: string): string {
  const key = deriveSigningKey(secret, scope.date, scope.region, scope.service);
  return createHmac('sha256', key).update(stringToSign(amzDate, scope, canonical), 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba); // same work either way
    return false;
  }
  return timingSafeEqual(ba, bb);
}
