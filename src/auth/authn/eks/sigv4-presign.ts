/**
 * Offline check of the SigV4 query-string signature of an EKS token's presigned STS
 * GetCallerIdentity URL (AWS "Authenticating requests: using query parameters"; botocore
 * auth.SigV4QueryAuth). STS would compute the same thing when aws-iam-authenticator forwards the
 * URL with the `x-k8s-aws-id: <cluster>` header; we compute it with the secret we know:
 *
 *   canonical request = GET \n / \n <sorted RFC 3986-encoded query without X-Amz-Signature> \n
 *                       host:<host>\nx-k8s-aws-id:<this cluster>\n \n host;x-k8s-aws-id \n sha256("")
 *   string to sign    = AWS4-HMAC-SHA256 \n <X-Amz-Date> \n <date>/<region>/sts/aws4_request \n hex(sha256(canonical request))
 *   key               = HMAC chain "AWS4"+secret → date → region → sts → aws4_request
 *
 * Binding the cluster name into the canonical request is what makes a token for cluster A fail on
 * cluster B. The comparison is constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CLUSTER_ID_HEADER, EksTokenError, type PresignedGetCallerIdentity } from './presigned-url.js';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const SIGNED_HEADERS = `host;${CLUSTER_ID_HEADER}`;

/** RFC 3986 percent-encoding (unreserved characters A-Z a-z 0-9 - _ . ~ stay as they are). */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Encoded `k=v` pairs sorted by key then value, X-Amz-Signature excluded. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function canonicalRequest(host: string, clusterName: string, params: ReadonlyArray<readonly [string, string]>): string {
  return ['GET', '/', canonicalQuery(params), `host:${host}\n${CLUSTER_ID_HEADER}:${clusterName}\n`, SIGNED_HEADERS, EMPTY_SHA256].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** The hex signature of a presigned GetCallerIdentity URL (used by the verifier and by token-issuer.ts). */
export function presignSignature(o: {
  secret: string; host: string; clusterName: string; amzDate: string; region: string;
  params: ReadonlyArray<readonly [string, string]>;
}): string {
  const date = o.amzDate.slice(0, 8);
  const scope = `${date}/${o.region}/sts/aws4_request`;
  const hash = createHash('sha256').update(canonicalRequest(o.host, o.clusterName, o.params)).digest('hex');
  const toSign = `AWS4-HMAC-SHA256\n${o.amzDate}\n${scope}\n${hash}`;
  return createHmac('sha256', signingKey(o.secret, date, o.region, 'sts')).update(toSign).digest('hex');
}

/** Throws EksTokenError unless the URL is signed, for `clusterName`, with `secret`. */
export function verifyPresignedSignature(u: PresignedGetCallerIdentity, clusterName: string, secret: string): void {
  if (u.byLowerName.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw new EksTokenError('unsupported X-Amz-Algorithm');
  if (u.signedHeaders.join(';') !== SIGNED_HEADERS) throw new EksTokenError(`signed headers must be ${SIGNED_HEADERS}`);
  const { date, region, service, terminator } = u.scope;
  if (service !== 'sts' || terminator !== 'aws4_request') throw new EksTokenError('credential scope is not sts/aws4_request');
  if (date !== u.amzDate.slice(0, 8)) throw new EksTokenError('credential scope date does not match X-Amz-Date');
  if (!/^[0-9a-f]{64}$/.test(u.signature)) throw new EksTokenError('malformed X-Amz-Signature');
  // The canonical query is computed over the names exactly as sent (X-Amz-Signature is excluded
  // by exact name, as a signer adds it after signing).
  const expected = presignSignature({ secret, host: u.host, clusterName, amzDate: u.amzDate, region, params: u.params });
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(u.signature, 'hex'))) {
    throw new EksTokenError('signature does not match');
  }
}
