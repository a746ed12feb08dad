/**
 * Decoding and validating an EKS bearer token, as aws-iam-authenticator's pkg/token/token.go
 * Verify does before it would call STS: `k8s-aws-v1.` + base64url (no padding) of a presigned
 * STS GetCallerIdentity GET URL, at most 4096 bytes; scheme https (http only for emulator hosts);
 * host an STS endpoint or the emulator; path `/`; only the allow-listed query keys, each once
 * (case-insensitively); Action=GetCallerIdentity; `x-k8s-aws-id` among the signed headers;
 * 0 ≤ X-Amz-Expires ≤ 900; and the URL expires 15 minutes after X-Amz-Date whatever Expires says.
 *
 * Every failure throws `EksTokenError` with a reason for debug logs (never the token itself).
 */

export const TOKEN_PREFIX = 'k8s-aws-v1.';
export const MAX_TOKEN_BYTES = 4096;
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** Presigned STS URLs are valid for 15 minutes after X-Amz-Date, regardless of X-Amz-Expires. */
export const PRESIGNED_URL_LIFETIME_MS = 15 * 60 * 1000;

const ALLOWED_KEYS = new Set([
  'action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires',
  'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders',
]);

export class EksTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EksTokenError';
  }
}

export interface PresignedGetCallerIdentity {
  scheme: 'http' | 'https';
  /** As in the URL (host[:port]); the value of the signed `host` header. */
  host: string;
  /** Query parameters in URL order, names as sent, values decoded. */
  params: Array<[string, string]>;
  /** Lower-cased name → value. */
  byLowerName: Map<string, string>;
  accessKeyId: string;
  /** Credential scope parts: yyyymmdd, region, service, terminator. */
  scope: { date: string; region: string; service: string; terminator: string };
  /** X-Amz-Date as sent (yyyymmddThhmmssZ) and as epoch ms. */
  amzDate: string;
  signedAt: number;
  signedHeaders: string[];
  signature: string;
  securityToken?: string;
}

/** STS endpoints: global, regional, FIPS, dual-stack (api.aws) and other partitions' domains. */
const STS_HOST_RE = /^sts(?:-fips)?(?:\.[a-z]{2}(?:-[a-z]+)+-\d+)?\.(?:amazonaws\.com|amazonaws\.com\.cn|api\.aws|api\.amazonwebservices\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isStsHost(host: string): boolean {
  return STS_HOST_RE.test(host);
}

/** Loopback hosts (any port) are the local AWS endpoint (AWS_ENDPOINT_URL=http://127.0.0.1:4566). */
export function isLoopbackHost(host: string): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  return !!m && LOOPBACK_HOSTNAMES.has(m[1]);
}

/** Go's url.QueryUnescape: '+' is a space, %XX must be two hex digits. */
function queryUnescape(s: string): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw new EksTokenError('malformed query parameter');
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new EksTokenError('malformed query parameter');
  }
}

/** url.ParseQuery: `&`-separated; a `;` in a key is an error (Go ≥ 1.17). */
function parseQuery(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) throw new EksTokenError('malformed query parameter');
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    out.push([queryUnescape(k), queryUnescape(v)]);
  }
  return out;
}

function decodeToken(token: string): string {
  if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw new EksTokenError('token is too large');
  if (!token.startsWith(TOKEN_PREFIX)) throw new EksTokenError(`token is missing expected "${TOKEN_PREFIX}" prefix`);
  const b64 = token.slice(TOKEN_PREFIX.length);
  // base64.RawURLEncoding: URL alphabet, no padding; a length of 4n+1 cannot be valid.
  if (!/^[A-Za-z0-9_-]*$/.test(b64) || b64.length % 4 === 1) throw new EksTokenError('illegal base64 data');
  return Buffer.from(b64, 'base64url').toString('utf8');
}

/** yyyymmddThhmmssZ → epoch ms (undefined when malformed). */
export function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return undefined;
  return t;
}

export interface ParseOptions {
  now: number;
  /** Hosts (host[:port]) accepted besides STS endpoints and loopback, over http or https. */
  emulatorHosts?: readonly string[];
}

/** Decodes and checks a token; the signature itself is checked by sigv4-presign.ts. */
export function parsePresignedToken(token: string, o: ParseOptions): PresignedGetCallerIdentity {
  const url = decodeToken(token);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/s.exec(url);
  if (!m) throw new EksTokenError('malformed pre-signed URL');
  const [, scheme, host, path, rawQuery = ''] = m;
  const emulator = isLoopbackHost(host) || (o.emulatorHosts ?? []).includes(host);
  if (scheme !== 'https' && !(scheme === 'http' && emulator)) throw new EksTokenError(`unexpected scheme "${scheme}" in pre-signed URL`);
  if (!emulator && !isStsHost(host)) throw new EksTokenError(`unexpected hostname "${host}" in pre-signed URL`);
  if (path !== '/') throw new EksTokenError('unexpected path in pre-signed URL');

  const params = parseQuery(rawQuery);
  const byLowerName = new Map<string, string>();
  for (const [k, v] of params) {
    const lk = k.toLowerCase();
    if (byLowerName.has(lk)) throw new EksTokenError(`duplicate query parameter found: "${k}"`);
    if (!ALLOWED_KEYS.has(lk)) throw new EksTokenError(`non-whitelisted query parameter "${k}"`);
    byLowerName.set(lk, v);
  }
  if (byLowerName.get('action') !== 'GetCallerIdentity') throw new EksTokenError('unexpected action parameter in pre-signed URL');
  const signedHeaders = (byLowerName.get('x-amz-signedheaders') ?? '').split(';');
  if (!signedHeaders.some((h) => h.toLowerCase() === CLUSTER_ID_HEADER)) {
    throw new EksTokenError(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  }
  const expiresRaw = byLowerName.get('x-amz-expires') ?? '';
  const expires = /^[+-]?\d+$/.test(expiresRaw) ? Number(expiresRaw) : NaN;
  if (!(expires >= 0 && expires <= 900)) throw new EksTokenError(`invalid X-Amz-Expires parameter in pre-signed URL: ${expiresRaw}`);
  const amzDate = byLowerName.get('x-amz-date') ?? '';
  if (!amzDate) throw new EksTokenError('X-Amz-Date parameter must be present in pre-signed URL');
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw new EksTokenError('error parsing X-Amz-Date parameter');
  if (o.now > signedAt + PRESIGNED_URL_LIFETIME_MS) throw new EksTokenError('X-Amz-Date parameter is expired (15 minute expiration)');
  // STS refuses signatures dated more than its 15-minute skew allowance in the future.
  if (signedAt > o.now + PRESIGNED_URL_LIFETIME_MS) throw new EksTokenError('X-Amz-Date parameter is in the future');

  const credential = (byLowerName.get('x-amz-credential') ?? '').split('/');
  if (credential.length !== 5 || credential.some((p) => p === '')) throw new EksTokenError('malformed X-Amz-Credential');
  const [accessKeyId, date, region, service, terminator] = credential;
  const signature = byLowerName.get('x-amz-signature') ?? '';
  const securityToken = byLowerName.get('x-amz-security-token');
  return {
    scheme: scheme as 'http' | 'https', host, params, byLowerName, accessKeyId,
    scope: { date, region, service, terminator },
    amzDate, signedAt, signedHeaders, signature,
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
}
