/**
 * Issues EKS bearer tokens exactly as `aws eks get-token` does (awscli customizations/eks/
 * get_token.py + botocore SigV4QueryAuth): a GET GetCallerIdentity URL on the STS endpoint,
 * presigned for 60 s with the `x-k8s-aws-id: <cluster>` header signed, base64url without padding
 * after `k8s-aws-v1.`. Tests use it to craft tokens; tools can use it to sign in without the CLI.
 */
import { presignSignature, rfc3986 } from './sigv4-presign.js';
import { TOKEN_PREFIX } from './presigned-url.js';

export interface IssueTokenOptions {
  clusterName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
  /** Signing time (epoch ms). */
  now: number;
  /** Default `https://sts.<region>.amazonaws.com` (what the CLI uses without AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** X-Amz-Expires (the CLI sends 60; verifiers ignore it beyond the 0..900 check). */
  expires?: number;
}

/** yyyymmddThhmmssZ */
export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The presigned URL (before base64 encoding). */
export function presignGetCallerIdentity(o: IssueTokenOptions): string {
  const region = o.region ?? 'us-east-1';
  const endpoint = new URL(o.endpoint ?? `https://sts.${region}.amazonaws.com`);
  const amzDate = amzDateOf(o.now);
  const params: Array<[string, string]> = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${o.accessKeyId}/${amzDate.slice(0, 8)}/${region}/sts/aws4_request`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(o.expires ?? 60)],
    ['X-Amz-SignedHeaders', 'host;x-k8s-aws-id'],
  ];
  if (o.sessionToken !== undefined) params.push(['X-Amz-Security-Token', o.sessionToken]);
  const signature = presignSignature({ secret: o.secretAccessKey, host: endpoint.host, clusterName: o.clusterName, amzDate, region, params });
  params.push(['X-Amz-Signature', signature]);
  return `${endpoint.protocol}//${endpoint.host}/?${params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')}`;
}

export function encodeEksToken(url: string): string {
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

export function issueEksToken(o: IssueTokenOptions): string {
  return encodeEksToken(presignGetCallerIdentity(o));
}
